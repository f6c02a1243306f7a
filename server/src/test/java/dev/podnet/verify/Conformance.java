package dev.podnet.verify;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The conformance corpus on the test classpath ({@code /conformance/NNN-name/}). */
final class Conformance {
    private Conformance() {
    }

    static String resource(String path) {
        try (InputStream in = Conformance.class.getResourceAsStream("/conformance/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /conformance/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case folder names listed in INDEX.md. */
    static List<String> cases() {
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("^\\| \\[(\\d{3}-[a-z0-9-]+)\\]");
        for (String line : resource("INDEX.md").split("\n")) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static Inventory inventory(String name, String... extraYaml) {
        List<InputFile> files = new ArrayList<>();
        for (String f : List.of("cluster.yaml", "policies.yaml")) {
            files.add(InputFile.of(name + "/" + f, resource(name + "/" + f)));
        }
        for (int i = 0; i < extraYaml.length; i++) {
            files.add(InputFile.of("extra-" + i + ".yaml", extraYaml[i]));
        }
        return InventoryBuilder.build(new LintEngine(List.of()).lint(files).workspace());
    }

    static VerdictTable expected(String name) {
        return VerdictTable.parse(name + "/expected.txt", resource(name + "/expected.txt"));
    }
}
