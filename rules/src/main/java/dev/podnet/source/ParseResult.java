package dev.podnet.source;

import dev.podnet.diag.Diagnostic;
import java.util.List;

/**
 * What a parser produced for one file: the documents it could read and the syntax findings (rule ids
 * {@code SYN...}). When {@code diagnostics} holds an error, {@code docs} holds only the documents that parsed
 * completely; semantic rules never see a half-read document.
 */
public record ParseResult(SourceText source, List<SourceDoc> docs, List<Diagnostic> diagnostics) {

    /** True when at least one syntax error was found. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == dev.podnet.diag.Severity.ERROR);
    }
}
