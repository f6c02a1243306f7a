package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.source.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SYN006 for the documents podnet leaves aside: the whole file when no document is read, and each such document of
 * a stream whose other documents are read (a stray list or a map without apiVersion and kind between manifests used
 * to pass without a word). Empty documents ({@code ---} alone, comments only) are not reported.
 */
class SkippedDocumentsTest {

    private static List<Diagnostic> lint(String name, String text) {
        return LintEngine.standard().lint(List.of(InputFile.of(name, text))).diagnostics().stream()
                .filter(d -> d.rule().equals("SYN006")).toList();
    }

    @Test
    void eachSkippedDocumentOfAReadStreamIsNamed() {
        List<Diagnostic> ds = lint("all.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                ---
                # only a comment
                ---
                - just
                - a list
                ---
                owner: platform-team
                """);
        assertThat(ds).extracting(Diagnostic::range).containsExactly(Range.at(7, 0), Range.at(10, 0));
        assertThat(ds.get(0).message()).isEqualTo("this document is skipped: neither a CNI network configuration nor "
                + "a Kubernetes manifest (no apiVersion and kind)");
    }

    @Test
    void aFileWithNothingToReadGetsOneFinding() {
        List<Diagnostic> ds = lint("notes.yaml", "owner: me\n---\nteam: net\n");
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.range()).isEqualTo(Range.FILE_START);
            assertThat(d.message()).isEqualTo("skipped: neither a CNI network configuration nor a Kubernetes manifest");
        });
    }
}
