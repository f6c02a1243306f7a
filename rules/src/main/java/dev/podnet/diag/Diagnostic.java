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
 */
public record Diagnostic(String file, Range range, Severity severity, String rule, String message,
                         List<Related> related) {

    /** Another place involved in a finding. */
    public record Related(String file, Range range, String message) {
    }

    public Diagnostic {
        related = related == null ? List.of() : List.copyOf(related);
    }

    public Diagnostic(String file, Range range, Severity severity, String rule, String message) {
        this(file, range, severity, rule, message, List.of());
    }
}
