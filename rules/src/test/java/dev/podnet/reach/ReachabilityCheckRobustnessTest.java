package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Odd and invalid input never makes the reachability family fail (no SYN900 internal error). */
class ReachabilityCheckRobustnessTest {

    static List<Diagnostic> lint(String yaml) {
        return LintEngine.standard().lint(List.of(InputFile.of("odd.yaml", yaml))).diagnostics();
    }

    @Test
    void invalidPoliciesAndPodsAreEvaluatedWithoutInternalErrors() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: n, labels: {app: a}}
                spec:
                  containers:
                  - name: c
                    ports: [{containerPort: 70000, protocol: ICMP}, {name: x, containerPort: 80}]
                status: {podIP: not-an-ip}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b, namespace: n}
                spec: {containers: [{name: c, ports: [{containerPort: 53, protocol: UDP}]}]}
                status: {podIPs: [{ip: "fd00::1"}, {ip: 10.0.0.2}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: weird, namespace: n}
                spec:
                  podSelector: {matchExpressions: [{key: app, operator: Bogus}]}
                  policyTypes: [Ingress, Egress, Sideways]
                  ingress:
                  -
                  - from: [{}, {ipBlock: {cidr: nonsense, except: [also-nonsense]}}]
                    ports: [{port: 0}, {port: x, endPort: 3}, {protocol: ICMP}, {port: 10, endPort: 5}]
                  egress:
                  - to: [{ipBlock: {cidr: 10.0.0.0/33}}, {namespaceSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: nospec, namespace: n}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: s, namespace: n}
                spec: {selector: {app: a}, ports: [{port: 80, targetPort: missing}, {port: 81, protocol: ICMP}]}
                ---
                apiVersion: podnet.dev/v1alpha1
                kind: ConnectivityExpectations
                expectations:
                - {from: n/a, to: svc:n/s, port: 80, expect: allow}
                - {from: "::1/200", to: n/b, port: 53, protocol: UDP, expect: deny}
                - {from: {podSelector: {matchLabels: {app: zzz}}}, to: n/b, port: 53, expect: deny}
                """;
        List<Diagnostic> ds = lint(yaml);
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN900");
        assertThat(ds).extracting(Diagnostic::rule).contains("RCH005");
    }
}
