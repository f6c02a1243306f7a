package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry the lint uses, read from the build's compiled JSON, is the one the YAML rule docs describe. */
class CompiledRuleDocsTest {
    @Test
    void compiledIndexIsOnTheClasspathAndEqualsTheYamlSources() {
        assertThat(RuleRegistry.class.getClassLoader().getResource(RuleRegistry.COMPILED))
                .as("the build writes %s (exec-maven-plugin, process-classes)", RuleRegistry.COMPILED).isNotNull();
        List<RuleInfo> compiled = List.copyOf(RuleRegistry.get().all());
        RuleRegistry fromYaml = RuleRegistry.fromYaml();
        List<RuleInfo> yaml = List.copyOf(fromYaml.all());
        assertThat(compiled).hasSize(yaml.size()).isEqualTo(yaml);
        for (RuleInfo r : yaml) {
            assertThat(RuleRegistry.get().familyFile(r.id())).isEqualTo(fromYaml.familyFile(r.id()));
        }
    }
}
