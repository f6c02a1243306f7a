package dev.podnet.apply;

import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Programs a node with a generated {@link Ruleset}, touching only podnet's own objects: ipsets named
 * {@code PODNET-*} and filter chains named {@code PODNET-*} plus the three jumps into them. Steps, in order:
 * <ol>
 *   <li>take the node's apply lock (an atomic {@code mkdir} under {@code /run/podnet}; concurrent applies wait);</li>
 *   <li>read the current state ({@code iptables-save -t filter}, {@code ipset save}) and compute the difference to
 *       the desired state; stop with "no changes" when there is none;</li>
 *   <li>ipsets, in one {@code ipset restore}: a new set is created and filled in place (no rule references it yet); a
 *       set whose members changed is filled as a temporary set and {@code swap}ped in (readers never see a
 *       half-filled set; the temporary set keeps the old members until the end, for rollback); unchanged sets are
 *       not touched;</li>
 *   <li>iptables: one {@code iptables-restore -w --noflush} that declares only {@code PODNET-} chains: the new and
 *       changed ones (declaring flushes them) and the stale ones (flushed, then deleted with {@code -X}), and adds
 *       missing entry jumps; unchanged chains are not declared. It is checked with {@code iptables-restore -w
 *       --noflush --test} first: the same lines, the chain rules grouped in blocks of whole chains that close at
 *       {@value #TEST_BLOCK} rules, each block declaring the chains its rules are in and jump to, then one block
 *       with the file's declarations and its other lines ({@link #testInput}). iptables-nft looks each rule's
 *       chain up among all chains of the transaction, so testing a file of thousands of chains as one block costs
 *       as much as loading it; in blocks the test costs a fraction (bench/README.md);</li>
 *   <li>one {@code ipset restore} that destroys the stale {@code PODNET-} sets and the temporary sets.</li>
 * </ol>
 * If any step fails, the node is put back: swapped sets are swapped back (the same kernel objects, so even their
 * {@code initval} is unchanged), new sets destroyed, and podnet's chains and jumps restored, so {@code iptables-save}
 * and {@code ipset save} read the same as before. {@link #delete} removes everything podnet added. Rules and sets
 * podnet did not write are never flushed, changed or deleted.
 */
public final class NodeApplier {
    static final String P = RulesetGenerator.PREFIX;
    /** A block of the {@code --test} input closes once it holds this many chain rules. */
    static final int TEST_BLOCK = 500;
    private static final Duration T = Duration.ofSeconds(60);
    private static final String SET_OPTS = " family inet hashsize 1024 maxelem 1048576";

    private final CommandRunner node;
    private final String lockDir;
    private final PrintWriter log;
    private final boolean dryRun;
    /** Test hook: the step at which to simulate a failure ("ipset", "iptables", "stale-sets"), or null. */
    String failAt;

    /**
     * @param node     the node's execution backend
     * @param lockName distinguishes nodes sharing one /run (netns backends); "" for a whole machine
     * @param log      where progress and (for dry runs) the exact commands and inputs are printed
     * @param dryRun   print what would run and change nothing
     */
    public NodeApplier(CommandRunner node, String lockName, PrintWriter log, boolean dryRun) {
        this.node = node;
        this.lockDir = "/run/podnet/apply" + (lockName.isEmpty() ? "" : "-" + lockName) + ".lock";
        this.log = log;
        this.dryRun = dryRun;
    }

    /** What an apply did. */
    public enum Outcome { APPLIED, UNCHANGED, DRY_RUN, DELETED }

    /** Apply failed; the node was rolled back. */
    public static final class ApplyException extends Exception {
        public ApplyException(String m) {
            super(m);
        }
    }

    /** podnet's part of the node's state. */
    record State(Map<String, List<String>> chains, Set<String> jumps, Map<String, String> setTypes,
                 Map<String, Set<String>> setMembers) {
    }

    /**
     * What an apply changes, and the inputs that change it.
     *
     * @param newSets       sets to create and fill in place
     * @param swappedSets   existing sets whose members change: set name to the temporary set that is filled and
     *                      swapped in (and then holds the old members)
     * @param staleSets     podnet sets the ruleset no longer has
     * @param changedChains chains to declare and fill (new, or with different rules)
     * @param staleChains   podnet chains the ruleset no longer has
     * @param ipsetInput    {@code ipset restore} input for new and swapped sets ("" when none)
     * @param filterInput   {@code iptables-restore --noflush} input ("" when no chain or jump changes)
     * @param testInput     the same lines in blocks, for {@code --test} ("" when filterInput is "")
     * @param destroyInput  {@code ipset restore} input destroying stale and temporary sets ("" when none)
     */
    record Plan(Set<String> newSets, Map<String, String> swappedSets, Set<String> staleSets, Set<String> changedChains,
                Set<String> staleChains, String ipsetInput, String filterInput, String testInput,
                String destroyInput) {
        boolean isEmpty() {
            return ipsetInput.isEmpty() && filterInput.isEmpty() && destroyInput.isEmpty();
        }
    }

    private ExecResult run(byte[] stdin, String... argv) throws ApplyException {
        try {
            return node.run(List.of(argv), stdin, Map.of(), T);
        } catch (ExecException e) {
            throw new ApplyException(e.getMessage());
        }
    }

    private ExecResult must(byte[] stdin, String... argv) throws ApplyException {
        ExecResult r = run(stdin, argv);
        if (!r.ok()) {
            throw new ApplyException(String.join(" ", argv) + " failed: " + (r.err() + r.out()).strip());
        }
        return r;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Takes the lock: {@code mkdir LOCK}; only if that fails, {@code mkdir -p /run/podnet} and retry every 100 ms. */
    private void lock() throws ApplyException {
        if (dryRun) {
            return;
        }
        if (run(new byte[0], "mkdir", lockDir).ok()) {
            return;
        }
        must(new byte[0], "mkdir", "-p", "/run/podnet");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!run(new byte[0], "mkdir", lockDir).ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new ApplyException("another podnet apply holds " + lockDir + " for over 60 s; if no apply is "
                        + "running, remove it (rmdir " + lockDir + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while waiting for " + lockDir);
            }
        }
    }

    private void unlock() {
        if (!dryRun) {
            try {
                run(new byte[0], "rmdir", lockDir);
            } catch (ApplyException e) {
                log.println("warning: could not remove " + lockDir + ": " + e.getMessage());
            }
        }
    }

    /** Reads podnet's chains, jumps and sets from the node. */
    State read() throws ApplyException {
        String save = must(new byte[0], "iptables-save", "-t", "filter").out();
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Set<String> jumps = new LinkedHashSet<>();
        for (String line : save.split("\n")) {
            if (line.startsWith(":" + P)) {
                chains.put(line.substring(1, line.indexOf(' ')), new ArrayList<>());
            } else if (line.startsWith("-A " + P)) {
                String chain = chainOf(line);
                chains.computeIfAbsent(chain, k -> new ArrayList<>()).add(line);
            } else if (line.startsWith("-A ") && line.matches("-A (INPUT|FORWARD|OUTPUT) -j " + P + "\\S+")) {
                jumps.add(line);
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Set<String>> members = new LinkedHashMap<>();
        ExecResult sets = run(new byte[0], "ipset", "save");
        if (sets.ok()) {
            for (String line : sets.out().split("\n")) {
                String[] f = line.split(" ", 3);
                if (f.length >= 3 && f[1].startsWith(P)) {
                    if (f[0].equals("create")) {
                        types.put(f[1], f[2].split(" ")[0]);
                        members.put(f[1], new TreeSet<>());
                    } else if (f[0].equals("add")) {
                        members.computeIfAbsent(f[1], k -> new TreeSet<>()).add(f[2].strip());
                    }
                }
            }
        }
        return new State(chains, jumps, types, members);
    }

    /** The chain of an {@code -A CHAIN ...} line. */
    private static String chainOf(String line) {
        int end = line.indexOf(' ', 3);
        return line.substring(3, end < 0 ? line.length() : end);
    }

    /** The state a ruleset describes, in the form {@link #read()} returns. */
    static State desired(Ruleset rs) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        for (String line : rs.filterRules().split("\n")) {
            if (line.startsWith(":")) {
                chains.put(line.substring(1, line.indexOf(' ')), new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                chains.get(chainOf(line)).add(line);
            }
        }
        Set<String> jumps = new LinkedHashSet<>();
        for (String j : rs.entryJumps()) {
            String[] f = j.split(" ");
            jumps.add("-A " + f[1] + " -j " + f[f.length - 1]);
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String line : rs.ipsetRules().split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length >= 3 && f[0].equals("create")) {
                types.put(f[1], f[2].split(" ")[0]);
                members.put(f[1], new TreeSet<>());
            } else if (f.length >= 3 && f[0].equals("add")) {
                members.get(f[1]).add(f[2].strip());
            }
        }
        return new State(chains, jumps, types, members);
    }

    /** Rules compare in iptables-save's canonical spelling: runs of spaces collapsed, ends trimmed. */
    static String canonical(String rule) {
        return rule.replaceAll(" +", " ").strip();
    }

    private static boolean sameRules(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!canonical(a.get(i)).equals(canonical(b.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The name of the temporary set for {@code name}: {@code PODNET-T} and the rest of the name, at most 31 chars. */
    static String tmpName(String name) {
        String t = P + "T" + name.substring(P.length() - 1);
        return t.length() <= 31 ? t : P + "T-" + name.substring(name.length() - 22);
    }

    /**
     * The difference between the node's podnet state and a ruleset, with the inputs that apply it.
     *
     * @throws ApplyException when a set exists with another type (ipset cannot swap sets of different types)
     */
    static Plan plan(Ruleset rs, State before, State want) throws ApplyException {
        return plan(rs, before, want, TEST_BLOCK);
    }

    /** {@link #plan(Ruleset, State, State)} with another block size for the {@code --test} input. */
    static Plan plan(Ruleset rs, State before, State want, int testBlock) throws ApplyException {
        Set<String> newSets = new LinkedHashSet<>();
        Map<String, String> swapped = new LinkedHashMap<>();
        StringBuilder ipset = new StringBuilder();
        for (Map.Entry<String, String> e : want.setTypes().entrySet()) {
            String name = e.getKey();
            String type = e.getValue();
            Set<String> members = want.setMembers().get(name);
            String had = before.setTypes().get(name);
            if (had == null) {
                // A new set is referenced by no rule yet: fill it in place, nobody can see it half-filled.
                newSets.add(name);
                ipset.append("create ").append(name).append(' ').append(type).append(SET_OPTS).append('\n');
                members.forEach(m -> ipset.append("add ").append(name).append(' ').append(m).append('\n'));
            } else if (!had.equals(type)) {
                throw new ApplyException("ipset " + name + " exists with type " + had + ", the ruleset needs " + type
                        + "; remove it (podnet apply --delete) and apply again");
            } else if (!before.setMembers().get(name).equals(members)) {
                String tmp = tmpName(name);
                swapped.put(name, tmp);
                // -exist and flush: a temporary set left behind by an interrupted apply is reused.
                ipset.append("create ").append(tmp).append(' ').append(type).append(SET_OPTS).append(" -exist\n");
                ipset.append("flush ").append(tmp).append('\n');
                members.forEach(m -> ipset.append("add ").append(tmp).append(' ').append(m).append('\n'));
                ipset.append("swap ").append(tmp).append(' ').append(name).append('\n');
            }
        }
        Set<String> staleSets = new TreeSet<>(before.setTypes().keySet());
        staleSets.removeAll(want.setTypes().keySet());
        staleSets.removeAll(swapped.values());
        StringBuilder destroy = new StringBuilder();
        for (String s : staleSets) {
            destroy.append("destroy ").append(s).append('\n');
        }
        for (String tmp : swapped.values()) {
            destroy.append("destroy ").append(tmp).append('\n');
        }

        Set<String> changed = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> e : want.chains().entrySet()) {
            List<String> had = before.chains().get(e.getKey());
            if (had == null || !sameRules(had, e.getValue())) {
                changed.add(e.getKey());
            }
        }
        Set<String> staleChains = new TreeSet<>(before.chains().keySet());
        staleChains.removeAll(want.chains().keySet());
        List<String> missingJumps = new ArrayList<>();
        for (String j : rs.entryJumps()) {
            String[] f = j.split(" ");
            if (!before.jumps().contains("-A " + f[1] + " -j " + f[f.length - 1])) {
                missingJumps.add(j);
            }
        }
        String filter = "";
        String test = "";
        if (!changed.isEmpty() || !staleChains.isEmpty() || !missingJumps.isEmpty()) {
            StringBuilder decl = new StringBuilder();
            StringBuilder body = new StringBuilder();
            StringBuilder other = new StringBuilder();
            for (String c : changed) {
                decl.append(':').append(c).append(" - [0:0]\n");
                want.chains().get(c).forEach(r -> body.append(r).append('\n'));
            }
            // A stale chain may be referenced by another stale chain: flush all (declare), then delete.
            for (String c : staleChains) {
                decl.append(':').append(c).append(" - [0:0]\n");
            }
            for (String c : staleChains) {
                other.append("-X ").append(c).append('\n');
            }
            missingJumps.forEach(j -> other.append(j).append('\n'));
            filter = "*filter\n" + decl + body + other + "COMMIT\n";
            test = testInput(want, changed, decl.toString(), other.toString(), testBlock);
        }
        return new Plan(newSets, swapped, staleSets, changed, staleChains, ipset.toString(), filter, test,
                destroy.toString());
    }

    /**
     * The {@code --test} input for a filter input: the rules of {@code changed} chains in blocks that close once they
     * reach {@code blockSize} rules (whole chains, so a block may hold more), each block
     * declaring its chains and every {@code PODNET-} chain its rules jump or go to, then a block with all the
     * declarations and the other lines ({@code -X}, entry jumps). Every line of the filter input is in one block.
     */
    static String testInput(State want, Set<String> changed, String declarations, String otherLines, int blockSize) {
        StringBuilder sb = new StringBuilder();
        List<String> block = new ArrayList<>();
        int rules = 0;
        for (String c : changed) {
            block.add(c);
            rules += want.chains().get(c).size();
            if (rules >= blockSize) {
                testBlock(sb, want, block);
                block.clear();
                rules = 0;
            }
        }
        if (!block.isEmpty()) {
            testBlock(sb, want, block);
        }
        sb.append("*filter\n").append(declarations).append(otherLines).append("COMMIT\n");
        return sb.toString();
    }

    private static void testBlock(StringBuilder sb, State want, List<String> chains) {
        Set<String> declared = new LinkedHashSet<>(chains);
        StringBuilder body = new StringBuilder();
        for (String c : chains) {
            for (String r : want.chains().get(c)) {
                body.append(r).append('\n');
                for (String flag : List.of(" -j " + P, " -g " + P)) {
                    for (int i = r.indexOf(flag); i >= 0; i = r.indexOf(flag, i + 1)) {
                        int from = i + 4;
                        int to = r.indexOf(' ', from);
                        declared.add(r.substring(from, to < 0 ? r.length() : to));
                    }
                }
            }
        }
        sb.append("*filter\n");
        declared.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
        sb.append(body).append("COMMIT\n");
    }

    /** Applies a ruleset; see the class comment. */
    public Outcome apply(Ruleset rs) throws ApplyException {
        lock();
        try {
            State before = read();
            State want = desired(rs);
            Plan plan = plan(rs, before, want);
            if (plan.isEmpty()) {
                log.println("no changes: the node already has this ruleset (" + want.chains().size() + " chains, "
                        + want.setMembers().size() + " sets)");
                log.flush();
                return Outcome.UNCHANGED;
            }
            if (dryRun) {
                log.println("# ipset restore <<EOF");
                log.print(plan.ipsetInput());
                log.println("# EOF");
                log.println("# iptables-restore -w --noflush --test <<EOF");
                log.print(plan.testInput());
                log.println("# EOF");
                log.println("# iptables-restore -w --noflush <<EOF");
                log.print(plan.filterInput());
                log.println("# EOF");
                log.println("# ipset restore <<EOF");
                log.print(plan.destroyInput());
                log.println("# EOF");
                log.flush();
                return Outcome.DRY_RUN;
            }
            try {
                step("ipset");
                if (!plan.ipsetInput().isEmpty()) {
                    must(utf8(plan.ipsetInput()), "ipset", "restore");
                }
                if (!plan.filterInput().isEmpty()) {
                    must(utf8(plan.testInput()), "iptables-restore", "-w", "--noflush", "--test");
                    step("iptables");
                    must(utf8(plan.filterInput()), "iptables-restore", "-w", "--noflush");
                } else {
                    step("iptables");
                }
                step("stale-sets");
                if (!plan.destroyInput().isEmpty()) {
                    must(utf8(plan.destroyInput()), "ipset", "restore");
                }
            } catch (ApplyException e) {
                rollback(before, plan);
                throw new ApplyException(e.getMessage() + "; the node was restored to its previous state");
            }
            log.println("applied: " + plan.changedChains().size() + " of " + want.chains().size() + " chains ("
                    + rs.ruleCount() + " rules), " + (plan.newSets().size() + plan.swappedSets().size()) + " of "
                    + want.setMembers().size() + " sets; removed " + plan.staleChains().size() + " chains, "
                    + plan.staleSets().size() + " sets");
            log.flush();
            return Outcome.APPLIED;
        } finally {
            unlock();
        }
    }

    private void step(String name) throws ApplyException {
        if (name.equals(failAt)) {
            throw new ApplyException("injected failure at step " + name);
        }
    }

    /**
     * Puts podnet's previous chains, jumps and sets back (best effort, each part independent). Reads the node again
     * (the failed step may have been partly done); restores the filter chains and jumps only when they differ from
     * before; swaps each swapped set back when its temporary set still exists (the original kernel set returns,
     * with its members and initval), destroys sets podnet created, re-creates destroyed ones.
     */
    void rollback(State before, Plan plan) {
        try {
            State now = read();
            boolean chainsDiffer = !now.jumps().equals(before.jumps())
                    || !now.chains().keySet().equals(before.chains().keySet());
            for (String c : before.chains().keySet()) {
                chainsDiffer |= now.chains().containsKey(c) && !sameRules(now.chains().get(c), before.chains().get(c));
            }
            if (chainsDiffer) {
                StringBuilder f = new StringBuilder("*filter\n");
                Set<String> all = new LinkedHashSet<>(before.chains().keySet());
                all.addAll(now.chains().keySet());
                for (String c : all) {
                    f.append(':').append(c).append(" - [0:0]\n");
                }
                for (String j : now.jumps()) {
                    if (!before.jumps().contains(j)) {
                        f.append(j.replaceFirst("^-A ", "-D ")).append('\n');
                    }
                }
                for (String c : all) {
                    if (!before.chains().containsKey(c)) {
                        f.append("-X ").append(c).append('\n');
                    }
                }
                for (List<String> rules : before.chains().values()) {
                    rules.forEach(r -> f.append(r).append('\n'));
                }
                for (String j : before.jumps()) {
                    if (!now.jumps().contains(j)) {
                        f.append(j).append('\n');
                    }
                }
                f.append("COMMIT\n");
                run(utf8(f.toString()), "iptables-restore", "-w", "--noflush");
            }
            StringBuilder s = new StringBuilder();
            Set<String> restored = new TreeSet<>();
            for (Map.Entry<String, String> e : plan.swappedSets().entrySet()) {
                String tmp = e.getValue();
                if (now.setTypes().containsKey(tmp) && !before.setTypes().containsKey(tmp)
                        && before.setMembers().get(e.getKey()).equals(now.setMembers().get(tmp))) {
                    s.append("swap ").append(tmp).append(' ').append(e.getKey()).append('\n');
                    restored.add(e.getKey());
                }
            }
            for (String set : now.setTypes().keySet()) {
                if (!before.setTypes().containsKey(set)) {
                    s.append("destroy ").append(set).append('\n');
                }
            }
            for (Map.Entry<String, String> e : before.setTypes().entrySet()) {
                String name = e.getKey();
                if (restored.contains(name) || before.setMembers().get(name).equals(now.setMembers().get(name))
                        && e.getValue().equals(now.setTypes().get(name))) {
                    continue;
                }
                s.append("create ").append(name).append(' ').append(e.getValue()).append(SET_OPTS).append(" -exist\n");
                s.append("flush ").append(name).append('\n');
                for (String m : before.setMembers().get(name)) {
                    s.append("add ").append(name).append(' ').append(m).append('\n');
                }
            }
            if (!s.isEmpty()) {
                run(utf8(s.toString()), "ipset", "restore");
            }
        } catch (ApplyException e) {
            log.println("warning: rollback incomplete: " + e.getMessage());
        }
    }

    /** Removes every podnet chain, jump and set: one {@code iptables-restore}, one {@code ipset restore}. */
    public Outcome delete() throws ApplyException {
        lock();
        try {
            State cur = read();
            StringBuilder f = new StringBuilder("*filter\n");
            for (String c : cur.chains().keySet()) {
                f.append(':').append(c).append(" - [0:0]\n");
            }
            for (String j : cur.jumps()) {
                f.append(j.replaceFirst("^-A ", "-D ")).append('\n');
            }
            for (String c : cur.chains().keySet()) {
                f.append("-X ").append(c).append('\n');
            }
            f.append("COMMIT\n");
            StringBuilder sets = new StringBuilder();
            cur.setTypes().keySet().forEach(s -> sets.append("destroy ").append(s).append('\n'));
            if (dryRun) {
                log.println("# iptables-restore -w --noflush <<EOF");
                log.print(f);
                log.println("# EOF");
                log.println("# ipset restore <<EOF");
                log.print(sets);
                log.println("# EOF");
                log.flush();
                return Outcome.DRY_RUN;
            }
            if (cur.chains().isEmpty() && cur.jumps().isEmpty() && cur.setTypes().isEmpty()) {
                log.println("no changes: podnet has nothing on this node");
                return Outcome.UNCHANGED;
            }
            if (!cur.chains().isEmpty() || !cur.jumps().isEmpty()) {
                must(utf8(f.toString()), "iptables-restore", "-w", "--noflush");
            }
            if (!sets.isEmpty()) {
                must(utf8(sets.toString()), "ipset", "restore");
            }
            log.println("deleted: " + cur.chains().size() + " chains, " + cur.jumps().size() + " jumps, "
                    + cur.setTypes().size() + " sets");
            return Outcome.DELETED;
        } finally {
            unlock();
        }
    }
}
