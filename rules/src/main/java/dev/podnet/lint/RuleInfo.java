package dev.podnet.lint;

import dev.podnet.diag.Severity;
import java.util.Map;

/**
 * The documentation and defaults of one lint rule, loaded from {@code podnet/rules/*.yaml} on the classpath.
 * This is the single source for {@code podnet rules}, {@code --explain}, SARIF {@code rules[]} and LSP
 * {@code codeDescription}.
 *
 * @param id          stable id, e.g. {@code CNI012}; never reused for another meaning
 * @param severity    default severity
 * @param title       one-line summary ({@code shortDescription})
 * @param description what the rule checks and why it matters (plain text, may span lines)
 * @param fix         how to fix a finding
 * @param source      where the behaviour is specified (spec section, API doc, plugin source)
 * @param bad         a failing example: file name to content (several files for directory/workspace rules)
 * @param good        the same example fixed
 */
public record RuleInfo(String id, Severity severity, String title, String description, String fix, String source,
                       Map<String, String> bad, Map<String, String> good) {

    /** The family prefix of the id ({@code CNI}, {@code NP}, {@code SYN}, ...). */
    public String family() {
        int i = 0;
        while (i < id.length() && Character.isLetter(id.charAt(i))) {
            i++;
        }
        return id.substring(0, i);
    }

    /**
     * Where the rule's documentation can be read: its anchor in docs/rules.md ({@code podnet rules --markdown}) at the
     * project address of the parent pom ({@link ProjectLinks#rule}).
     */
    public String helpUri() {
        return ProjectLinks.rule(id);
    }
}
