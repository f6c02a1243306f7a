package dev.podnet.service;

import dev.podnet.source.SourceText;
import java.util.List;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * An open editor buffer: URI, version and text, with the line table of {@link SourceText} for UTF-16 positions. Edits follow the LSP
 * {@code TextDocumentContentChangeEvent} rules (LSP 3.17 "textDocument/didChange"): a change without a range
 * replaces the whole text; a change with a range replaces that range, and the changes of one notification are
 * applied in order, each against the text the previous one produced.
 *
 * <p>Positions are zero-based lines and UTF-16 code unit columns. Invalid positions never throw: a line past the
 * end means the end of the text, a negative line or column means the start of the line/text, a column past the
 * line's end means the end of the line (before its terminator, as the LSP specification says), and a range whose
 * end lies before its start is treated as the range between the two positions. Lines end at {@code \n},
 * {@code \r\n} or a lone {@code \r}. Instances are immutable.
 *
 * @see <a href="https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#position">
 *     LSP 3.17 Position</a>
 */
public final class TextDocument {
    private final String uri;
    private final int version;
    private final String text;
    private final SourceText lines;

    /** A buffer with the given content; {@code text} null is read as the empty string. */
    public TextDocument(String uri, int version, String text) {
        this.uri = uri;
        this.version = version;
        this.text = text == null ? "" : text;
        this.lines = new SourceText(uri, this.text);
    }

    public String uri() {
        return uri;
    }

    public int version() {
        return version;
    }

    public String text() {
        return text;
    }

    /** Number of lines (at least one). */
    public int lineCount() {
        return lines.lineCount();
    }

    /**
     * The buffer after applying {@code changes} in order, with the new version number. Never throws for a bad
     * range; a null change list or a null change is ignored.
     */
    public TextDocument apply(int newVersion, List<TextDocumentContentChangeEvent> changes) {
        TextDocument d = new TextDocument(uri, newVersion, text);
        if (changes == null) {
            return d;
        }
        for (TextDocumentContentChangeEvent c : changes) {
            if (c == null) {
                continue;
            }
            String newText = c.getText() == null ? "" : c.getText();
            if (c.getRange() == null) {
                d = new TextDocument(uri, newVersion, newText);
            } else {
                int a = d.offset(c.getRange().getStart());
                int b = d.offset(c.getRange().getEnd());
                int s = Math.min(a, b);
                int e = Math.max(a, b);
                d = new TextDocument(uri, newVersion, d.text.substring(0, s) + newText + d.text.substring(e));
            }
        }
        return d;
    }

    /** The UTF-16 offset of a position, clamped as the class comment says (null means offset 0). */
    public int offset(Position p) {
        if (p == null) {
            return 0;
        }
        return offset(p.getLine(), p.getCharacter());
    }

    /** The UTF-16 offset of a zero-based line and column, clamped as the class comment says. */
    public int offset(int line, int character) {
        if (line < 0) {
            return 0;
        }
        if (line >= lines.lineCount()) {
            return text.length();
        }
        int start = lines.offset(line, 0);
        return start + Math.max(0, Math.min(character, lines.line(line).length()));
    }

    /** The position of a UTF-16 offset (clamped to the text). */
    public Position position(int offset) {
        int[] p = lines.position(offset);
        return new Position(p[0], p[1]);
    }

    /** The LSP range between two UTF-16 offsets. */
    public Range range(int startOffset, int endOffset) {
        return new Range(position(startOffset), position(Math.max(startOffset, endOffset)));
    }
}
