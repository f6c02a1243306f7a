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
 *   <li>read the current state ({@code iptables-save -t filter}, {@code ipset save}) and stop with "no changes" when
 *       podnet's part already equals the desired state;</li>
 *   <li>ipsets: fill a temporary set per set and {@code swap} it in, in one {@code ipset restore} (readers never see a
 *       half-filled set);</li>
 *   <li>iptables: one {@code iptables-restore -w --noflush} that declares only {@code PODNET-} chains (declaring
 *       flushes them), deletes stale ones and adds missing entry jumps, checked with {@code --test} first;</li>
 *   <li>destroy stale {@code PODNET-} sets.</li>
 * </ol>
 * If any step fails, the previous podnet chains, jumps and sets are restored, so {@code iptables-save} and
 * {@code ipset save} read the same as before. {@link #delete} removes everything podnet added. Rules and sets podnet
 * did not write are never flushed, changed or deleted.
 */
public final class NodeApplier {
    static final String P = RulesetGenerator.PREFIX;
    private static final Duration T = Duration.ofSeconds(60);
    private static final List<String> BUILTIN = List.of("INPUT", "FORWARD", "OUTPUT");

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

    private void lock() throws ApplyException {
        if (dryRun) {
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
                String chain = line.split(" ")[1];
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

    /** The state a ruleset describes, in the form {@link #read()} returns. */
    static State desired(Ruleset rs) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        for (String line : rs.filterRules().split("\n")) {
            if (line.startsWith(":")) {
                chains.put(line.substring(1, line.indexOf(' ')), new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                chains.get(line.split(" ")[1]).add(line);
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

    /** Rules compare in iptables-save's canonical spelling; normalise the few forms that differ from ours. */
    static String canonical(String rule) {
        return rule.replace("--reject-with icmp-port-unreachable", "--reject-with icmp-port-unreachable")
                .replace(" -m set ! --match-set", " -m set ! --match-set").replaceAll(" +", " ").strip();
    }

    boolean sameAs(State cur, State want) {
        if (!cur.chains().keySet().equals(want.chains().keySet()) || !cur.jumps().equals(want.jumps())
                || !cur.setMembers().equals(want.setMembers()) || !cur.setTypes().equals(want.setTypes())) {
            return false;
        }
        for (String c : want.chains().keySet()) {
            List<String> a = cur.chains().get(c).stream().map(NodeApplier::canonical).toList();
            List<String> b = want.chains().get(c).stream().map(NodeApplier::canonical).toList();
            if (!a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    /** Applies a ruleset; see the class comment. */
    public Outcome apply(Ruleset rs) throws ApplyException {
        lock();
        try {
            State before = read();
            State want = desired(rs);
            if (!dryRun && sameAs(before, want)) {
                log.println("no changes: the node already has this ruleset (" + want.chains().size() + " chains, "
                        + want.setMembers().size() + " sets)");
                return Outcome.UNCHANGED;
            }
            String ipsetInput = ipsetSwapInput(want, before);
            String filterInput = filterInput(rs, before, want);
            Set<String> staleSets = new TreeSet<>(before.setTypes().keySet());
            staleSets.removeAll(want.setTypes().keySet());
            if (dryRun) {
                log.println("# ipset restore <<EOF");
                log.print(ipsetInput);
                log.println("# EOF");
                log.println("# iptables-restore -w --noflush --test, then iptables-restore -w --noflush <<EOF");
                log.print(filterInput);
                log.println("# EOF");
                for (String s : staleSets) {
                    log.println("# ipset destroy " + s);
                }
                log.flush();
                return Outcome.DRY_RUN;
            }
            try {
                step("ipset");
                must(ipsetInput.getBytes(StandardCharsets.UTF_8), "ipset", "restore");
                byte[] f = filterInput.getBytes(StandardCharsets.UTF_8);
                must(f, "iptables-restore", "-w", "--noflush", "--test");
                step("iptables");
                must(f, "iptables-restore", "-w", "--noflush");
                step("stale-sets");
                for (String s : staleSets) {
                    must(new byte[0], "ipset", "destroy", s);
                }
            } catch (ApplyException e) {
                rollback(before);
                throw new ApplyException(e.getMessage() + "; the node was restored to its previous state");
            }
            log.println("applied: " + want.chains().size() + " chains, " + rs.ruleCount() + " rules, "
                    + want.setMembers().size() + " sets");
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
     * ipset restore input: a new set is created and filled in place (no rule references it yet); an existing set
     * gets its new content through a temporary set and {@code swap}, so readers never see it half-filled.
     */
    static String ipsetSwapInput(State want, State before) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : want.setTypes().entrySet()) {
            String name = e.getKey();
            String tmp = P + "T-" + name.substring(Math.max(P.length(), name.length() - 20));
            String type = e.getValue();
            String opts = " family inet hashsize 1024 maxelem 1048576";
            if (before.setTypes().containsKey(name) && !before.setTypes().get(name).equals(type)) {
                throw new IllegalStateException("set " + name + " exists with type " + before.setTypes().get(name));
            }
            if (!before.setTypes().containsKey(name)) {
                // A new set is referenced by no rule yet: fill it in place, nobody can see it half-filled.
                sb.append("create ").append(name).append(' ').append(type).append(opts).append('\n');
                for (String m : want.setMembers().get(name)) {
                    sb.append("add ").append(name).append(' ').append(m).append('\n');
                }
                continue;
            }
            sb.append("create ").append(tmp).append(' ').append(type).append(opts).append(" -exist\n");
            sb.append("flush ").append(tmp).append('\n');
            for (String m : want.setMembers().get(name)) {
                sb.append("add ").append(tmp).append(' ').append(m).append('\n');
            }
            sb.append("swap ").append(tmp).append(' ').append(name).append('\n');
            sb.append("destroy ").append(tmp).append('\n');
        }
        return sb.toString();
    }

    /** iptables-restore --noflush input: the new chains, stale chains deleted, missing entry jumps added. */
    static String filterInput(Ruleset rs, State before, State want) {
        StringBuilder sb = new StringBuilder(rs.filterRules());
        int commit = sb.lastIndexOf("COMMIT");
        StringBuilder extra = new StringBuilder();
        Set<String> stale = new TreeSet<>(before.chains().keySet());
        stale.removeAll(want.chains().keySet());
        // A stale chain may be referenced by another stale chain: flush all first, then delete.
        StringBuilder decl = new StringBuilder();
        for (String s : stale) {
            decl.append(':').append(s).append(" - [0:0]\n");
        }
        for (String s : stale) {
            extra.append("-X ").append(s).append('\n');
        }
        for (String j : rs.entryJumps()) {
            String[] f = j.split(" ");
            if (!before.jumps().contains("-A " + f[1] + " -j " + f[f.length - 1])) {
                extra.append(j).append('\n');
            }
        }
        sb.insert(commit, extra);
        sb.insert(sb.indexOf("\n") + 1, decl);
        return sb.toString();
    }

    /** Puts podnet's previous chains, jumps and sets back (best effort, each step independent). */
    void rollback(State before) {
        try {
            State now = read();
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
            run(f.toString().getBytes(StandardCharsets.UTF_8), "iptables-restore", "-w", "--noflush");
            StringBuilder s = new StringBuilder();
            for (String set : now.setTypes().keySet()) {
                if (!before.setTypes().containsKey(set)) {
                    s.append("destroy ").append(set).append('\n');
                }
            }
            for (Map.Entry<String, String> e : before.setTypes().entrySet()) {
                s.append("create ").append(e.getKey()).append(' ').append(e.getValue())
                        .append(" family inet hashsize 1024 maxelem 1048576 -exist\n");
                s.append("flush ").append(e.getKey()).append('\n');
                for (String m : before.setMembers().get(e.getKey())) {
                    s.append("add ").append(e.getKey()).append(' ').append(m).append('\n');
                }
            }
            run(s.toString().getBytes(StandardCharsets.UTF_8), "ipset", "restore");
        } catch (ApplyException e) {
            log.println("warning: rollback incomplete: " + e.getMessage());
        }
    }

    /** Removes every podnet chain, jump and set from the node. */
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
            if (dryRun) {
                log.println("# iptables-restore -w --noflush <<EOF");
                log.print(f);
                log.println("# EOF");
                cur.setTypes().keySet().forEach(s -> log.println("# ipset destroy " + s));
                log.flush();
                return Outcome.DRY_RUN;
            }
            if (cur.chains().isEmpty() && cur.jumps().isEmpty() && cur.setTypes().isEmpty()) {
                log.println("no changes: podnet has nothing on this node");
                return Outcome.UNCHANGED;
            }
            must(f.toString().getBytes(StandardCharsets.UTF_8), "iptables-restore", "-w", "--noflush");
            for (String s : cur.setTypes().keySet()) {
                must(new byte[0], "ipset", "destroy", s);
            }
            log.println("deleted: " + cur.chains().size() + " chains, " + cur.jumps().size() + " jumps, "
                    + cur.setTypes().size() + " sets");
            return Outcome.DELETED;
        } finally {
            unlock();
        }
    }
}
