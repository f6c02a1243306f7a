package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every documented rule must fire on its failing example and stay silent on its fixed example, so the
 * documentation shown by {@code podnet rules --explain} is itself tested.
 */
class RuleDocsTest {

    @Test
    void everyRuleHasTitleFixAndExamples() {
        for (RuleInfo r : RuleRegistry.get().all()) {
            assertThat(r.id()).matches("[A-Z]+[0-9]{3}");
            assertThat(r.fix()).as(r.id() + " fix").isNotBlank();
            assertThat(r.description()).as(r.id() + " description").isNotBlank();
            if (!r.id().equals("SYN900")) {
                assertThat(r.bad()).as(r.id() + " failing example").isNotEmpty();
                assertThat(r.good()).as(r.id() + " fixed example").isNotEmpty();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> failingExampleFiresAndFixedExampleDoesNot() {
        return RuleRegistry.get().all().stream().filter(r -> !r.bad().isEmpty()).map(r ->
                DynamicTest.dynamicTest(r.id(), () -> {
                    assertThat(rulesFor(r.bad(), r.id())).as(r.id() + " on its failing example").contains(r.id());
                    assertThat(rulesFor(r.good())).as(r.id() + " on its fixed example").doesNotContain(r.id());
                }));
    }

    static List<String> rulesFor(Map<String, String> files) {
        List<InputFile> inputs = files.entrySet().stream()
                .map(e -> InputFile.of(e.getKey(), e.getValue())).toList();
        return LintEngine.standard().lint(inputs).diagnostics().stream().map(Diagnostic::rule).toList();
    }

    /**
     * The rules firing on a failing example. A semantic rule whose finding is dropped as a cascade of a validation
     * error on the same field (Cascades; e.g. CNI064 on a firewall backend the schema's enum rejects as CNI002)
     * must fire once those validation rules are switched off; a rule another rule covers on the same object
     * (Cascades.COVERED_BY, e.g. RCH003 under NP047) must fire once the covering rules are switched off.
     */
    static List<String> rulesFor(Map<String, String> files, String rule) {
        List<String> found = rulesFor(files);
        RuleRegistry reg = RuleRegistry.get();
        if (found.contains(rule) || reg.isValidation(rule)) {
            return found;
        }
        java.util.Set<String> validation = found.stream().filter(reg::isValidation)
                .collect(java.util.stream.Collectors.toSet());
        validation.addAll(Cascades.COVERED_BY.getOrDefault(rule, java.util.Set.of())); // e.g. RCH003 under NP047
        List<InputFile> inputs = files.entrySet().stream()
                .map(e -> InputFile.of(e.getKey(), e.getValue())).toList();
        return LintEngine.standard().lint(inputs, new LintOptions(validation, Map.of(), () -> false)).diagnostics()
                .stream().map(Diagnostic::rule).toList();
    }
}
