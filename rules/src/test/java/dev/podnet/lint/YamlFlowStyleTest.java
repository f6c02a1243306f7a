package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code .yaml} / {@code .yml} file is YAML whatever its first character: a manifest written in flow style
 * ({@code {apiVersion: v1, ...}}) or a JSON document followed by {@code ---} and more YAML is what kubectl reads
 * with its YAML decoder, so podnet must not hand it to the JSON parser (which rejected unquoted keys and
 * {@code ---}). Files of other names that start with {@code {} or {@code [} are still read as JSON (CNI configs).
 */
class YamlFlowStyleTest {

    private static SourceFile read(String name, String text, List<Diagnostic> out) {
        return LintEngine.read(new InputFile(name, text.getBytes(StandardCharsets.UTF_8), false), out);
    }

    @Test
    void flowStyleYamlManifestIsReadAsYaml() {
        List<Diagnostic> out = new ArrayList<>();
        SourceFile f = read("np.yaml", "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, "
                + "metadata: {name: flow, namespace: default}, spec: {podSelector: {}}}\n", out);
        assertThat(out).isEmpty();
        assertThat(f.docs()).singleElement().extracting(SourceFile.Doc::kind).isEqualTo(DocKind.MANIFEST);
        assertThat(f.docs().get(0).doc().root().at("/metadata/name").asText()).isEqualTo("flow");
    }

    @Test
    void jsonDocumentFollowedByYamlDocumentsInAYmlFile() {
        List<Diagnostic> out = new ArrayList<>();
        SourceFile f = read("all.yml", "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}}\n"
                + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n", out);
        assertThat(out).isEmpty();
        assertThat(f.docs()).hasSize(2);
        assertThat(f.docs().get(1).doc().root().at("/metadata/name").asText()).isEqualTo("b");
    }

    @Test
    void jsonFilesAreStillReadAsJson() {
        List<Diagnostic> out = new ArrayList<>();
        read("10-net.json", "{cniVersion: \"1.0.0\"}\n", out);
        assertThat(out).extracting(Diagnostic::message).anyMatch(m -> m.startsWith("invalid JSON"));
    }
}
