package dev.podnet.lint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Severity;
import java.util.Map;
import java.util.Set;

/**
 * Per-run rule configuration.
 *
 * @param disabled          rule ids that are switched off
 * @param severityOverrides rule id to the severity to report instead of the default
 * @param cancel            polled between checks and inside long loops; return true to abandon the run
 * @param projectCluster    the {@code cluster:} section of the run's project file (found from the inputs upwards,
 *                          or {@code --config}; an empty object when that file has none); it gives the cluster facts
 *                          even when another project file is among the inputs. Null when the run has no project
 *                          file: then a project file among the inputs gives them.
 */
public record LintOptions(Set<String> disabled, Map<String, Severity> severityOverrides,
                          java.util.function.BooleanSupplier cancel, JsonNode projectCluster) {

    /** Options without a project file's cluster section. */
    public LintOptions(Set<String> disabled, Map<String, Severity> severityOverrides,
                       java.util.function.BooleanSupplier cancel) {
        this(disabled, severityOverrides, cancel, null);
    }

    /** The same options with a project file's {@code cluster:} section (null: none). */
    public LintOptions withProjectCluster(JsonNode cluster) {
        return new LintOptions(disabled, severityOverrides, cancel, cluster);
    }

    /** All rules on, default severities, never cancelled. */
    public static LintOptions defaults() {
        return new LintOptions(Set.of(), Map.of(), () -> false);
    }
}
