package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field with a validation error gets no second, semantic finding (Cascades): the NetworkPolicy semantic rules
 * used to add an NP055 "no pod declares port tcp 80" next to NP008 "protocol tcp is not supported", and an NP041
 * "selector matches no pod" next to NP004 "label value is invalid".
 */
class CascadesTest {
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: n, labels: {app: a}}
            spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}
            status: {podIP: 10.0.0.1}
            """;

    static List<String> rules(String policy) {
        return LintEngine.standard().lint(List.of(InputFile.of("cluster.yaml", CLUSTER),
                InputFile.of("policy.yaml", policy))).diagnostics().stream()
                .filter(d -> d.file().equals("policy.yaml"))
                .map(d -> d.rule() + "@" + d.range().startLine()).toList();
    }

    @Test
    void aPortWithAnInvalidProtocolGetsOnlyTheValidationError() {
        List<String> rs = rules("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: np, namespace: n}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                  - ports:
                    - {port: 81, protocol: tcp}
                    - {port: 82}
                    - {port: "eighty-http-port-too-long"}
                """);
        assertThat(rs).contains("NP008@8");
        assertThat(rs).doesNotContain("NP055@8");
        assertThat(rs.stream().filter(r -> r.endsWith("@10"))).containsExactly("NP010@10");
        // the valid port next to it still gets its semantic finding (no pod listens on 82)
        assertThat(rs).contains("NP055@9");
    }

    @Test
    void aSelectorWithAnInvalidLabelGetsOnlyTheValidationError() {
        List<String> rs = rules("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: np, namespace: n}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                  - from:
                    - podSelector: {matchLabels: {app: "bad value!"}}
                    - podSelector: {matchLabels: {app: zzz}}
                """);
        assertThat(rs).contains("NP004@8").doesNotContain("NP041@8");
        assertThat(rs).contains("NP041@9");
    }

    @Test
    void theInvalidElementIsTheDeepestArrayEntryOutsideSelectors() {
        ObjectMapper m = new ObjectMapper();
        var root = m.createObjectNode().put("kind", "NetworkPolicy");
        assertThat(Cascades.element(root, "/spec/ingress/0/ports/1/protocol")).isEqualTo("/spec/ingress/0/ports/1");
        assertThat(Cascades.element(root, "/spec/egress/0/to/0/podSelector/matchExpressions/0/key"))
                .isEqualTo("/spec/egress/0/to/0");
        assertThat(Cascades.element(root, "/spec/podSelector/matchLabels/app")).isEqualTo("/spec/podSelector");
        assertThat(Cascades.element(root, "/metadata/name")).isEqualTo("/metadata/name");
        assertThat(Cascades.element(root, "")).isNull();
        var list = m.createObjectNode().put("kind", "List");
        list.putArray("items").addObject().put("kind", "NetworkPolicy");
        assertThat(Cascades.element(list, "/items/0/spec/podSelector/matchLabels/x")).isEqualTo("/items/0/spec/podSelector");
        assertThat(Cascades.element(list, "/items/0")).isNull();
    }

    @Test
    void errorsOfSemanticFamiliesAndFindingsInOtherDocumentsStay() {
        List<Diagnostic> ds = LintEngine.standard().lint(List.of(InputFile.of("cluster.yaml", CLUSTER),
                InputFile.of("policy.yaml", """
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np, namespace: n}
                        spec:
                          podSelector: {matchLabels: {app: zzz}}
                          policyTypes: [Ingress]
                        ---
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: np2, namespace: n}
                        spec:
                          podSelector: {matchLabels: {app: "bad value!"}}
                          policyTypes: [Ingress]
                        """))).diagnostics();
        // the first policy's selector matches nothing and is valid: its semantic finding stays
        assertThat(ds).anySatisfy(d -> {
            assertThat(d.file()).isEqualTo("policy.yaml");
            assertThat(d.range().startLine()).isEqualTo(4);
            assertThat(d.rule()).startsWith("NP04");
        });
        // the second one's selector is invalid: only the validation error is on its line
        assertThat(ds.stream().filter(d -> d.file().equals("policy.yaml") && d.range().startLine() == 11)
                .map(Diagnostic::rule)).containsExactly("NP004");
    }

    @Test
    void aDisabledValidationRuleMarksNothing() {
        String conf = """
                {"cniVersion": "0.4.0", "name": "podman", "plugins": [
                  {"type": "bridge", "bridge": "cni-podman0", "ipam": {"type": "host-local", "subnet": "10.88.0.0/16"}},
                  {"type": "firewall", "backend": "iptable"}]}
                """;
        List<InputFile> in = List.of(InputFile.of("87-podman.conflist", conf));
        assertThat(LintEngine.standard().lint(in).diagnostics()).extracting(Diagnostic::rule)
                .contains("CNI002").doesNotContain("CNI064");
        assertThat(LintEngine.standard().lint(in, new LintOptions(java.util.Set.of("CNI002"), java.util.Map.of(),
                () -> false)).diagnostics()).extracting(Diagnostic::rule).contains("CNI064");
    }
}
