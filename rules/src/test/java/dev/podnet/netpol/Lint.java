package dev.podnet.netpol;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test support: lints in-memory files or test resources with the standard engine. */
final class Lint {
    private Lint() {
    }

    static List<Diagnostic> files(Map<String, String> files) {
        List<InputFile> in = new ArrayList<>();
        files.forEach((k, v) -> in.add(InputFile.of(k, v)));
        return LintEngine.standard().lint(in).diagnostics();
    }

    static List<Diagnostic> yaml(String text) {
        return files(Map.of("policy.yaml", text));
    }

    static List<Diagnostic> resources(String dir, String... names) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            try (InputStream s = Lint.class.getResourceAsStream("/" + dir + "/" + n)) {
                if (s == null) {
                    throw new IOException("missing test resource " + dir + "/" + n);
                }
                m.put(n, new String(s.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files(m);
    }

    static List<Diagnostic> only(List<Diagnostic> ds, String rule) {
        return ds.stream().filter(d -> d.rule().equals(rule)).toList();
    }

    static String show(List<Diagnostic> ds) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds) {
            sb.append(d.file()).append(':').append(d.range().startLine() + 1).append(':')
                    .append(d.range().startChar() + 1).append(' ').append(d.severity().word()).append(' ')
                    .append(d.rule()).append(' ').append(d.message()).append('\n');
        }
        return sb.toString();
    }
}
