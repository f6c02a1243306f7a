package dev.podnet.diag;

import java.util.Locale;

/**
 * Severity of a finding, ordered from most to least severe. The names match the LSP
 * {@code DiagnosticSeverity} values (Error=1 .. Hint=4) and the text/JSON output words.
 */
public enum Severity {
    ERROR, WARNING, INFO, HINT;

    /** Lower-case word used in text and JSON output ({@code error}, {@code warning}, ...). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code error|warning|info|hint} (case-insensitive); throws IllegalArgumentException otherwise. */
    public static Severity parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** True when this severity is at least as severe as {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }
}
