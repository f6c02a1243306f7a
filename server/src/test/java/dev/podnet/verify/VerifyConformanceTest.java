package dev.podnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.testing.Kernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code podnet verify} on all 38 conformance cases: the kernel's verdicts (real namespaces, real CNI plugins, the
 * generated ruleset, real packets) must equal each case's expected.txt for every probe it lists (SCTP where the
 * kernel supports it, else reported as not probed). Cases run a few at a time, each in its own sandbox
 * ({@code -Dpodnet.verify.cases=N}, default 3); per-case wall times are printed to the test output.
 */
class VerifyConformanceTest {
    private final List<String> prefixes = Collections.synchronizedList(new ArrayList<>());

    static Sandbox.Options options(PrintWriter progress) {
        return new Sandbox.Options(Verifier.defaultPluginDir(), true, 1, 8, Duration.ofSeconds(1), progress);
    }

    @AfterEach
    void nothingOfOursIsLeft() {
        VerifyScenariosTest.assertNoNamespaces(prefixes);
    }

    @Test
    void kernelVerdictsEqualTheExpectedTablesOfAllCases() throws Exception {
        Kernel.require("ip", "socat", "ss", "iptables-restore", "ipset", Verifier.defaultPluginDir() + "/bridge");
        List<String> cases = Conformance.cases();
        assertThat(cases).hasSize(38);
        int parallel = Integer.getInteger("podnet.verify.cases", 3);
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        Map<String, Future<String>> runs = new TreeMap<>();
        for (String c : cases) {
            runs.put(c, pool.submit(() -> {
                String prefix = Sandbox.newPrefix();
                prefixes.add(prefix);
                StringWriter log = new StringWriter();
                Verifier.Result r = Verifier.run(Conformance.inventory(c), List.of(), Conformance.expected(c),
                        options(new PrintWriter(log)), prefix);
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("%-48s %6d ms  %4d probes compared  %s%n", c, r.millis(), r.compared(),
                        r.notes().isEmpty() ? "" : r.notes()));
                assertThat(r.compared()).as(c + ": probes compared").isPositive();
                r.disagreements().forEach(d -> sb.append("  DISAGREE ").append(d).append('\n'));
                return sb.toString();
            }));
        }
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, Future<String>> e : runs.entrySet()) {
            String line = e.getValue().get();
            report.append(line);
            if (line.contains("DISAGREE")) {
                failures.add(line);
            }
        }
        pool.shutdown();
        report.append(String.format("all %d cases: %d ms wall, %d at a time%n", cases.size(),
                (System.nanoTime() - t0) / 1_000_000, parallel));
        System.out.print(report);
        assertThat(failures).as("cases where the kernel disagrees with expected.txt").isEmpty();
    }
}
