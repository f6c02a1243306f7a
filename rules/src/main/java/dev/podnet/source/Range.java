package dev.podnet.source;

/**
 * A span of source text: zero-based line and character positions, characters counted in UTF-16 code units
 * (the unit the Language Server Protocol uses by default). {@code end} is exclusive: it is the position just
 * after the last character of the span. Command-line output adds one to every line and column.
 *
 * @param startLine zero-based line of the first character
 * @param startChar zero-based UTF-16 column of the first character
 * @param endLine   zero-based line of the position after the last character
 * @param endChar   zero-based UTF-16 column of the position after the last character
 */
public record Range(int startLine, int startChar, int endLine, int endChar) {

    /** The range covering the first character of a file (used for file-level findings). */
    public static final Range FILE_START = new Range(0, 0, 0, 0);

    /** A zero-width range at one position. */
    public static Range at(int line, int character) {
        return new Range(line, character, line, character);
    }

    /** True when {@code other} lies entirely inside this range (both ends inclusive). */
    public boolean contains(Range other) {
        return compare(startLine, startChar, other.startLine, other.startChar) <= 0
                && compare(other.endLine, other.endChar, endLine, endChar) <= 0;
    }

    /** True when the zero-based position lies inside this range ({@code end} inclusive, for cursor use). */
    public boolean contains(int line, int character) {
        return compare(startLine, startChar, line, character) <= 0 && compare(line, character, endLine, endChar) <= 0;
    }

    private static int compare(int l1, int c1, int l2, int c2) {
        return l1 != l2 ? Integer.compare(l1, l2) : Integer.compare(c1, c2);
    }
}
