package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import inet.ipaddr.IPAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Walks a packet through the iptables tables of one hook, rule by rule, as the kernel's x_tables does: each
 * table's built-in chain for the hook is traversed; a matching rule's target may jump ({@code -j CHAIN}, with
 * return), go to ({@code -g CHAIN}, no return), RETURN, end the table (ACCEPT, and the NAT targets in the nat
 * table), or end the packet (DROP, REJECT); the end of a built-in chain (or RETURN from it) applies its policy;
 * MARK, LOG, NFLOG and rules without target continue.
 *
 * <p>Tables per hook in the kernel's priority order (raw -300, mangle -150, nat DNAT -100, filter 0, nat SNAT
 * 100; {@code include/uapi/linux/netfilter_ipv4.h}): PREROUTING raw, mangle, nat; INPUT mangle, filter, nat;
 * FORWARD mangle, filter; OUTPUT raw, mangle, nat, filter; POSTROUTING mangle, nat. The nat table is consulted
 * only for the first packet of a connection (ctstate NEW); later packets are translated by conntrack.
 *
 * <p>A rule whose modelled conditions all hold but which has an unmodelled condition, or whose target is not
 * modelled, ends the walk with {@link Verdict.Outcome#UNKNOWN} naming that rule. A rule with any modelled
 * condition that does not hold is skipped, whatever its unmodelled parts.
 *
 * <p>Runs of at least 8 consecutive rules that each start with {@code -s ADDR/32} or {@code -d ADDR/32} (per-pod
 * dispatch) are indexed by address, so only the rules of a run that can match are tested; the result equals the
 * linear walk. Not thread-safe (the index is built lazily).
 */
public final class Netfilter {

    /** Netfilter IPv4 hooks. */
    public enum Hook {
        PREROUTING("raw", "mangle", "nat"),
        INPUT("mangle", "filter", "nat"),
        FORWARD("mangle", "filter"),
        OUTPUT("raw", "mangle", "nat", "filter"),
        POSTROUTING("mangle", "nat");

        private final List<String> tables;

        Hook(String... tables) {
            this.tables = List.of(tables);
        }

        /** Tables traversed at this hook, in order. */
        public List<String> tables() {
            return tables;
        }
    }

    /** Outcome of one hook. */
    public enum HookOutcome {
        /** All tables accepted: the packet continues on its path. */
        CONTINUE, DROP, REJECT, UNKNOWN
    }

    /**
     * Result of one hook.
     *
     * @param outcome what happened
     * @param packet  the packet after the hook (NAT, MARK applied)
     * @param reason  the deciding rule/policy for DROP/REJECT/UNKNOWN, "" for CONTINUE
     */
    public record HookResult(HookOutcome outcome, Packet packet, String reason) {
    }

    /**
     * Per chain: resolved jump targets and an index over runs of rules that start with a host-address match
     * ({@link Matches.HostAddressMatch}). Within a table traversal the packet's addresses do not change (the NAT
     * targets end the table), so skipping rules of a run whose address cannot match is exact.
     */
    private static final class ChainIndex {
        final Chain[] jumpTargets;
        final int[] runOf;
        final List<Run> runs = new ArrayList<>();

        ChainIndex(Table table, Chain chain) {
            int n = chain.rules().size();
            jumpTargets = new Chain[n];
            runOf = new int[n];
            java.util.Arrays.fill(runOf, -1);
            int i = 0;
            while (i < n) {
                Rule r = chain.rules().get(i);
                Target tg = r.target();
                if (tg.kind() == Target.Kind.JUMP || tg.kind() == Target.Kind.GOTO) {
                    jumpTargets[i] = table.chain(tg.name()).orElse(null);
                }
                int j = i;
                while (j < n && keyed(chain.rules().get(j))) {
                    j++;
                }
                if (j - i >= MIN_RUN) {
                    Run run = new Run(i, j);
                    for (int k = i; k < j; k++) {
                        Matches.HostAddressMatch m = (Matches.HostAddressMatch) chain.rules().get(k).matches().get(0);
                        (m.source() ? run.bySrc : run.byDst).computeIfAbsent(m.value(), x -> new ArrayList<>()).add(k);
                        runOf[k] = runs.size();
                    }
                    runs.add(run);
                    for (int k = i + 1; k < j; k++) {
                        Target t2 = chain.rules().get(k).target();
                        if (t2.kind() == Target.Kind.JUMP || t2.kind() == Target.Kind.GOTO) {
                            jumpTargets[k] = table.chain(t2.name()).orElse(null);
                        }
                    }
                    i = j;
                } else {
                    i++;
                }
            }
        }

        private static boolean keyed(Rule r) {
            return !r.matches().isEmpty() && r.matches().get(0) instanceof Matches.HostAddressMatch;
        }

        /**
         * The first rule index at or after {@code idx} that can match a packet with these addresses (or the run's
         * end); {@code src}/{@code dst} are the IPv4 addresses as numbers, null for other packets.
         */
        int next(int idx, Long src, Long dst) {
            int id = runOf[idx];
            if (id < 0) {
                return idx;
            }
            Run run = runs.get(id);
            int best = run.end;
            if (src != null) {
                best = Math.min(best, firstAtLeast(run.bySrc.get(src), idx, run.end));
                best = Math.min(best, firstAtLeast(run.byDst.get(dst), idx, run.end));
            }
            return best;
        }

        private static int firstAtLeast(List<Integer> sorted, int idx, int dflt) {
            if (sorted == null) {
                return dflt;
            }
            int lo = 0;
            int hi = sorted.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid) < idx) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < sorted.size() ? sorted.get(lo) : dflt;
        }
    }

    private static final class Run {
        final int start;
        final int end;
        final Map<Long, List<Integer>> bySrc = new HashMap<>();
        final Map<Long, List<Integer>> byDst = new HashMap<>();

        Run(int start, int end) {
            this.start = start;
            this.end = end;
        }
    }

    private static final int MIN_RUN = 8;
    private static final int MAX_STEPS = 1_000_000;
    private static final int MAX_DEPTH = 64;

    /**
     * A trace that records nothing: passed to {@link #hook} and {@link #table} when only the outcome is wanted (a
     * whole verdict table), it also skips formatting the packet and the rule effects.
     */
    public static final List<TraceStep> NO_TRACE = new java.util.AbstractList<>() {
        @Override
        public TraceStep get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public boolean add(TraceStep step) {
            return true;
        }
    };

    private final Ruleset ruleset;
    private final MatchContext ctx;
    private final Map<Chain, ChainIndex> indexes = new IdentityHashMap<>();

    /**
     * @param ruleset the parsed ruleset
     * @param ctx     ipsets and node (node may be null: addrtype and MASQUERADE then give UNKNOWN)
     */
    public Netfilter(Ruleset ruleset, MatchContext ctx) {
        this.ruleset = ruleset;
        this.ctx = ctx;
    }

    /** The ruleset walked. */
    public Ruleset ruleset() {
        return ruleset;
    }

    /** The match context. */
    public MatchContext context() {
        return ctx;
    }

    /** Runs all tables of {@code hook} on {@code p}, appending to {@code trace} (unless it is {@link #NO_TRACE}). */
    public HookResult hook(Hook hook, Packet p, List<TraceStep> trace) {
        if (trace != NO_TRACE) {
            trace.add(new TraceStep("", hook.name(), 0, p.toString(), ""));
        }
        Packet cur = p;
        for (String table : hook.tables()) {
            if (table.equals("nat") && p.ctState() != CtState.NEW) {
                continue;
            }
            HookResult r = table(table, hook.name(), cur, trace);
            cur = r.packet();
            if (r.outcome() != HookOutcome.CONTINUE) {
                return r;
            }
        }
        return new HookResult(HookOutcome.CONTINUE, cur, "");
    }

    private record Frame(Chain chain, int next) {
    }

    /**
     * Traverses one table's built-in chain. Returns CONTINUE when the table accepted (or has no such chain).
     */
    public HookResult table(String tableName, String builtin, Packet p, List<TraceStep> trace) {
        Optional<Table> t = ruleset.table(tableName);
        if (t.isEmpty() || t.get().chain(builtin).isEmpty()) {
            return new HookResult(HookOutcome.CONTINUE, p, "");
        }
        Table table = t.get();
        Chain start = table.chain(builtin).get();
        Deque<Frame> stack = new ArrayDeque<>();
        Chain chain = start;
        int idx = 0;
        Packet cur = p;
        String[] why = new String[1];
        // The addresses stay the same during one table traversal (NAT targets end it): their index keys once.
        boolean v4 = p.src().isIPv4() && p.dst().isIPv4();
        Long srcKey = v4 ? p.src().toIPv4().longValue() : null;
        Long dstKey = v4 ? p.dst().toIPv4().longValue() : null;
        for (int steps = 0; steps < MAX_STEPS; steps++) {
            if (idx < chain.rules().size()) {
                Chain cc = chain;
                idx = indexes.computeIfAbsent(cc, k -> new ChainIndex(table, cc)).next(idx, srcKey, dstKey);
            }
            if (idx >= chain.rules().size()) {
                if (chain.builtin() || stack.isEmpty()) {
                    return policy(tableName, start, cur, trace);
                }
                Frame f = stack.pop();
                chain = f.chain();
                idx = f.next();
                continue;
            }
            Rule rule = chain.rules().get(idx);
            idx++;
            Truth m = Truth.YES;
            String unknown = null;
            for (Match x : rule.matches()) {
                why[0] = null;
                Truth r = x.test(cur, ctx, why);
                if (r == Truth.NO) {
                    m = Truth.NO;
                    break;
                }
                if (r == Truth.UNKNOWN && unknown == null) {
                    unknown = x.text() + ": " + (why[0] == null ? "not modelled" : why[0]);
                }
            }
            if (m == Truth.NO) {
                continue;
            }
            if (unknown != null) {
                String where = where(tableName, chain, rule);
                trace.add(new TraceStep(tableName, chain.name(), rule.number(), rule.text(), "UNKNOWN: " + unknown));
                return new HookResult(HookOutcome.UNKNOWN, cur, where + ": " + unknown);
            }
            Target tg = rule.target();
            switch (tg.kind()) {
                case NONE -> trace.add(step(rule, "continue (no target)"));
                case LOG, NFLOG -> trace.add(step(rule, "continue (" + tg.name() + ")"));
                case MARK -> {
                    long before = cur.mark();
                    cur = cur.withMark((before & tg.markAnd()) ^ tg.markXor());
                    if (trace != NO_TRACE) {
                        trace.add(step(rule, "mark 0x" + Long.toHexString(before) + " -> 0x"
                                + Long.toHexString(cur.mark())));
                    }
                }
                case ACCEPT -> {
                    trace.add(step(rule, "ACCEPT"));
                    return new HookResult(HookOutcome.CONTINUE, cur, "");
                }
                case DROP -> {
                    String where = where(tableName, chain, rule);
                    trace.add(step(rule, "DROP"));
                    return new HookResult(HookOutcome.DROP, cur, where);
                }
                case REJECT -> {
                    String where = where(tableName, chain, rule);
                    trace.add(step(rule, "REJECT"));
                    return new HookResult(HookOutcome.REJECT, cur, where);
                }
                case RETURN -> {
                    trace.add(step(rule, "RETURN"));
                    if (chain.builtin() || stack.isEmpty()) {
                        return policy(tableName, start, cur, trace);
                    }
                    Frame f = stack.pop();
                    chain = f.chain();
                    idx = f.next();
                }
                case JUMP, GOTO -> {
                    Chain target = indexes.get(chain).jumpTargets[rule.number() - 1];
                    Optional<Chain> to = Optional.ofNullable(target);
                    if (to.isEmpty()) {
                        trace.add(step(rule, "UNKNOWN: no chain " + tg.name()));
                        return new HookResult(HookOutcome.UNKNOWN, cur, where(tableName, chain, rule) + ": chain "
                                + tg.name() + " does not exist");
                    }
                    if (stack.size() >= MAX_DEPTH) {
                        return new HookResult(HookOutcome.UNKNOWN, cur, where(tableName, chain, rule)
                                + ": chain nesting deeper than " + MAX_DEPTH);
                    }
                    if (trace != NO_TRACE) {
                        trace.add(step(rule, (tg.kind() == Target.Kind.JUMP ? "jump " : "goto ") + tg.name()));
                    }
                    if (tg.kind() == Target.Kind.JUMP) {
                        stack.push(new Frame(chain, idx));
                    }
                    chain = to.get();
                    idx = 0;
                }
                case DNAT -> {
                    Packet before = cur;
                    cur = cur.withDst(tg.natAddress() != null ? tg.natAddress() : cur.dst(),
                            tg.natPort() >= 0 ? tg.natPort() : cur.dport());
                    trace.add(step(rule, "DNAT " + endpoint(before.dst(), before.dport()) + " -> "
                            + endpoint(cur.dst(), cur.dport())));
                    return new HookResult(HookOutcome.CONTINUE, cur, "");
                }
                case SNAT -> {
                    Packet before = cur;
                    cur = cur.withSrc(tg.natAddress() != null ? tg.natAddress() : cur.src());
                    if (tg.natPort() >= 0) {
                        cur = cur.withSport(tg.natPort());
                    }
                    trace.add(step(rule, "SNAT " + endpoint(before.src(), before.sport()) + " -> "
                            + endpoint(cur.src(), cur.sport())));
                    return new HookResult(HookOutcome.CONTINUE, cur, "");
                }
                case MASQUERADE -> {
                    String where = where(tableName, chain, rule);
                    Optional<IPAddress> a = ctx.node() == null || cur.outInterface() == null ? Optional.empty()
                            : ctx.node().addressOf(cur.outInterface(), cur.src());
                    if (a.isEmpty()) {
                        trace.add(step(rule, "MASQUERADE (address of " + cur.outInterface() + " unknown)"));
                        return new HookResult(HookOutcome.UNKNOWN, cur, where
                                + ": MASQUERADE needs an address on output interface " + cur.outInterface());
                    }
                    IPAddress before = cur.src();
                    cur = cur.withSrc(a.get());
                    trace.add(step(rule, "MASQUERADE " + Addresses.text(before) + " -> " + Addresses.text(a.get())));
                    return new HookResult(HookOutcome.CONTINUE, cur, "");
                }
                default -> {
                    String where = where(tableName, chain, rule);
                    trace.add(step(rule, "UNKNOWN: " + tg.unsupported()));
                    return new HookResult(HookOutcome.UNKNOWN, cur, where + ": " + tg.unsupported());
                }
            }
        }
        return new HookResult(HookOutcome.UNKNOWN, cur, tableName + " " + builtin + ": more than " + MAX_STEPS
                + " rule evaluations (loop?)");
    }

    private static String where(String table, Chain chain, Rule rule) {
        return table + " " + chain.name() + " rule " + rule.number() + " (" + rule.text() + ")";
    }

    private static String endpoint(IPAddress a, int port) {
        return Addresses.text(a) + (port >= 0 ? ":" + port : "");
    }

    private static TraceStep step(Rule r, String effect) {
        return new TraceStep(r.table(), r.chain(), r.number(), r.text(), effect);
    }

    private static HookResult policy(String table, Chain start, Packet p, List<TraceStep> trace) {
        String pol = start.policy() == null ? "ACCEPT" : start.policy();
        trace.add(new TraceStep(table, start.name(), 0, ":" + start.name() + " " + pol, pol));
        if (pol.equals("DROP")) {
            return new HookResult(HookOutcome.DROP, p, table + " " + start.name() + " policy DROP");
        }
        return new HookResult(HookOutcome.CONTINUE, p, "");
    }
}
