package dev.podnet.source;

import java.util.Arrays;

/**
 * The text of one input file, with a line table for converting UTF-16 offsets to positions and back.
 * Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}, as in the LSP specification.
 *
 * @param path display path of the file (as the user gave it, or a URI in the language server)
 * @param text the full decoded text
 */
public final class SourceText {
    private final String path;
    private final String text;
    private final int[] lineStarts;

    /** Builds the line table; O(length). */
    public SourceText(String path, String text) {
        this.path = path;
        this.text = text;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** Number of lines (at least one, even for empty text). */
    public int lineCount() {
        return lineStarts.length;
    }

    /** Zero-based line containing the UTF-16 offset (clamped to the text). */
    public int lineOf(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int idx = Arrays.binarySearch(lineStarts, o);
        return idx >= 0 ? idx : -idx - 2;
    }

    /** Converts a UTF-16 offset (clamped) to a zero-based line and column. */
    public int[] position(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int line = lineOf(o);
        return new int[] {line, o - lineStarts[line]};
    }

    /** Converts a zero-based line and UTF-16 column to an offset, clamped to the line's end. */
    public int offset(int line, int character) {
        if (line < 0) {
            return 0;
        }
        if (line >= lineStarts.length) {
            return text.length();
        }
        int start = lineStarts[line];
        int end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length();
        return Math.min(start + Math.max(0, character), end);
    }

    /** The text a range covers (its ends clamped to their lines, as {@link #offset} clamps them). */
    public String text(Range r) {
        return text.substring(offset(r.startLine(), r.startChar()), offset(r.endLine(), r.endChar()));
    }

    /** The range between two UTF-16 offsets. */
    public Range range(int startOffset, int endOffset) {
        int[] s = position(startOffset);
        int[] e = position(Math.max(startOffset, endOffset));
        return new Range(s[0], s[1], e[0], e[1]);
    }

    /** The text of one zero-based line without its line terminator ("" when out of range). */
    public String line(int line) {
        if (line < 0 || line >= lineStarts.length) {
            return "";
        }
        int start = lineStarts[line];
        int end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * Converts a column counted in Unicode code points (as snakeyaml-engine marks count them) to UTF-16 units
     * on the given line.
     */
    public int codePointColumnToUtf16(int line, int codePointColumn) {
        String l = line(line);
        int units = 0;
        int cps = 0;
        while (cps < codePointColumn && units < l.length()) {
            units += Character.charCount(l.codePointAt(units));
            cps++;
        }
        return units + Math.max(0, codePointColumn - cps);
    }
}
