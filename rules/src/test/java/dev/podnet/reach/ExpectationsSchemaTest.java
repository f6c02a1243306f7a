package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RCH005: every schema error of a ConnectivityExpectations document, each at its position; none hides another. */
class ExpectationsSchemaTest {
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: n, labels: {app: a}}
            spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: n, labels: {app: b}}
            spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-b, namespace: n}
            spec: {podSelector: {matchLabels: {app: b}}, policyTypes: [Ingress]}
            """;

    private static List<Diagnostic> lint(String expectations) {
        return LintEngine.standard().lint(List.of(InputFile.of("cluster.yaml", CLUSTER),
                InputFile.of("exp.yaml", expectations))).diagnostics().stream()
                .filter(d -> d.file().equals("exp.yaml")).toList();
    }

    @Test
    void everySchemaErrorIsReportedAtItsOwnPositionAndValidExpectationsStillRun() {
        List<Diagnostic> ds = lint("""
                apiVersion: podnet.dev/v1alpha1
                kind: ConnectivityExpectations
                expectations:
                - {from: n/a, to: n/b, port: 80, expect: alow}
                - {from: n/a, to: n/b, port: "80", expect: deny, bogus: 1}
                - {from: 12, to: n/b, port: 80, protocol: tcp, expect: deny}
                - {from: n/a, to: n/b, port: 80, expect: allow}
                - {from: n/zz, to: n/yy, port: 80, expect: deny}
                """);
        assertThat(ds).extracting(d -> d.rule() + "@" + d.range().startLine() + ":" + d.range().startChar())
                .containsExactly(
                        "RCH005@3:41",  // expect: alow
                        "RCH005@4:29",  // port: "80"
                        "RCH005@4:49",  // bogus (the key)
                        "RCH005@5:9",   // from: 12, one finding for the oneOf
                        "RCH005@5:42",  // protocol: tcp
                        "RCH004@6:2",   // the valid expectation is still evaluated
                        "RCH005@7:9",   // unknown from
                        "RCH005@7:19"); // unknown to, not hidden by the unknown from
        assertThat(ds.get(0).message()).isEqualTo(
                "expectations[0].expect \"alow\" must be one of allow, deny (did you mean \"allow\"?)");
        assertThat(ds.get(1).message()).contains("expectations[1].port", "write 80 without quotes");
        assertThat(ds.get(2).message()).contains("unknown key \"bogus\" in expectations[1]");
        assertThat(ds.get(3).message()).contains("expectations[2].from", "none of the accepted forms");
        assertThat(ds.get(4).message()).contains("did you mean \"TCP\"?");
    }

    @Test
    void nestedSelectorErrorsAreReportedInsideTheSelector() {
        List<Diagnostic> ds = lint("""
                apiVersion: podnet.dev/v1alpha1
                kind: ConnectivityExpectations
                expectations:
                - {from: n/a, to: {namespace: n, podSelector: {matchLabel: {app: b}}}, port: 80, expect: deny}
                """);
        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).message()).isEqualTo("unknown key \"matchLabel\" in expectations[0].to.podSelector "
                + "(podnet ignores it): did you mean \"matchLabels\"?");
        assertThat(ds.get(0).fix()).isNotNull();
    }

    @Test
    void aValidDocumentHasNoSchemaFinding() {
        List<Diagnostic> ds = lint("""
                apiVersion: podnet.dev/v1alpha1
                kind: ConnectivityExpectations
                expectations:
                - {from: n/a, to: n/b, port: 80, expect: deny}
                - {from: n/b, to: {namespace: n, podSelector: {matchLabels: {app: a}}}, port: 80, expect: allow}
                """);
        assertThat(ds).isEmpty();
    }
}
