package dev.podnet.lint;

import dev.podnet.diag.Severity;
import java.util.Map;
import java.util.Set;

/**
 * Per-run rule configuration.
 *
 * @param disabled          rule ids that are switched off
 * @param severityOverrides rule id to the severity to report instead of the default
 * @param cancel            polled between checks and inside long loops; return true to abandon the run
 */
public record LintOptions(Set<String> disabled, Map<String, Severity> severityOverrides,
                          java.util.function.BooleanSupplier cancel) {

    /** All rules on, default severities, never cancelled. */
    public static LintOptions defaults() {
        return new LintOptions(Set.of(), Map.of(), () -> false);
    }
}
