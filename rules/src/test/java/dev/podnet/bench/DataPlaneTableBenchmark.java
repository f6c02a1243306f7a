package dev.podnet.bench;

import dev.podnet.dataplane.DataPlaneSimulator;
import dev.podnet.dataplane.DataPlaneTable;
import dev.podnet.inventory.Inventory;
import dev.podnet.reach.Probe;
import dev.podnet.reach.ReachabilityEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark harness (not a test) for {@code podnet simulate --data-plane}: for each size, a
 * {@link BenchClusters#generate} cluster (seed 42; every pod on node-1, as its pods say), the probes the CLI uses
 * by default (every declared port/protocol, at most 16), then
 * <ol>
 *   <li><b>setup</b>: {@link DataPlaneSimulator#healthy} (generate the ruleset, parse it, build the node);</li>
 *   <li><b>table</b>: {@link DataPlaneTable#compute} on equivalence classes, with the walk budget given by
 *       {@code --max-pairs} (default: the CLI's default), printing classes, walks, skipped probes;</li>
 *   <li><b>pair by pair</b> (what {@code simulate --data-plane} did before classes): {@code SAMPLES} random
 *       (pair, probe) walks with {@link DataPlaneSimulator#connect}, each compared with the table's verdict (a
 *       mismatch exits 1), and the CPU time per walk extrapolated to the whole table.</li>
 * </ol>
 * CPU times are those of the benchmark thread (the machine is shared). With {@code --write DIR} it only writes the
 * cluster of the first size as manifests ({@code DIR/cluster.yaml}, {@code DIR/policies.yaml},
 * {@code DIR/podnet.yaml}), so the CLI can be timed on the same input. Run from the repository root:
 * {@code mvn -B -o -q test-compile -pl rules && mvn -B -o -q exec:java -pl rules -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.podnet.bench.DataPlaneTableBenchmark -Dexec.args="1000 3000 --max-pairs 2000000"}.
 */
public final class DataPlaneTableBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int SAMPLES = 5_000;

    private DataPlaneTableBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        long maxPairs = dev.podnet.dataplane.DataPlaneTable.DEFAULT_MAX_WALKS;
        java.nio.file.Path write = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--write")) {
                write = java.nio.file.Path.of(args[++i]);
            } else if (args[i].equals("--max-pairs")) {
                maxPairs = Long.parseLong(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1000, 3000);
        }
        if (write != null) {
            write(BenchClusters.generate(sizes.get(0), 42), write);
            return;
        }
        for (int n : sizes) {
            run(n, maxPairs);
        }
        System.out.printf("load average %.1f on %d cpus%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static void run(int size, long maxPairs) {
        Inventory inv = BenchClusters.generate(size, 42);
        List<String> probes = new ReachabilityEngine(inv).declaredProbes(16).stream().map(Probe::toString).toList();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(inv);
        long c1 = THREADS.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        DataPlaneTable t = DataPlaneTable.compute(sim, probes, maxPairs, null);
        long c2 = THREADS.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        int pods = t.pods().size();
        System.out.printf("pods=%d policies=%d probes=%s classes=%d%n", pods, inv.policies().size(), probes,
                t.classCount());
        System.out.printf("  setup: %.0f ms wall, %.0f ms cpu%n", (t1 - t0) / 1e6, (c1 - c0) / 1e6);
        System.out.printf("  table: %.0f ms wall, %.0f ms cpu, %d walks (%.1f us cpu/walk), computed %s, skipped %s%n",
                (t2 - t1) / 1e6, (c2 - c1) / 1e6, t.walks(), t.walks() == 0 ? 0.0 : (c2 - c1) / 1e3 / t.walks(),
                t.probes(), t.skipped());
        Random r = new Random(1);
        long c3 = THREADS.getCurrentThreadCpuTime();
        int compared = 0;
        for (int k = 0; k < SAMPLES; k++) {
            int i = r.nextInt(pods);
            int j = r.nextInt(pods);
            int p = r.nextInt(probes.size());
            String[] pp = probes.get(p).split("/");
            String v = sim.connect(new DataPlaneSimulator.Connection(t.pods().get(i).key(), t.pods().get(j).key(),
                    Integer.parseInt(pp[0]), pp[1])).verdict();
            int computed = t.probes().indexOf(probes.get(p));
            if (computed >= 0) {
                compared++;
                if (!v.equals(t.verdict(computed, i, j))) {
                    System.out.printf("MISMATCH %s -> %s %s: pair walk %s, table %s%n", t.pods().get(i).key(),
                            t.pods().get(j).key(), probes.get(p), v, t.verdict(computed, i, j));
                    System.exit(1);
                }
            }
        }
        long c4 = THREADS.getCurrentThreadCpuTime();
        double perWalk = (c4 - c3) / 1e3 / SAMPLES;
        double full = perWalk * pods * (double) pods * probes.size() / 1e6;
        System.out.printf("  pair by pair: %.1f us cpu/walk over %d samples (%d compared, all equal); "
                + "whole table %.0f walks = %.0f s cpu%n", perWalk, SAMPLES, compared,
                (double) pods * pods * probes.size(), full);
    }

    /** Writes the inventory as manifests a user would have: Namespaces and Pods, NetworkPolicies, podnet.yaml. */
    static void write(Inventory inv, java.nio.file.Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
            StringBuilder cluster = new StringBuilder();
            for (var ns : inv.namespaces().values()) {
                cluster.append("---\n").append(yaml.writeValueAsString(java.util.Map.of("apiVersion", "v1",
                        "kind", "Namespace", "metadata", java.util.Map.of("name", ns.name(), "labels", ns.labels())))
                        .replaceFirst("^---\\n", ""));
            }
            for (var p : inv.pods()) {
                List<java.util.Map<String, Object>> ports = new ArrayList<>();
                p.ports().forEach(cp -> ports.add(java.util.Map.of("name", cp.name(), "containerPort", cp.port(),
                        "protocol", cp.protocol())));
                java.util.Map<String, Object> pod = new java.util.LinkedHashMap<>();
                pod.put("apiVersion", "v1");
                pod.put("kind", "Pod");
                pod.put("metadata", java.util.Map.of("name", p.name(), "namespace", p.namespace(), "labels",
                        p.labels()));
                pod.put("spec", java.util.Map.of("nodeName", p.nodeName(), "containers", List.of(java.util.Map.of(
                        "name", "main", "image", "registry.example/app:1", "ports", ports))));
                pod.put("status", java.util.Map.of("podIP", p.ips().get(0)));
                cluster.append(yaml.writeValueAsString(pod));
            }
            java.nio.file.Files.writeString(dir.resolve("cluster.yaml"), cluster.toString());
            StringBuilder pols = new StringBuilder();
            for (var pi : inv.policies()) {
                pi.policy().setApiVersion("networking.k8s.io/v1");
                pi.policy().setKind("NetworkPolicy");
                pols.append(yaml.writeValueAsString(pi.policy()));
            }
            java.nio.file.Files.writeString(dir.resolve("policies.yaml"), pols.toString());
            java.nio.file.Files.writeString(dir.resolve("podnet.yaml"), "cluster:\n  podCIDR: "
                    + inv.facts().podCIDRs().stream().map(Object::toString).collect(
                    java.util.stream.Collectors.joining(",")) + "\n  policyEnforcement: " + inv.facts().policyEnforcement() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
