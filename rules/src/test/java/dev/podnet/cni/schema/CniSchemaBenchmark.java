package dev.podnet.cni.schema;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark harness (not a test): lints 1,000 CNI files in one process with the schema check only and prints
 * the wall time of the first (cold: schema loading and compilation included) and of a second (warm) run.
 * The files are the real-world shapes of {@code cni-schema/real/} with the network name varied and, in every
 * tenth file, a misspelt key, so both clean and failing paths are measured.
 *
 * <p>Run from the repository root after {@code mvn -B -q -o test-compile -pl rules}:
 * {@code mvn -B -q -o exec:java -pl rules -Dexec.mainClass=dev.podnet.cni.schema.CniSchemaBenchmark
 * -Dexec.classpathScope=test} (or plain {@code java -cp} with the test classpath). Optional argument: the
 * number of files.
 */
public final class CniSchemaBenchmark {
    private static final String[] SHAPES = {"00-multus-shim.conf", "00-multus.conf", "05-cilium.conflist",
        "10-bridge-bandwidth.conflist", "10-calico.conflist", "10-canal.conflist", "10-containerd-net.conflist",
        "10-flannel.conflist", "10-k3s-flannel.conflist", "10-mynet-ptp.conflist", "10-weave.conflist",
        "11-crio-ipv4-bridge.conflist", "20-macvlan-dhcp.conflist", "30-ipvlan-static.conflist",
        "87-podman-bridge.conflist", "99-loopback.conf"};

    private CniSchemaBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<InputFile> inputs = inputs(n);
        LintEngine engine = new LintEngine(List.of(new CniSchemaCheck()));
        LintEngine parseOnly = new LintEngine(List.of());
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 3; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            parseOnly.lint(inputs);
            long c1 = threads.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            List<Diagnostic> ds = engine.lint(inputs).diagnostics();
            long c2 = threads.getCurrentThreadCpuTime();
            long t2 = System.nanoTime();
            System.out.printf("run %d%s: %d files, %d findings; parse only %d ms wall / %d ms cpu; parse + schema "
                    + "check %d ms wall / %d ms cpu%n", round, round == 1 ? " (cold: schemas compiled on first use)"
                    : "", n, ds.size(), (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (c2 - c1) / 1_000_000);
        }
        System.out.printf("load average: %.2f on %d cpus%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        long cpu = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1_000_000 : -1;
        System.out.printf("since JVM start: %d ms wall, %d ms process cpu (all threads: JIT, GC included)%n",
                System.currentTimeMillis() - jvmStart, cpu);
    }

    static List<InputFile> inputs(int n) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String s : SHAPES) {
            try (InputStream in = CniSchemaBenchmark.class.getResourceAsStream("/cni-schema/real/" + s)) {
                texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        List<InputFile> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i % SHAPES.length;
            String t = texts.get(k).replaceFirst("\"name\": \"([^\"]*)\"", "\"name\": \"$1-" + i + "\"");
            if (i % 10 == 9) {
                t = t.replaceFirst("\"type\"", "\"typo\": 1, \"type\"");
            }
            out.add(InputFile.of("bench/" + i + "/" + SHAPES[k], t));
        }
        return out;
    }
}
