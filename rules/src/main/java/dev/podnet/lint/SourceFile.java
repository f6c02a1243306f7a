package dev.podnet.lint;

import dev.podnet.source.ParseResult;
import dev.podnet.source.SourceDoc;
import dev.podnet.source.SourceText;
import java.util.List;

/**
 * One input after decoding and parsing.
 *
 * @param input the raw input
 * @param text  the decoded text, or null when it could not be decoded (binary, invalid UTF-8)
 * @param parse the parse result, or null when there was no text
 * @param docs  the documents with their kinds, in file order (empty when parsing failed)
 */
public record SourceFile(InputFile input, SourceText text, ParseResult parse, List<Doc> docs) {

    /** A parsed document and what it is. */
    public record Doc(SourceDoc doc, DocKind kind) {
    }

    /** The display path. */
    public String path() {
        return input.path();
    }

    /** True when the file was parsed with no syntax error. */
    public boolean parsedCleanly() {
        return parse != null && !parse.hasErrors();
    }

    /** Extension in lower case including the dot ({@code .conflist}), or "" when there is none. */
    public String extension() {
        String n = input.fileName();
        int i = n.lastIndexOf('.');
        return i <= 0 ? "" : n.substring(i).toLowerCase(java.util.Locale.ROOT);
    }
}
