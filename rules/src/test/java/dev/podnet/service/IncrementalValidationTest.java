package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The language server's incremental validation ({@link LspDiagnostics.ReadCache} with its
 * {@link dev.podnet.lint.LintMemo}: parses, inventory parts, per-document and per-policy findings kept across runs)
 * publishes exactly what a validation from scratch publishes, after any sequence of edits. The workspaces are the
 * real-report cases of the test resources (manifests, policies, project files, expectations); the edits change,
 * delete and duplicate lines and documents of random files, so labels, selectors, ports, namespaces, project facts
 * and policies change, and some edits leave broken YAML.
 */
class IncrementalValidationTest {
    private static final LintEngine ENGINE = LintEngine.standard();

    /** One edit: which file (index modulo the file count), what to do, where (line index modulo the line count). */
    record Edit(int file, int kind, int line) {
    }

    @Provide
    Arbitrary<String> caseDir() {
        return Arbitraries.of(caseDirs());
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 500)).as(Edit::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60)
    void incrementalEqualsFromScratch(@ForAll("caseDir") String dir, @ForAll("edits") List<Edit> edits)
            throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(Path.of(dir))) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList()) {
                files.put(p.toUri().toString(), Files.readString(p));
            }
        }
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        WorkspaceModel model = new WorkspaceModel();
        files.forEach((uri, text) -> model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false));
        assertSame(model, cache);
        List<String> uris = new ArrayList<>(files.keySet());
        for (Edit e : edits) {
            String uri = uris.get(e.file() % uris.size());
            String text = edit(files.get(uri), e);
            files.put(uri, text);
            model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false);
            assertSame(model, cache);
        }
    }

    @org.junit.jupiter.api.Test
    void anEditInOneDocumentKeepsTheOtherDocumentObjects() {
        String a = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
        String b = "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n";
        String c = "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n";
        var old = LintEngine.read(dev.podnet.lint.InputFile.of("x.yaml", a + "---\n" + b + "---\n" + c),
                new ArrayList<>());
        String edited = a + "---\n" + b.replace("name: b", "name: bb") + "---\n" + c;
        var now = LspDiagnostics.keepUnchangedDocs(old, LintEngine.read(dev.podnet.lint.InputFile.of("x.yaml", edited),
                new ArrayList<>()));
        assertThat(now.docs().get(0)).isSameAs(old.docs().get(0));
        assertThat(now.docs().get(1)).isNotSameAs(old.docs().get(1));
        assertThat(now.docs().get(1).doc().root().at("/metadata/name").asText()).isEqualTo("bb");
        assertThat(now.docs().get(2)).isSameAs(old.docs().get(2));
        // A line added to the first document moves the others: none of them is kept.
        String moved = a + "# note\n---\n" + b + "---\n" + c;
        var shifted = LspDiagnostics.keepUnchangedDocs(old, LintEngine.read(dev.podnet.lint.InputFile.of("x.yaml",
                moved), new ArrayList<>()));
        assertThat(shifted.docs().get(1)).isNotSameAs(old.docs().get(1));
        assertThat(shifted.docs().get(2)).isNotSameAs(old.docs().get(2));
    }

    /** Validates incrementally (the kept cache) and from scratch, and compares everything published. */
    private static void assertSame(WorkspaceModel model, LspDiagnostics.ReadCache cache) {
        WorkspaceModel.Snapshot snap = model.snapshot();
        var incremental = LspDiagnostics.validate(ENGINE, snap, LintOptions.defaults(), cache);
        var fresh = LspDiagnostics.validate(ENGINE, snap, LintOptions.defaults());
        assertThat(incremental).isEqualTo(fresh);
    }

    /** Applies one edit to a file's text. */
    static String edit(String text, Edit e) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int i = e.line() % lines.size();
        String l = lines.get(i);
        switch (e.kind()) {
            case 0 -> lines.set(i, l.replaceFirst("([A-Za-z0-9])\\s*$", "$1x")); // misspell a value or key
            case 1 -> lines.remove(i); // drop a line (a label, a port, a peer...)
            case 2 -> lines.add(i, l); // duplicate a line
            case 3 -> lines.set(i, l.replaceFirst("\\b(\\d+)\\b", "9$1")); // another number (port, CIDR, IP)
            case 4 -> { // drop a whole document
                List<String> out = new ArrayList<>();
                int doc = 0;
                int target = i % Math.max(1, (int) lines.stream().filter(x -> x.equals("---")).count() + 1);
                for (String x : lines) {
                    if (x.equals("---")) {
                        doc++;
                    }
                    if (doc != target) {
                        out.add(x);
                    }
                }
                lines = out;
            }
            case 5 -> lines.set(i, l.replace("Ingress", "Egress").replace("app:", "role:")); // retarget
            default -> lines.add(i, l.replaceFirst("name: (\\S+)", "name: $1-copy")); // a renamed duplicate
        }
        return String.join("\n", lines);
    }

    private static List<String> caseDirs() {
        List<String> out = new ArrayList<>();
        for (String root : List.of("/cases", "/reach-cases")) {
            try (Stream<Path> s = Files.list(Path.of(IncrementalValidationTest.class.getResource(root).toURI()))) {
                s.filter(Files::isDirectory).sorted().forEach(p -> out.add(p.toString()));
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
