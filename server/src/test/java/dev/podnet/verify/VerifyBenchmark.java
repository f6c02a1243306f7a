package dev.podnet.verify;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark harness (not a test): runs {@code podnet verify} on all 38 conformance cases and prints the wall time
 * and the CPU time this JVM and its reaped children (ip, socat, iptables, CNI plugins) used, from
 * {@code /proc/self/stat} (utime+stime+cutime+cstime, in clock ticks of 10 ms). Needs root.
 * <pre>
 * mvn -B -q -o test-compile -pl rules,server -am
 * java -cp server/target/test-classes:server/target/classes:rules/target/classes:$(deps) \
 *     dev.podnet.verify.VerifyBenchmark [CASES_AT_ONCE=3] [PROBES_AT_ONCE=8]
 * </pre>
 */
public final class VerifyBenchmark {
    private VerifyBenchmark() {
    }

    /** Seconds of CPU used by this process and its waited-for children. */
    static double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14-17 of proc(5) are at indexes 11-14 after the command name
        long ticks = 0;
        for (int i = 11; i <= 14; i++) {
            ticks += Long.parseLong(f[i]);
        }
        return ticks / 100.0;
    }

    public static void main(String[] args) throws Exception {
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int probes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        double cpu0 = cpuSeconds();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(cases);
        List<Future<String>> runs = new ArrayList<>();
        for (String c : Conformance.cases()) {
            runs.add(pool.submit(() -> {
                Verifier.Result r = Verifier.run(Conformance.inventory(c), List.of(), Conformance.expected(c),
                        new Sandbox.Options(Verifier.defaultPluginDir(), true, 1, probes, Duration.ofSeconds(1),
                                new PrintWriter(new StringWriter())));
                return String.format("%-48s %6d ms %4d probes %d disagreements", c, r.millis(), r.compared(),
                        r.disagreements().size());
            }));
        }
        for (Future<String> f : runs) {
            System.out.println(f.get());
        }
        pool.shutdown();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = cpuSeconds() - cpu0;
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf("38 cases, %d at a time, %d probes at a time: %.1f s wall, %.1f s CPU (JVM + children), "
                + "%d CPUs, loadavg %s%n", cases, probes, wall, cpu, Runtime.getRuntime().availableProcessors(), load);
    }
}
