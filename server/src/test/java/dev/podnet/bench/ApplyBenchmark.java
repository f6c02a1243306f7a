package dev.podnet.bench;

import dev.podnet.apply.NodeApplier;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): {@code podnet apply} of the ruleset for a generated cluster (default 5,000 pods in 200
 * namespaces, 1,000 policies) into a fresh network namespace, against the raw load of the same ruleset
 * ({@code ipset restore} then {@code iptables-restore --noflush}) into another fresh namespace. Needs root,
 * iproute2, iptables and ipset. Run from the repository root after {@code mvn -DskipTests package}:
 * <pre>
 * java -cp server/target/podnet.jar:server/target/test-classes dev.podnet.bench.ApplyBenchmark [pods] [policies] [runs]
 * </pre>
 * Prints rule and set counts and, per run, both wall times and their ratio; namespaces are deleted at the end.
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

    static ExecResult run(String ns, byte[] in, String... argv) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        ExecResult r = new LocalRunner().run(full, in, Map.of(), Duration.ofMinutes(10));
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + r.err());
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        LintEngine.Result lint = new LintEngine(List.of()).lint(List.of(InputFile.of("cluster.yaml",
                cluster(pods, policies))));
        Inventory inv = InventoryBuilder.build(lint.workspace());
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long g0 = System.nanoTime();
        Ruleset rs = RulesetGenerator.generate(inv, null);
        long g1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        System.out.printf("%d pods, %d policies: %d filter rules in %d chains, %d ipsets; generated in %d ms wall, "
                        + "%d ms CPU%n", inv.pods().size(), inv.policies().size(), rs.ruleCount(), rs.chains().size(),
                rs.sets().size(), (g1 - g0) / 1_000_000, (c1 - c0) / 1_000_000);
        String suffix = Long.toString(System.nanoTime() % 100000, 36);
        for (int i = 0; i < runs; i++) {
            String a = "pn-bench-a" + suffix + i;
            String b = "pn-bench-b" + suffix + i;
            try {
                new LocalRunner().run(List.of("ip", "netns", "add", a), Duration.ofSeconds(10));
                new LocalRunner().run(List.of("ip", "netns", "add", b), Duration.ofSeconds(10));
                long r0 = System.nanoTime();
                run(b, rs.ipsetRules().getBytes(StandardCharsets.UTF_8), "ipset", "restore");
                run(b, rs.filterRulesWithJumps().getBytes(StandardCharsets.UTF_8), "iptables-restore", "--noflush");
                long r1 = System.nanoTime();
                StringWriter log = new StringWriter();
                long a0 = System.nanoTime();
                new NodeApplier(new NetnsRunner(a, new LocalRunner()), a, new PrintWriter(log), false).apply(rs);
                long a1 = System.nanoTime();
                double raw = (r1 - r0) / 1e6;
                double apply = (a1 - a0) / 1e6;
                System.out.printf("run %d: raw ipset+iptables-restore %.0f ms, podnet apply %.0f ms, ratio %.2f%n",
                        i + 1, raw, apply, apply / raw);
            } finally {
                new LocalRunner().run(List.of("ip", "netns", "del", a), Duration.ofSeconds(30));
                new LocalRunner().run(List.of("ip", "netns", "del", b), Duration.ofSeconds(30));
                new LocalRunner().run(List.of("rmdir", "/run/podnet/apply-" + a + ".lock"), Duration.ofSeconds(5));
            }
        }
    }
}
