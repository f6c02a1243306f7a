package dev.podnet.bench;

import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.reach.Probe;
import dev.podnet.reach.ReachabilityEngine;
import dev.podnet.reach.ReferenceEvaluator;
import dev.podnet.reach.Table;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Random;

/**
 * Benchmark of the reachability engine against the per-pair reference evaluator (see bench/README.md for how to
 * run it). For each size (default 500, 5000, 20000 pods; 25 pods per namespace, one policy per 5 pods; probes
 * 8080/TCP and 53/UDP) it reports:
 * <ul>
 *   <li>engine: time to build the classes, compute both probes and read every ordered pair's verdict once
 *       (best of 3 after one warm-up run), the number of classes, and the peak heap the run needed;</li>
 *   <li>reference: time of the per-pair evaluator over the full table when it has at most 600,000 entries,
 *       otherwise over a random sample of 200,000 (pair, probe) entries extrapolated to the full table; every
 *       sampled verdict is compared with the engine's (a mismatch aborts with exit code 1).</li>
 * </ul>
 * Times are reported as wall-clock and as the CPU time of the benchmark thread (the engine is single-threaded),
 * since the CPU time stays meaningful on a loaded machine. Arguments: pod counts to run (optional).
 */
public final class ReachabilityBenchmark {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<Probe> PROBES = List.of(Probe.parse("8080/TCP"), Probe.parse("53/UDP"));

    private ReachabilityBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {500, 5000, 20000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("cores=%d maxHeap=%dMiB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("pods  namespaces  policies  classes  engine_ms(wall/cpu)  peak_heap_MiB  "
                + "ref_ms(full table, wall/cpu)  ref_mode  speedup(wall/cpu)  allowed[8080/TCP]  allowed[53/UDP]");
        for (int size : sizes) {
            run(size);
        }
    }

    private static void run(int size) {
        Inventory inv = BenchClusters.generate(size, 42);
        long checksum = 0;
        String phases = "";
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        Table table = null;
        ReachabilityEngine engine = null;
        for (int i = 0; i < 4; i++) {
            System.gc();
            resetPeaks();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            engine = new ReachabilityEngine(inv);
            long t1 = System.nanoTime();
            table = engine.compute(PROBES);
            long t2 = System.nanoTime();
            checksum = materialise(table);
            long t = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - c0;
            phases = String.format("classes %.0f ms, compute %.0f ms, read all %.0f ms", (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6, (System.nanoTime() - t2) / 1e6);
            if (i > 0) {
                best = Math.min(best, t);
                bestCpu = Math.min(bestCpu, cpu);
            }
        }
        long peak = peakHeap();
        ReferenceEvaluator ref = new ReferenceEvaluator(inv);
        List<PodInfo> pods = table.pods().stream().map(p -> p.pod()).toList();
        int n = pods.size();
        double fullEntries = (double) n * n * PROBES.size();
        String mode;
        double refMs;
        double refCpuMs;
        long rc0 = THREADS.getCurrentThreadCpuTime();
        if (fullEntries <= 600_000) {
            long t0 = System.nanoTime();
            for (int p = 0; p < PROBES.size(); p++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        check(table, ref, pods, p, i, j);
                    }
                }
            }
            refMs = (System.nanoTime() - t0) / 1e6;
            refCpuMs = (THREADS.getCurrentThreadCpuTime() - rc0) / 1e6;
            mode = "full";
        } else {
            int samples = 200_000;
            Random rnd = new Random(7);
            int[][] pick = new int[samples][3];
            for (int s = 0; s < samples; s++) {
                pick[s][0] = rnd.nextInt(PROBES.size());
                pick[s][1] = rnd.nextInt(n);
                pick[s][2] = rnd.nextInt(n);
            }
            long t0 = System.nanoTime();
            for (int[] s : pick) {
                check(table, ref, pods, s[0], s[1], s[2]);
            }
            double perEntry = (System.nanoTime() - t0) / 1e6 / samples;
            refMs = perEntry * fullEntries;
            refCpuMs = (THREADS.getCurrentThreadCpuTime() - rc0) / 1e6 / samples * fullEntries;
            mode = "sampled " + samples;
        }
        double engineMs = best / 1e6;
        double engineCpuMs = bestCpu / 1e6;
        System.out.printf("%5d  %10d  %8d  %7d  %8.1f/%8.1f  %13d  %12.0f/%12.0f  %-15s  %6.0fx/%6.0fx  %17d  %15d"
                + "   (checksum %d)%n", n, inv.namespaces().size(), inv.policies().size(), engine.classCount(),
                engineMs, engineCpuMs, peak >> 20, refMs, refCpuMs, mode, refMs / engineMs, refCpuMs / engineCpuMs,
                table.allowedCount(0), table.allowedCount(1), checksum);
        System.out.println("       last engine run: " + phases);
    }

    private static void check(Table table, ReferenceEvaluator ref, List<PodInfo> pods, int p, int i, int j) {
        Probe probe = PROBES.get(p);
        boolean expected = ref.allowed(pods.get(i), pods.get(j), probe.port(), probe.protocol());
        if (table.allowed(p, i, j) != expected) {
            System.out.println("MISMATCH " + pods.get(i).key() + " -> " + pods.get(j).key() + " " + probe);
            System.exit(1);
        }
    }

    /** Reads every verdict once (so the timing covers the whole table, not only its compressed form). */
    private static long materialise(Table t) {
        long allowed = 0;
        int n = t.pods().size();
        for (int p = 0; p < t.probes().size(); p++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (t.allowed(p, i, j)) {
                        allowed++;
                    }
                }
            }
        }
        return allowed;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                sum += b.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
