package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A YAML file saved with a UTF-8 byte order mark (Windows editors do this) is valid YAML (YAML 1.2 section 5.2:
 * a BOM may open a stream) and kubectl reads it; podnet reads it too, with columns that count the BOM as one
 * UTF-16 unit on the first line.
 */
class ByteOrderMarkTest {

    private static SourceFile read(String text, List<Diagnostic> out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return LintEngine.read(new InputFile("bom.yaml", bytes, false), out);
    }

    @Test
    void yamlWithBomParsesWithTheSameTreeAsWithout() {
        List<Diagnostic> out = new ArrayList<>();
        SourceFile f = read("\uFEFFapiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n", out);
        assertThat(out).isEmpty();
        assertThat(f.parse().diagnostics()).isEmpty();
        SourceDoc doc = f.parse().docs().get(0);
        assertThat(doc.root().path("kind").asText()).isEqualTo("Namespace");
        assertThat(doc.root().path("metadata").path("name").asText()).isEqualTo("ok");
        // "apiVersion" starts after the BOM (UTF-16 column 1), "v1" at column 13; line 2 is unaffected.
        assertThat(doc.keyRanges().get("/apiVersion")).isEqualTo(new Range(0, 1, 0, 11));
        assertThat(doc.valueRanges().get("/apiVersion")).isEqualTo(new Range(0, 13, 0, 15));
        assertThat(doc.valueRanges().get("/kind")).isEqualTo(new Range(1, 6, 1, 15));
    }

    @Test
    void yamlWithBomAndIndentedFirstLineStillFails() {
        List<Diagnostic> out = new ArrayList<>();
        SourceFile f = read("\uFEFF  a: 1\nb: 2\n", out);
        assertThat(f.parse().diagnostics()).extracting(Diagnostic::rule).contains("SYN001");
    }
}
