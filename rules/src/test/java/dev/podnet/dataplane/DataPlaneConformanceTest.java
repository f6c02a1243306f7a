package dev.podnet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-plane table (RulesetGenerator output walked through the netfilter evaluator on one healthy node) equals
 * the semantic truth table {@code expected.txt} of every conformance case, for every probe of the table.
 */
class DataPlaneConformanceTest {

    static Path root() throws URISyntaxException {
        return Path.of(DataPlaneConformanceTest.class.getResource("/conformance").toURI());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Probe to ("from to" to verdict), from the conformance table format. */
    static Map<String, Map<String, String>> parseTable(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> cur = null;
        for (String line : text.split("\\R")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                cur = out.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            String[] f = l.split("\\s+");
            cur.put(f[0] + " " + f[1], f[2]);
        }
        return out;
    }

    static Inventory inventory(Path dir) throws IOException {
        List<InputFile> files = new ArrayList<>();
        for (String f : List.of("cluster.yaml", "policies.yaml")) {
            files.add(InputFile.of(f, Files.readString(dir.resolve(f))));
        }
        return InventoryBuilder.build(new LintEngine(List.of()).lint(files).workspace());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dataPlaneTableEqualsExpected(String name) throws Exception {
        Path dir = root().resolve(name);
        Map<String, Map<String, String>> expected = parseTable(Files.readString(dir.resolve("expected.txt")));
        DataPlaneSimulator sim = DataPlaneSimulator.healthySingleNode(inventory(dir));
        assertThat(sim.nodes()).hasSize(1);
        Map<String, Map<String, String>> actual = parseTable(sim.table(List.copyOf(expected.keySet())));
        for (String probe : expected.keySet()) {
            Map<String, String> e = expected.get(probe);
            Map<String, String> a = actual.get(probe);
            List<String> diffs = new ArrayList<>();
            for (Map.Entry<String, String> x : e.entrySet()) {
                if (!x.getValue().equals(a.get(x.getKey()))) {
                    String[] ft = x.getKey().split(" ");
                    String[] pp = probe.split("/");
                    diffs.add(x.getKey() + " expected " + x.getValue() + " got " + a.get(x.getKey()) + "\n"
                            + sim.connect(new DataPlaneSimulator.Connection(ft[0], ft[1], Integer.parseInt(pp[0]),
                            pp[1])).trace());
                }
            }
            assertThat(diffs).as(probe).isEmpty();
            assertThat(a.keySet()).as(probe).isEqualTo(e.keySet());
        }
    }
}
