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
        String explain = run("explain", dir.toString(), "--from", "x/a", "--to", "x/b", "--port", probes.get(0),
                "--trace");
        assertThat(explain).contains("data plane: ").contains("filter ");
    }
}
