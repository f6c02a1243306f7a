package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the CLI over {@code samples/}: the realistic configs in {@code samples/cni} give no error, and every case
 * in {@code samples/broken} (a file, or a {@code net.d-*} folder for directory rules) gives the finding its
 * README row names. An expected rule (or any rule of an expected id range) is asserted exactly when it is
 * registered in {@link RuleRegistry}; when it is not, but its block of ids (schema CNI001-009, per-file rules
 * CNI010-069, directory rules CNI070-099, SYN) is part of the build, at least one finding is required; when the
 * whole block is missing from this build the case is skipped (reported as skipped, never as passed).
 */
class SamplesTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|.*\\|\\s*`([^`]+)`\\s*\\|\\s*$");
    private static final Pattern RANGE = Pattern.compile("([A-Z]+)(\\d{3})-([A-Z]+)(\\d{3})");

    static Path samples() {
        return CliRun.repoRoot().resolve("samples");
    }

    @Test
    void realisticSamplesHaveNoErrors() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(samples().resolve("cni"))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("10-flannel.conflist",
                "10-mynet.conflist", "20-ptp.conflist", "10-calico.conflist");
        CliRun run = CliRun.lintJson(List.of(samples().resolve("cni")));
        assertThat(run.diagnostics()).as(run.out())
                .noneMatch(d -> d.path("severity").asText().equals("error"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(PodnetCli.OK);
    }

    /** The README table: case (file or folder with trailing slash) to expected rule spec. */
    static Map<String, String> table() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(samples().resolve("broken/README.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), m.group(2));
            }
        }
        return rows;
    }

    @Test
    void readmeListsEveryBrokenSample() throws IOException {
        TreeSet<String> onDisk = new TreeSet<>();
        try (Stream<Path> s = Files.list(samples().resolve("broken"))) {
            s.filter(p -> !p.getFileName().toString().equals("README.md"))
                    .forEach(p -> onDisk.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
        }
        assertThat(new TreeSet<>(table().keySet())).isEqualTo(onDisk);
        assertThat(onDisk).hasSizeGreaterThanOrEqualTo(10);
    }

    @TestFactory
    Stream<DynamicTest> everyBrokenSampleIsReported() throws IOException {
        return table().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Path target = samples().resolve("broken").resolve(e.getKey());
            CliRun run = CliRun.lintJson(List.of(target));
            List<JsonNode> ds = run.diagnostics();
            List<String> rules = ds.stream().map(d -> d.path("rule").asText()).toList();
            List<String> registered = registeredAlternatives(e.getValue());
            Assumptions.assumeTrue(!registered.isEmpty() || blockInBuild(e.getValue()),
                    "rules " + e.getValue() + " are not part of this build");
            assertThat(ds).as(e.getKey() + " gives at least one finding").isNotEmpty();
            if (!registered.isEmpty()) {
                assertThat(rules).as(e.getKey() + ": expected one of " + registered + "\n" + run.out())
                        .containsAnyElementsOf(registered);
            }
        }));
    }

    /** The registered rule ids an expected spec ({@code ID}, {@code ID-ID}, joined by {@code or}) allows. */
    static List<String> registeredAlternatives(String spec) {
        List<String> out = new ArrayList<>();
        for (String alt : spec.split("\\s+or\\s+")) {
            Matcher m = RANGE.matcher(alt.trim());
            if (m.matches()) {
                int lo = Integer.parseInt(m.group(2));
                int hi = Integer.parseInt(m.group(4));
                for (RuleInfo r : RuleRegistry.get().all()) {
                    if (r.family().equals(m.group(1))) {
                        int n = Integer.parseInt(r.id().substring(r.family().length()));
                        if (n >= lo && n <= hi) {
                            out.add(r.id());
                        }
                    }
                }
            } else {
                RuleRegistry.get().find(alt.trim()).ifPresent(r -> out.add(r.id()));
            }
        }
        return out;
    }

    /** Id blocks owned by one rule family each: [prefix, first, last]. */
    private static final List<Object[]> BLOCKS = List.of(new Object[] {"CNI", 1, 9}, new Object[] {"CNI", 10, 69},
            new Object[] {"CNI", 70, 99}, new Object[] {"SYN", 1, 999});

    /** True when, for some alternative of the spec, a rule of its id block is registered. */
    static boolean blockInBuild(String spec) {
        for (String alt : spec.split("\\s+or\\s+")) {
            Matcher m = Pattern.compile("([A-Z]+)(\\d{3}).*").matcher(alt.trim());
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(2));
            for (Object[] b : BLOCKS) {
                if (b[0].equals(m.group(1)) && n >= (int) b[1] && n <= (int) b[2]
                        && !registeredAlternatives(b[0] + String.format("%03d-", (int) b[1]) + b[0]
                        + String.format("%03d", (int) b[2])).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void ruleSpecsOfThisBranchAreRegistered() {
        // the syntax and net.d directory families are part of this build: their rows are always asserted exactly
        for (String id : List.of("SYN001", "CNI071", "CNI073", "CNI074", "CNI075")) {
            assertThat(registeredAlternatives(id)).containsExactly(id);
        }
        assertThat(registeredAlternatives("CNI070-CNI076")).hasSize(7);
        assertThat(blockInBuild("CNI073")).isTrue();
        assertThat(blockInBuild("SYN001")).isTrue();
    }

    @Test
    void missingQuoteIsReportedAtTheKey() {
        CliRun run = CliRun.lintJson(List.of(samples().resolve("broken/10-missing-quote.conflist")));
        JsonNode d = run.diagnostics().get(0);
        assertThat(d.path("rule").asText()).isEqualTo("SYN001");
        assertThat(d.path("line").asInt()).isEqualTo(11);
        assertThat(d.path("message").asText()).contains("assign_ipv6");
        assertThat(run.exitCode()).isEqualTo(PodnetCli.FINDINGS);
    }
}
