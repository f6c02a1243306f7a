package dev.podnet.reach;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the reachability tests: resources, inventories, expected tables. */
final class ReachTestSupport {
    private ReachTestSupport() {
    }

    static String resource(String path) {
        try (InputStream in = ReachTestSupport.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Inventory inventory(InputFile... files) {
        return InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(files)).workspace());
    }

    static Inventory conformance(String c) {
        String dir = "conformance/" + c + "/";
        return inventory(InputFile.of(dir + "cluster.yaml", resource(dir + "cluster.yaml")),
                InputFile.of(dir + "policies.yaml", resource(dir + "policies.yaml")));
    }

    /** The lines of an expected.txt without comments and blank lines. */
    static List<String> significant(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank() && !l.startsWith("#")) {
                out.add(l.strip());
            }
        }
        return out;
    }

    static List<Probe> probes(List<String> lines) {
        List<Probe> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("[")) {
                out.add(Probe.parse(l.substring(1, l.length() - 1)));
            }
        }
        return out;
    }

    static String render(Table t) {
        StringWriter sw = new StringWriter();
        TableText.table(t, new PrintWriter(sw));
        return sw.toString();
    }
}
