package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.junit.jupiter.api.Test;

class TextDocumentTest {

    private static TextDocumentContentChangeEvent edit(int sl, int sc, int el, int ec, String text) {
        TextDocumentContentChangeEvent e = new TextDocumentContentChangeEvent();
        e.setRange(new Range(new Position(sl, sc), new Position(el, ec)));
        e.setText(text);
        return e;
    }

    /** One random edit: start and end positions, possibly out of range. */
    record Edit(int startLine, int startChar, int endLine, int endChar) {
    }

    @Test
    void appliesIncrementalEditsInOrder() {
        TextDocument d = new TextDocument("file:///a.conf", 1, "{\n  \"type\": \"bridge\"\n}\n");
        TextDocument n = d.apply(2, List.of(
                edit(1, 11, 1, 17, "ptp"),            // bridge -> ptp
                edit(1, 16, 1, 16, ", \"mtu\": 1400"))); // after the closing quote of "ptp"
        assertThat(n.text()).isEqualTo("{\n  \"type\": \"ptp\", \"mtu\": 1400\n}\n");
        assertThat(n.version()).isEqualTo(2);
        assertThat(d.text()).startsWith("{\n  \"type\": \"bridge\""); // immutable
    }

    @Test
    void fullReplacementWithoutRange() {
        TextDocument d = new TextDocument("u", 1, "old");
        assertThat(d.apply(5, List.of(new TextDocumentContentChangeEvent("new\ntext"))).text()).isEqualTo("new\ntext");
    }

    @Test
    void countsUtf16CodeUnitsAcrossSurrogatePairs() {
        // U+1F600 is two UTF-16 units: "x" after it is at column 3 of line 0
        TextDocument d = new TextDocument("u", 1, "a\uD83D\uDE00x\n");
        assertThat(d.offset(0, 3)).isEqualTo(3);
        TextDocument n = d.apply(2, List.of(edit(0, 3, 0, 4, "y")));
        assertThat(n.text()).isEqualTo("a\uD83D\uDE00y\n");
        assertThat(n.position(4)).isEqualTo(new Position(0, 4));
    }

    @Test
    void clampsInvalidPositionsAsTheSpecSays() {
        TextDocument d = new TextDocument("u", 1, "ab\r\ncd\nef");
        assertThat(d.offset(0, 99)).as("column past the end stops before \\r\\n").isEqualTo(2);
        assertThat(d.offset(1, 99)).isEqualTo(6);
        assertThat(d.offset(7, 0)).as("line past the end is the end of the text").isEqualTo(9);
        assertThat(d.offset(-1, 5)).isZero();
        assertThat(d.offset(1, -4)).isEqualTo(4);
        // reversed range: treated as the span between the two positions
        assertThat(d.apply(2, List.of(edit(1, 2, 1, 0, "X"))).text()).isEqualTo("ab\r\nX\nef");
        // a null change is skipped
        assertThat(d.apply(3, java.util.Arrays.asList(null, edit(0, 0, 0, 1, ""))).text())
                .isEqualTo("b\r\ncd\nef");
    }

    @Test
    void loneCarriageReturnEndsALine() {
        TextDocument d = new TextDocument("u", 1, "a\rb");
        assertThat(d.lineCount()).isEqualTo(2);
        assertThat(d.offset(1, 0)).isEqualTo(2);
    }

    /** Random edits, valid or not, never throw, and agree with a direct string splice on clamped offsets. */
    @Property(tries = 500, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    void randomEditsMatchAReferenceSplice(@ForAll("texts") String text, @ForAll("positions") List<Integer> ns,
                                          @ForAll("snippets") String insert) {
        TextDocument d = new TextDocument("u", 1, text);
        for (int i = 0; i + 3 < ns.size(); i += 4) {
            Edit e = new Edit(ns.get(i), ns.get(i + 1), ns.get(i + 2), ns.get(i + 3));
            int a = d.offset(e.startLine(), e.startChar());
            int b = d.offset(e.endLine(), e.endChar());
            String expected = d.text().substring(0, Math.min(a, b)) + insert + d.text().substring(Math.max(a, b));
            d = d.apply(d.version() + 1, List.of(edit(e.startLine(), e.startChar(), e.endLine(), e.endChar(),
                    insert)));
            assertThat(d.text()).isEqualTo(expected);
            int o = Math.min(a, b);
            boolean insideCrLf = o > 0 && o < d.text().length() && d.text().charAt(o - 1) == '\r'
                    && d.text().charAt(o) == '\n'; // no position addresses the middle of a \r\n
            if (!insideCrLf) {
                assertThat(d.offset(d.position(o))).isEqualTo(o);
            }
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars('{', '}', '[', ']', '"', ':', ',', ' ', 'a', 'b', '\n', '\r', '\t',
                '\uD83D', '\uDE00', 'é').ofMaxLength(60);
    }

    @Provide
    Arbitrary<String> snippets() {
        return Arbitraries.strings().withChars('{', '}', '"', ':', ',', 'x', '\n', '\r').ofMaxLength(6);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(-3, 12).list().ofMaxSize(32);
    }
}
