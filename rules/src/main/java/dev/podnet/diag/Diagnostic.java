package dev.podnet.diag;

import dev.podnet.source.Range;
import java.util.List;

/**
 * One finding. Ranges are zero-based UTF-16 (see {@link Range}); outputs convert as their format requires.
 *
 * @param file     display path of the file (or URI in the language server)
 * @param range    where the finding is
 * @param severity how bad it is (after configuration overrides)
 * @param rule     the stable rule id, e.g. {@code CNI012} or {@code NP007}
 * @param message  one line naming the field and the fix
 * @param related  other places that explain the finding (e.g. the policy responsible); may be empty
 * @param fix      a mechanical fix the rule computed (the language server offers it as a quick fix), or null
 */
public record Diagnostic(String file, Range range, Severity severity, String rule, String message,
                         List<Related> related, Fix fix) {

    /** Another place involved in a finding. */
    public record Related(String file, Range range, String message) {
    }

    /**
     * A fix: text edits in the finding's own file that, applied together, resolve it.
     *
     * @param title what the fix does, for a menu ("Rename \"hairpinmode\" to \"hairpinMode\"")
     * @param edits non-overlapping edits, ranges in the coordinates of the text the finding was computed on
     */
    public record Fix(String title, List<Edit> edits) {
        public Fix {
            edits = List.copyOf(edits);
        }
    }

    /**
     * One text edit: replace {@code range} by {@code newText} (an empty range inserts).
     *
     * @param range   zero-based UTF-16 range
     * @param newText the replacement
     */
    public record Edit(Range range, String newText) {
    }

    public Diagnostic {
        related = related == null ? List.of() : List.copyOf(related);
    }

    public Diagnostic(String file, Range range, Severity severity, String rule, String message,
                      List<Related> related) {
        this(file, range, severity, rule, message, related, null);
    }

    public Diagnostic(String file, Range range, Severity severity, String rule, String message) {
        this(file, range, severity, rule, message, List.of(), null);
    }

    /** This finding with another severity (configuration overrides), keeping everything else. */
    public Diagnostic withSeverity(Severity s) {
        return new Diagnostic(file, range, s, rule, message, related, fix);
    }
}
