package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile and huge input through the whole engine (parsing, inventory, both NetworkPolicy checks): each yields a
 * clear finding or a result, never an exception or an internal-error finding (SYN900).
 */
class BadInputTest {

    static void noInternalError(List<Diagnostic> ds) {
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN900");
    }

    @Test
    void malformedYamlIsASyntaxFindingWithPosition() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                  - from:
                     - podSelector: {}
                    ports: [{port: 80}
                """);
        noInternalError(ds);
        assertThat(ds).anyMatch(d -> d.rule().equals("SYN001") && d.severity() == Severity.ERROR
                && d.range().startLine() > 0);
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                + "metadata: {name: p, namespace: shop}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            sb.append("x").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        sb.append("spec: {podSelector: {}, ingress: [{}]}\n");
        List<Diagnostic> ds = Lint.yaml(sb.toString());
        noInternalError(ds);
        assertThat(ds).anyMatch(d -> d.rule().equals("SYN004"));
    }

    @Test
    void tenMegabyteManifestsAreLinted() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-").append(i).append("\n  namespace: ns")
                    .append(i % 40).append("\n  labels: {app: a").append(i % 25).append("}\nspec:\n  containers:\n"
                    + "  - name: c\n    image: registry.example/app:1\n    ports: [{name: http, containerPort: 8080}]\n"
                    + "status: {podIP: 10.1.").append((i / 250) % 250).append('.').append(i % 250).append("}\n---\n");
            if (i % 10 == 0) {
                sb.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p").append(i)
                        .append(", namespace: ns").append(i % 40).append("}\nspec:\n  podSelector: {matchLabels: "
                        + "{app: a").append(i % 25).append("}}\n  ingress:\n  - from: [{podSelector: {}}]\n    ports: "
                        + "[{port: http}]\n---\n");
            }
            i++;
        }
        // One more document with a 10 MB annotation value: bounded, and reported as too large.
        String big = "x".repeat(10 * 1024 * 1024);
        String huge = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: big\n  namespace: ns0\n"
                + "  annotations: {example.com/blob: " + big + "}\nspec: {podSelector: {}, ingress: [{}]}\n";
        List<Diagnostic> ds = Lint.files(Map.of("many.yaml", sb.toString(), "huge.yaml", huge));
        noInternalError(ds);
        assertThat(ds).anyMatch(d -> d.rule().equals("NP021") && d.file().equals("huge.yaml"));
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN001", "SYN004");
    }

    @Test
    void listOfFiftyThousandItems() {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int i = 0; i < 50_000; i++) {
            if (i % 5 == 0) {
                sb.append("- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata: {name: p")
                        .append(i).append(", namespace: ns").append(i % 100).append("}\n  spec:\n    podSelector: "
                        + "{matchLabels: {app: a").append(i % 30).append("}}\n    policyTypes: [Ingress, Egress]\n"
                        + "    ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns")
                        .append((i + 1) % 100).append("}}}], ports: [{port: 8080}]}]\n    egress: [{to: [{ipBlock: "
                        + "{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]\n");
            } else {
                sb.append("- apiVersion: v1\n  kind: Pod\n  metadata: {name: pod-").append(i).append(", namespace: ns")
                        .append(i % 100).append(", labels: {app: a").append(i % 30).append("}}\n  spec: {containers: "
                        + "[{name: c, image: i, ports: [{containerPort: 8080}]}]}\n  status: {podIP: 10.2.")
                        .append((i / 250) % 250).append('.').append(i % 250).append("}\n");
            }
        }
        List<Diagnostic> ds = Lint.yaml(sb.toString());
        noInternalError(ds);
        // Every policy isolates egress and cuts the DNS pods' probable range out of 0.0.0.0/0.
        assertThat(Lint.only(ds, "NP047")).isNotEmpty();
        assertThat(Lint.only(ds, "NP049")).isNotEmpty();
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN001", "SYN004");
    }
}
