package dev.podnet.bench;

import dev.podnet.apply.NodeApplier;
import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): {@code podnet apply} ({@link NodeApplier#apply}) of the ruleset for a generated cluster
 * (default 5,000 pods in 200 namespaces, 1,000 policies) into a fresh network namespace, against the raw load of the
 * same ruleset into another fresh namespace: {@code ipset restore} of {@link Ruleset#ipsetRules()} then
 * {@code iptables-restore --noflush} of {@link Ruleset#filterRulesWithJumps()}, with none of apply's lock, state
 * reads, {@code --test} or diff. Both sides run every command through {@code ip netns exec} (a {@link NetnsRunner}),
 * so the per-process cost of entering the namespace is the same on both. After each run the two namespaces'
 * {@code ipset save} and PODNET part of {@code iptables-save -t filter} are compared: both sides must have loaded
 * the same content. Needs root, iproute2, iptables and ipset. Run from the repository root after
 * {@code mvn -DskipTests package}:
 * <pre>
 * java -cp server/target/podnet.jar:server/target/test-classes dev.podnet.bench.ApplyBenchmark [pods] [policies] [runs]
 * </pre>
 * Per run it prints, for each side, the wall time and the CPU time (the child processes' user+system time from
 * {@code /proc/self/stat} cutime/cstime, in 10 ms ticks, plus the CPU time of the Java thread that runs the side:
 * for apply, reading the state, the diff and the inputs; for raw, writing the inputs to the pipes), the apply's
 * per-command breakdown, the apply/raw ratios, a second, unchanged apply, and an update (one more member in one set,
 * one more rule in {@code PODNET-FORWARD}; then the original is applied again). At the end: the median ratios and the
 * load average before and after. The order of the two sides alternates between runs. Namespaces are deleted at the
 * end of each run.
 */
public final class ApplyBenchmark {
    private ApplyBenchmark() {
    }

    /** A cluster of {@code pods} pods (25 per namespace, 5 per app) and {@code policies} policies, as YAML. */
    static String cluster(int pods, int policies) {
        StringBuilder sb = new StringBuilder();
        int namespaces = Math.max(1, pods / 25);
        for (int n = 0; n < namespaces; n++) {
            sb.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ns").append(n)
                    .append(", labels: {team: t").append(n % 10).append("}}\n---\n");
        }
        for (int i = 0; i < pods; i++) {
            int n = i / 25;
            int app = (i % 25) / 5;
            sb.append("apiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append(", namespace: ns").append(n)
                    .append(", labels: {app: a").append(app).append(", tier: t").append(app % 2).append("}}\n")
                    .append("spec: {nodeName: node-a, containers: [{name: c, ports: [{name: http, containerPort: 8080}, ")
                    .append("{name: dns, containerPort: 53, protocol: UDP}]}]}\n")
                    .append("status: {podIP: 10.").append(100 + i / 65536).append('.').append((i / 256) % 256)
                    .append('.').append(i % 256).append("}\n---\n");
        }
        for (int p = 0; p < policies; p++) {
            int n = p % namespaces;
            sb.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: pol").append(p)
                    .append(", namespace: ns").append(n).append("}\nspec:\n  podSelector: {matchLabels: {app: a")
                    .append(p % 5).append("}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n")
                    .append("    - podSelector: {matchLabels: {tier: t").append(p % 2).append("}}\n")
                    .append("    - namespaceSelector: {matchLabels: {team: t").append(p % 10).append("}}\n")
                    .append("      podSelector: {matchExpressions: [{key: app, operator: In, values: [a1, a2]}]}\n")
                    .append("    ports: [{port: http}, {port: 9000, endPort: 9100}]\n")
                    .append("  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.99.0.0/16]}\n")
                    .append("    ports: [{port: 53, protocol: UDP}]\n---\n");
        }
        return sb.toString();
    }

    /** CPU time (ms) of this process's waited-for children: cutime + cstime of /proc/self/stat (10 ms ticks). */
    static long childCpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); cutime and cstime are fields 16 and 17.
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One command as recorded: a label (argv with set names and paths blanked), wall and child CPU in ms. */
    record Step(String label, double wallMs, long cpuMs) {
    }

    /** A runner that records wall and child CPU time per command (commands must not run concurrently). */
    static final class RecordingRunner implements CommandRunner {
        final CommandRunner inner;
        final List<Step> steps = Collections.synchronizedList(new ArrayList<>());

        RecordingRunner(CommandRunner inner) {
            this.inner = inner;
        }

        @Override
        public ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
                throws ExecException {
            long c0 = childCpuMs();
            long t0 = System.nanoTime();
            try {
                return inner.run(argv, stdin, env, timeout);
            } finally {
                long t1 = System.nanoTime();
                String label = String.join(" ", argv).replaceAll("PODNET-\\S+", "SET").replaceAll("/run/\\S+", "DIR");
                steps.add(new Step(label, (t1 - t0) / 1e6, childCpuMs() - c0));
            }
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        String breakdown() {
            Map<String, double[]> by = new LinkedHashMap<>();
            synchronized (steps) {
                for (Step s : steps) {
                    double[] a = by.computeIfAbsent(s.label(), k -> new double[3]);
                    a[0]++;
                    a[1] += s.wallMs();
                    a[2] += s.cpuMs();
                }
            }
            StringBuilder sb = new StringBuilder();
            by.forEach((k, a) -> sb.append(String.format("      %-45s x%-3d %7.0f ms wall %6.0f ms CPU%n", k,
                    (int) a[0], a[1], a[2])));
            return sb.toString();
        }
    }

    static ExecResult must(CommandRunner r, byte[] in, String... argv) throws Exception {
        ExecResult res = r.run(List.of(argv), in, Map.of(), Duration.ofMinutes(10));
        if (!res.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + res.err());
        }
        return res;
    }

    /** The PODNET lines of iptables-save -t filter (counters zeroed) and ipset save (sorted), to compare two nodes. */
    static String podnetState(CommandRunner r) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String l : must(r, new byte[0], "iptables-save", "-t", "filter").out().split("\n")) {
            if (l.contains("PODNET")) {
                sb.append(l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]")).append('\n');
            }
        }
        // Set members come out in hash order and each set gets a random initval: compare sorted, without initval.
        must(r, new byte[0], "ipset", "save").out().lines().map(l -> l.replaceAll(" initval 0x\\S+", "")).sorted()
                .forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    static String loadavg() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String loadBefore = loadavg();
        LintEngine.Result lint = new LintEngine(List.of()).lint(List.of(InputFile.of("cluster.yaml",
                cluster(pods, policies))));
        Inventory inv = InventoryBuilder.build(lint.workspace());
        var mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long g0 = System.nanoTime();
        Ruleset rs = RulesetGenerator.generate(inv, null);
        long g1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        int members = (int) rs.ipsetRules().lines().filter(l -> l.startsWith("add ")).count();
        System.out.printf("%d pods, %d policies: %d filter rules in %d chains, %d ipsets with %d entries "
                        + "(iptables input %d KiB, ipset input %d KiB); generated in %d ms wall, %d ms CPU%n",
                inv.pods().size(), inv.policies().size(), rs.ruleCount(), rs.chains().size(), rs.sets().size(), members,
                rs.filterRulesWithJumps().length() / 1024, rs.ipsetRules().length() / 1024, (g1 - g0) / 1_000_000,
                (c1 - c0) / 1_000_000);
        System.out.println("load average before: " + loadBefore);
        if (System.getProperty("bench.dump") != null) {
            Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dump")));
            Files.writeString(dir.resolve("ipset.txt"), rs.ipsetRules());
            Files.writeString(dir.resolve("filter.txt"), rs.filterRulesWithJumps());
            System.out.println("wrote ipset.txt and filter.txt to " + dir);
            return;
        }
        byte[] ipsetIn = rs.ipsetRules().getBytes(StandardCharsets.UTF_8);
        byte[] filterIn = rs.filterRulesWithJumps().getBytes(StandardCharsets.UTF_8);
        String suffix = Long.toString(System.nanoTime() % 100000, 36);
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        LocalRunner host = new LocalRunner();
        // Warm-up: page cache for the binaries, JIT for the applier's Java code.
        runOnce(rs, ipsetIn, filterIn, host, "pn-bench-w" + suffix, true, null, null);
        for (int i = 0; i < runs; i++) {
            runOnce(rs, ipsetIn, filterIn, host, "pn-bench-" + suffix + i, i % 2 == 0, wallRatios, cpuRatios);
        }
        System.out.printf("median over %d runs: apply/raw wall %.2f, CPU %.2f (wall ratios %s, CPU ratios %s)%n",
                runs, median(wallRatios), median(cpuRatios), fmt(wallRatios), fmt(cpuRatios));
        System.out.println("load average after: " + loadavg());
    }

    static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.2f", x)).toList().toString();
    }

    static void runOnce(Ruleset rs, byte[] ipsetIn, byte[] filterIn, LocalRunner host, String name, boolean rawFirst,
                        List<Double> wallRatios, List<Double> cpuRatios) throws Exception {
        String a = name + "a";
        String b = name + "b";
        var mx = ManagementFactory.getThreadMXBean();
        try {
            host.run(List.of("ip", "netns", "add", a), Duration.ofSeconds(10));
            host.run(List.of("ip", "netns", "add", b), Duration.ofSeconds(10));
            RecordingRunner rawNode = new RecordingRunner(new NetnsRunner(b, host));
            RecordingRunner applyNode = new RecordingRunner(new NetnsRunner(a, host));
            double[] raw = new double[3];
            double[] apply = new double[3];
            Runnable doRaw = () -> {
                try {
                    long k0 = childCpuMs();
                    long t0 = mx.getCurrentThreadCpuTime();
                    long r0 = System.nanoTime();
                    must(rawNode, ipsetIn, "ipset", "restore");
                    must(rawNode, filterIn, "iptables-restore", "--noflush");
                    raw[0] = (System.nanoTime() - r0) / 1e6;
                    raw[2] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
                    raw[1] = childCpuMs() - k0 + raw[2];
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Runnable doApply = () -> {
                try {
                    long k0 = childCpuMs();
                    long t0 = mx.getCurrentThreadCpuTime();
                    long a0 = System.nanoTime();
                    var out = new NodeApplier(applyNode, a, new PrintWriter(new StringWriter()), false).apply(rs);
                    apply[0] = (System.nanoTime() - a0) / 1e6;
                    apply[2] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
                    apply[1] = childCpuMs() - k0 + apply[2];
                    if (out != NodeApplier.Outcome.APPLIED) {
                        throw new IllegalStateException("apply: " + out);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            if (rawFirst) {
                doRaw.run();
                doApply.run();
            } else {
                doApply.run();
                doRaw.run();
            }
            String applyBreakdown = applyNode.breakdown();
            applyNode.steps.clear();
            long k0 = childCpuMs();
            long a0 = System.nanoTime();
            var again = new NodeApplier(applyNode, a, new PrintWriter(new StringWriter()), false).apply(rs);
            double againWall = (System.nanoTime() - a0) / 1e6;
            long againCpu = childCpuMs() - k0;
            // An update: one more member in the first set and one more rule in PODNET-FORWARD.
            String set = rs.sets().get(0);
            Ruleset changed = new Ruleset(rs.filterRules().replace("COMMIT\n",
                    "-A PODNET-FORWARD -s 198.51.100.99/32 -j RETURN\nCOMMIT\n"), rs.entryJumps(), rs.natRules(),
                    rs.ipsetRules().replaceFirst("(?m)^(create " + set + " .*\n)", "$1add " + set + " 10.250.250.250\n"),
                    rs.sets(), rs.chains(), rs.ruleCount() + 1);
            applyNode.steps.clear();
            long u0 = childCpuMs();
            long w0 = System.nanoTime();
            StringWriter updateLog = new StringWriter();
            new NodeApplier(applyNode, a, new PrintWriter(updateLog), false).apply(changed);
            double updateWall = (System.nanoTime() - w0) / 1e6;
            long updateCpu = childCpuMs() - u0;
            String updateBreakdown = applyNode.breakdown();
            new NodeApplier(applyNode, a, new PrintWriter(new StringWriter()), false).apply(rs);
            String stateA = podnetState(new NetnsRunner(a, host));
            String stateB = podnetState(new NetnsRunner(b, host));
            boolean same = stateA.equals(stateB);
            if (!same) {
                Files.writeString(Path.of("/tmp/podnet-bench-apply.txt"), stateA);
                Files.writeString(Path.of("/tmp/podnet-bench-raw.txt"), stateB);
            }
            if (wallRatios == null) {
                System.out.printf("warm-up: raw %.0f ms, apply %.0f ms; same content: %s%n", raw[0], apply[0], same);
            } else {
                wallRatios.add(apply[0] / raw[0]);
                cpuRatios.add(apply[1] / raw[1]);
                System.out.printf("run %s (%s first): raw %.0f ms wall / %.0f ms CPU, apply %.0f ms wall / %.0f ms CPU, "
                                + "ratio wall %.2f, CPU %.2f; second apply (%s) %.0f ms wall / %d ms CPU; "
                                + "same content: %s; load %s%n", name, rawFirst ? "raw" : "apply", raw[0], raw[1],
                        apply[0], apply[1], apply[0] / raw[0], apply[1] / raw[1], again, againWall, againCpu, same,
                        loadavg());
                System.out.printf("    raw steps (Java thread %.0f ms CPU):%n%s    apply steps (Java thread %.0f ms CPU):%n%s",
                        raw[2], rawNode.breakdown(), apply[2], applyBreakdown);
                System.out.printf("    update (one set member, one rule) %.0f ms wall / %d ms CPU: %s    update steps:%n%s",
                        updateWall, updateCpu, updateLog, updateBreakdown);
            }
            if (!same) {
                throw new IllegalStateException("apply and raw loaded different content");
            }
        } finally {
            host.run(List.of("ip", "netns", "del", a), Duration.ofSeconds(30));
            host.run(List.of("ip", "netns", "del", b), Duration.ofSeconds(30));
            host.run(List.of("rmdir", "/run/podnet/apply-" + a + ".lock"), Duration.ofSeconds(5));
        }
    }
}
