package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code simulate --data-plane} prints the conformance table computed through the netfilter walk. */
class DataPlaneCliTest {

    static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    static String withoutComments(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    /** Probe header to the sorted lines of its section. */
    static java.util.Map<String, List<String>> sections(String text) {
        java.util.Map<String, List<String>> m = new java.util.TreeMap<>();
        String probe = "";
        for (String l : withoutComments(text).lines().toList()) {
            if (l.startsWith("[")) {
                probe = l;
                m.put(probe, new java.util.ArrayList<>());
            } else {
                m.get(probe).add(l);
            }
        }
        m.values().forEach(java.util.Collections::sort);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"018-named-port-ingress", "033-egress-ipblock-except", "044-egress-deny-with-dns-to-kube-dns",
            "011-podselector-and-namespaceselector"})
    void dataPlaneTableEqualsTheConformanceTable(String name) throws Exception {
        Path dir = Path.of(DataPlaneCliTest.class.getResource("/conformance/" + name).toURI());
        String expected = Files.readString(dir.resolve("expected.txt"));
        List<String> probes = expected.lines().filter(l -> l.startsWith("[")).map(l -> l.substring(1, l.length() - 1))
                .toList();
        String[] args = new String[3 + 2 * probes.size()];
        args[0] = "simulate";
        args[1] = dir.toString();
        args[2] = "--data-plane";
        for (int i = 0; i < probes.size(); i++) {
            args[3 + 2 * i] = "--probe";
            args[4 + 2 * i] = probes.get(i);
        }
        String table = run(args);
        // Line order may differ where the corpus lists a namespace out of order (044): compare as sets per probe.
        assertThat(sections(table)).isEqualTo(sections(expected));
        // and line for line the table of the policy semantics: same rows in the same order
        String[] semantic = java.util.Arrays.stream(args).filter(a -> !a.equals("--data-plane"))
                .toArray(String[]::new);
        assertThat(table).isEqualTo(run(semantic));
        String explain = run("explain", dir.toString(), "--from", "x/a", "--to", "x/b", "--port", probes.get(0),
                "--trace");
        assertThat(explain).contains("data plane: ").contains("filter ");
    }

    record Run(int code, String out, String err) {
    }

    static Run runAny(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String conformance(String name) throws Exception {
        return Path.of(DataPlaneCliTest.class.getResource("/conformance/" + name).toURI()).toString();
    }

    @org.junit.jupiter.api.Test
    void summaryCountsTheTable() throws Exception {
        String dir = conformance("018-named-port-ingress");
        String table = run("simulate", dir, "--data-plane", "--probe", "80/TCP", "--probe", "81/TCP");
        String summary = run("simulate", dir, "--data-plane", "--probe", "80/TCP", "--probe", "81/TCP",
                "--format", "summary");
        StringBuilder want = new StringBuilder();
        for (var e : sections(table).entrySet()) {
            long allow = e.getValue().stream().filter(l -> l.endsWith(" allow")).count();
            long deny = e.getValue().stream().filter(l -> l.endsWith(" deny")).count();
            want.append(e.getKey(), 1, e.getKey().length() - 1).append(" allowed=").append(allow)
                    .append(" denied=").append(deny).append('\n');
        }
        assertThat(summary).isEqualTo(want.toString());
    }

    @org.junit.jupiter.api.Test
    void maxPairsSkipsWholeProbesSaysWhichAndExitsOne() throws Exception {
        String dir = conformance("018-named-port-ingress");
        Run none = runAny("simulate", dir, "--data-plane", "--probe", "80/TCP", "--probe", "81/TCP",
                "--format", "summary", "--max-pairs", "0", "--no-progress");
        assertThat(none.code()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("80/TCP skipped \\(needs (\\d+) packet walks; "
                + "--max-pairs 0\\)").matcher(none.out());
        assertThat(m.find()).as(none.out()).isTrue();
        long perProbe = Long.parseLong(m.group(1));
        assertThat(none.out()).contains("81/TCP skipped (needs " + perProbe + " packet walks; --max-pairs 0)");
        assertThat(none.err()).contains("podnet: [80/TCP] skipped: it needs " + perProbe + " packet walks")
                .contains("raise --max-pairs or pass fewer --probe").doesNotContain("\r");

        Run one = runAny("simulate", dir, "--data-plane", "--probe", "80/TCP", "--probe", "81/TCP",
                "--max-pairs", String.valueOf(perProbe), "--no-progress");
        assertThat(one.code()).isEqualTo(1);
        assertThat(one.out()).startsWith("[80/TCP]\n").doesNotContain("[81/TCP]");
        assertThat(one.err()).contains("[81/TCP] skipped").doesNotContain("[80/TCP] skipped");

        Run all = runAny("simulate", dir, "--data-plane", "--probe", "80/TCP", "--probe", "81/TCP",
                "--max-pairs", String.valueOf(2 * perProbe), "--no-progress");
        assertThat(all.code()).isZero();
        assertThat(all.err()).doesNotContain("skipped");
        assertThat(runAny("simulate", dir, "--data-plane", "--max-pairs", "-1").code()).isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void progressOnStderrWhenAskedAndErasedAtTheEnd() throws Exception {
        String dir = conformance("018-named-port-ingress");
        Run r = runAny("simulate", dir, "--data-plane", "--probe", "80/TCP", "--format", "summary", "--progress");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("\rsimulate --data-plane: generating and parsing the node rulesets")
                .contains("simulate --data-plane: [80/TCP] 100% (").endsWith("\r");
        assertThat(r.out()).startsWith("80/TCP allowed=");
    }
}
