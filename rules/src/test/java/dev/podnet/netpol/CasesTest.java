package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-world cases of the shared corpus (copied under {@code cases/}): each asserts the lint diagnosis its
 * {@code expected.md} asks for, at the line it names, and what it says must not be reported. The reachability
 * parts of the cases ({@code checks:} in {@code case-cluster.yaml}) belong to the reachability tests.
 */
class CasesTest {

    static List<Diagnostic> lintCase(String name) throws IOException {
        return Lint.resources("cases/" + name, "podnet.yaml", "manifests.yaml", "policy.yaml");
    }

    static Diagnostic single(List<Diagnostic> ds, String rule) {
        List<Diagnostic> found = Lint.only(ds, rule);
        assertThat(found).as(rule + " in\n" + Lint.show(ds)).hasSize(1);
        return found.get(0);
    }

    @Test
    void case001DefaultDenyEgressBlocksDns() throws IOException {
        List<Diagnostic> ds = lintCase("001-netpol-default-deny-egress-blocks-dns");
        Diagnostic d = single(ds, "NP047");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.file()).isEqualTo("policy.yaml");
        assertThat(d.range().startLine() + 1).isBetween(8, 9); // default-deny-egress spec.policyTypes
        assertThat(d.message()).contains("shop/web-0", "shop/api-0", "kube-system/kube-dns", "UDP and TCP 53")
                .doesNotContain("assuming");
        // web-to-api itself is fine: its peer matches api-0 and port 8080 is declared.
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("NP041", "NP055", "NP040");
    }

    @Test
    void case003PeersOrInsteadOfAnd() throws IOException {
        List<Diagnostic> ds = lintCase("003-netpol-dns-peers-or-instead-of-and");
        Diagnostic d = single(ds, "NP050");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.range().startLine() + 1).isEqualTo(18);
        assertThat(d.message()).contains("to[0] and to[1]", "ORed", "namespace shop", "remove the '-' before podSelector");
        // DNS is allowed as intended (to kube-system pods on UDP and TCP 53).
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("NP047", "NP048");
    }

    @Test
    void case004PolicyTypesWithoutEgress() throws IOException {
        List<Diagnostic> ds = lintCase("004-netpol-policytypes-without-egress");
        Diagnostic d = single(ds, "NP043");
        assertThat(d.range().startLine() + 1).isEqualTo(16);
        assertThat(d.message()).contains("1 rule", "[Ingress]", "ignored", "app=vault", "add Egress");
        // The ingress side is fine as written.
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("NP044", "NP046", "NP055", "NP047");
    }

    @Test
    void case006IpBlockUsedForPodIps() throws IOException {
        List<Diagnostic> ds = lintCase("006-netpol-ipblock-used-for-pod-ips");
        Diagnostic d = single(ds, "NP052");
        assertThat(d.range().startLine() + 1).isBetween(14, 15);
        assertThat(d.message()).contains("10.244.0.0/16", "pod CIDR", "cilium", "data/db-0");
        // The DNS rule (egress[1], an AND peer) is correct.
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("NP047", "NP048", "NP050");
    }

    @Test
    void case006OnIptablesEnforcerStillWarnsImplementationDefined() throws IOException {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String n : List.of("manifests.yaml", "policy.yaml")) {
            try (var in = getClass().getResourceAsStream("/cases/006-netpol-ipblock-used-for-pod-ips/" + n)) {
                files.put(n, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        files.put("podnet.yaml", "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico}\n");
        Diagnostic d = single(Lint.files(files), "NP052");
        assertThat(d.message()).contains("implementation-defined").doesNotContain("does not match ipBlock");
    }

    @Test
    void case008PortsSplitIntoOwnRule() throws IOException {
        List<Diagnostic> ds = lintCase("008-netpol-ports-split-into-own-rule");
        Diagnostic d = single(ds, "NP059");
        assertThat(d.range().startLine() + 1).isEqualTo(16);
        assertThat(d.message()).contains("egress[1] has ports but no to", "TCP 5432", "egress[0] has to but no ports");
        // The notes allow the case-001 DNS diagnostic too; the DNS pods are assumed (not in the inputs).
        assertThat(single(ds, "NP047").message()).contains("assuming the DNS pods run in namespace kube-system");
    }

    @Test
    void case009ServicePortNotContainerPort() throws IOException {
        List<Diagnostic> ds = lintCase("009-netpol-service-port-not-container-port");
        Diagnostic d = single(ds, "NP054");
        assertThat(d.range().startLine() + 1).isEqualTo(19);
        assertThat(d.message()).contains("TCP 80", "auth/auth-server-http", "targetPort 8080", "port: 8080");
        // The peer (app=gateway in the same namespace) is correct; no duplicate "port not declared" hint.
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("NP041", "NP051", "NP055");
    }

    @Test
    void case011CniDoesNotEnforcePolicy() throws IOException {
        List<Diagnostic> ds = lintCase("011-netpol-cni-does-not-enforce-policy");
        Diagnostic d = single(ds, "NP061");
        assertThat(d.range().startLine() + 1).isEqualTo(4);
        assertThat(d.message()).contains("shop/web-deny-all", "no effect", "none");
        assertThat(single(ds, "NP046").severity()).isEqualTo(Severity.INFO);
    }
}
