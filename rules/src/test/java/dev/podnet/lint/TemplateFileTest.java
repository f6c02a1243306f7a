package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Helm chart's templates/ in a GitOps repository do not parse as YAML before rendering; the syntax error says
 * so and how to lint them (render, exclude), instead of a bare parser message.
 */
class TemplateFileTest {

    private static List<Diagnostic> read(String name, String text) {
        List<Diagnostic> out = new ArrayList<>();
        LintEngine.read(new InputFile(name, text.getBytes(StandardCharsets.UTF_8), false), out);
        return out;
    }

    @Test
    void helmTemplateSyntaxErrorExplainsRendering() {
        List<Diagnostic> out = read("chart/templates/netpol.yaml", """
                {{- if .Values.networkPolicy.enabled }}
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: {{ include "chart.fullname" . }}
                spec:
                  podSelector: {}
                {{- end }}
                """);
        assertThat(out).extracting(Diagnostic::rule).contains("SYN001");
        assertThat(out).filteredOn(d -> d.rule().equals("SYN001"))
                .allMatch(d -> d.message().contains("helm template") && d.message().contains("exclude"));
    }

    @Test
    void plainSyntaxErrorHasNoTemplateHint() {
        List<Diagnostic> out = read("np.yaml", "metadata: {name: x\n");
        assertThat(out).extracting(Diagnostic::rule).containsExactly("SYN001");
        assertThat(out.get(0).message()).doesNotContain("helm");
    }
}
