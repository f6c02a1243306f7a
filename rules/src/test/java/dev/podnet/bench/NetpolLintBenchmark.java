package dev.podnet.bench;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark for the NetworkPolicy lint: generates (or reads) a GitOps-style folder with 2,000 NetworkPolicies and
 * 5,000 pods (plus their namespaces and Services), then times one full {@link LintEngine#standard()} run over it:
 * reading, parsing, inventory and every check. The target is under 3 s from JVM start.
 *
 * <p>Run: {@code mvn -q -o test-compile -pl rules} then
 * {@code java -cp "rules/target/classes:rules/target/test-classes:$(cat cp.txt)" dev.podnet.bench.NetpolLintBenchmark
 * [folder]} (see bench/README.md for the class path). Without a folder it generates one in a temporary directory.
 * Prints the elapsed times and the finding counts per rule.
 */
public final class NetpolLintBenchmark {
    private NetpolLintBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        if (args.length == 2 && args[0].equals("--generate")) {
            // Writes the folder only, e.g. to time `podnet lint` on it from a fresh JVM (bench/README.md).
            Path out = Files.createDirectories(Path.of(args[1]));
            generate(out, 2000, 5000, 50);
            System.out.println("generated " + out);
            return;
        }
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("podnet-bench");
        if (args.length == 0) {
            generate(dir, 2000, 5000, 50);
        }
        long t0 = System.nanoTime();
        List<InputFile> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                inputs.add(InputFile.read(p, dir.relativize(p).toString()));
            }
        }
        long t1 = System.nanoTime();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c1 = mx.getCurrentThreadCpuTime();
        List<Diagnostic> ds = LintEngine.standard().lint(inputs).diagnostics();
        long t2 = System.nanoTime();
        long c2 = mx.getCurrentThreadCpuTime();
        if (Boolean.getBoolean("bench.breakdown")) {
            List<List<dev.podnet.lint.Check>> runs = new java.util.ArrayList<>();
            runs.add(List.of());
            dev.podnet.lint.Checks.all().forEach(c -> runs.add(List.of(c)));
            runs.add(dev.podnet.lint.Checks.all());
            for (List<dev.podnet.lint.Check> cs : runs) {
                long a = mx.getCurrentThreadCpuTime();
                new LintEngine(cs).lint(inputs);
                System.out.printf("  checks %s: %d ms CPU%n", cs.stream().map(c -> c.getClass().getSimpleName())
                        .toList(), (mx.getCurrentThreadCpuTime() - a) / 1_000_000);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        ds.forEach(d -> counts.merge(d.rule(), 1, Integer::sum));
        System.out.printf("files: %d, read: %d ms, lint: %d ms wall (%d ms CPU of the linting thread), "
                + "since JVM start: %d ms%n", inputs.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (c2 - c1) / 1_000_000, System.currentTimeMillis() - jvmStart);
        System.out.println("findings per rule: " + counts);
        if (args.length == 0) {
            // The generated folder is ours: remove it (a folder given as argument is the user's and stays).
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes {@code namespaces} namespaces, each with pods (Deployments' worth of Pods with IPs and ports), a Service
     * per app, and policies: a default-deny, DNS allowances and app-to-app rules, some with deliberate mistakes.
     */
    static void generate(Path dir, int policies, int pods, int namespaces) throws IOException {
        int podsPerNs = pods / namespaces;
        int policiesPerNs = policies / namespaces;
        for (int n = 0; n < namespaces; n++) {
            String ns = "team-" + n;
            StringBuilder cluster = new StringBuilder();
            cluster.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns)
                    .append("\n  labels: {team: t").append(n).append("}\n");
            for (int i = 0; i < podsPerNs; i++) {
                int app = i % 20;
                cluster.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app").append(app).append("-")
                        .append(i).append("\n  namespace: ").append(ns).append("\n  labels: {app: app").append(app)
                        .append(", tier: t").append(i % 3).append("}\nspec:\n  containers:\n  - name: main\n    image: "
                        + "registry.example/app:1\n    ports:\n    - {name: http, containerPort: 8080}\n    - {name: "
                        + "metrics, containerPort: 9090}\nstatus:\n  podIP: 10.").append(n / 250).append('.')
                        .append(n % 250).append('.').append(i % 250).append('\n');
            }
            for (int app = 0; app < 20; app++) {
                cluster.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: app").append(app)
                        .append(", namespace: ").append(ns).append("}\nspec:\n  selector: {app: app").append(app)
                        .append("}\n  ports: [{port: 80, targetPort: 8080}]\n");
            }
            Files.writeString(dir.resolve(ns + "-cluster.yaml"), cluster.toString(), StandardCharsets.UTF_8);
            StringBuilder pol = new StringBuilder();
            for (int k = 0; k < policiesPerNs; k++) {
                if (k > 0) {
                    pol.append("---\n");
                }
                int app = k % 20;
                pol.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p").append(k)
                        .append("\n  namespace: ").append(ns).append("\nspec:\n  podSelector:\n    matchLabels: {app: app")
                        .append(app).append("}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - podSelector:"
                        + " {matchLabels: {app: app").append((app + 1) % 20).append("}}\n    - namespaceSelector: "
                        + "{matchLabels: {team: t").append((n + 1) % namespaces).append("}}\n      podSelector: "
                        + "{matchLabels: {tier: t1}}\n    ports:\n    - port: ").append(k % 7 == 0 ? "80" : "http")
                        .append("\n  egress:\n  - to:\n    - podSelector: {matchLabels: {app: app").append((app + 2) % 20)
                        .append("}}\n    ports: [{port: 8080}, {port: metrics}]\n");
                if (k % 5 != 0) {
                    pol.append("  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                            + "kube-system}}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}\n    ports:\n"
                            + "    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}\n");
                }
                if (k % 11 == 0) {
                    pol.append("  - to:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n");
                }
            }
            Files.writeString(dir.resolve(ns + "-policies.yaml"), pol.toString(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("podnet.yaml"), "cluster:\n  podCIDR: 10.0.0.0/14\n  serviceCIDR: 10.96.0.0/12\n"
                + "  policyEnforcement: calico\n", StandardCharsets.UTF_8);
    }
}
