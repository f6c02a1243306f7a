package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md is what the rule links (LSP codeDescription, SARIF helpUri) point at: it must exist and equal
 * {@code podnet rules --markdown}. Regenerate with
 * {@code java -jar server/target/podnet.jar rules --markdown > docs/rules.md}.
 */
class RulesDocTest {

    @Test
    void docsRulesMdIsCurrentAndHasAnAnchorForEveryRule() throws Exception {
        Path doc = Path.of("..", "docs", "rules.md");
        assertThat(doc).as("docs/rules.md (run from the server module)").exists();
        String generated = RulesCommand.markdown(RuleRegistry.get());
        assertThat(Files.readString(doc)).as("docs/rules.md is stale: regenerate it with "
                + "'java -jar server/target/podnet.jar rules --markdown > docs/rules.md'").isEqualTo(generated);
        for (RuleInfo r : RuleRegistry.get().all()) {
            assertThat(generated).contains("\n### " + r.id() + "\n");
            assertThat(r.helpUri()).endsWith("docs/rules.md#" + r.id().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
