package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyLintTest {

    static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: shop, labels: {app: frontend}}
            spec:
              containers:
              - name: web
                image: web
                ports: [{name: http, containerPort: 8080}]
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: coredns, namespace: kube-system}
            spec:
              selector: {matchLabels: {k8s-app: kube-dns}}
              template:
                metadata: {labels: {k8s-app: kube-dns}}
                spec:
                  containers:
                  - name: coredns
                    image: coredns
                    ports:
                    - {name: dns, containerPort: 53, protocol: UDP}
                    - {name: dns-tcp, containerPort: 53, protocol: TCP}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns-0, namespace: kube-system, labels: {k8s-app: kube-dns}}
            spec: {containers: [{name: coredns, image: coredns}]}
            status: {podIP: 10.244.0.5}
            """;

    static List<Diagnostic> lint(String policy) {
        return lint(policy, "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico}\n");
    }

    static List<Diagnostic> lint(String policy, String project) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("podnet.yaml", project);
        files.put("pods.yaml", PODS);
        files.put("policy.yaml", policy);
        return Lint.files(files);
    }

    static Diagnostic single(List<Diagnostic> ds, String rule) {
        List<Diagnostic> found = Lint.only(ds, rule);
        assertThat(found).as(rule + " in\n" + Lint.show(ds)).hasSize(1);
        return found.get(0);
    }

    static String policy(String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n"
                + spec.indent(2);
    }

    @Test
    void selectsNothingSuggestsClosestLabel() {
        Diagnostic d = single(lint(policy("podSelector: {matchLabels: {app: frontnd}}\ningress: [{}]")), "NP040");
        assertThat(d.message()).contains("did you mean app=frontend?");
        // a deny-all that selects nothing denies nothing: NP040 alone, no NP046 beside it
        List<Diagnostic> denyAll = lint(policy("podSelector: {matchLabels: {app: frontnd}}\npolicyTypes: [Ingress]"));
        assertThat(denyAll).extracting(Diagnostic::rule).contains("NP040").doesNotContain("NP046");
        assertThat(lint(policy("podSelector: {matchLabels: {app: frontend}}\npolicyTypes: [Ingress]")))
                .extracting(Diagnostic::rule).contains("NP046");
    }

    @Test
    void selectsNothingHereButPodsElsewhere() {
        String p = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: web}
                spec: {podSelector: {matchLabels: {app: frontend}}, ingress: [{}]}
                """;
        assertThat(single(lint(p), "NP040").message()).contains("matches pods in shop", "metadata.namespace");
    }

    @Test
    void namespaceNameLabelSlipIsExplainedWithAssumption() {
        Diagnostic d = single(lint(policy("""
                podSelector: {}
                policyTypes: [Ingress]
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {name: kube-system}}
                """)), "NP042");
        assertThat(d.message()).contains("did you mean kubernetes.io/metadata.name: kube-system",
                "assuming namespace 'kube-system' exists with only the kubernetes.io/metadata.name label");
    }

    @Test
    void namespaceNameTypoIsNotAssumedToExist() {
        Diagnostic d = single(lint(policy("""
                podSelector: {}
                policyTypes: [Ingress]
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-sytem}}
                """)), "NP042");
        assertThat(d.message()).contains("kube-system");
    }

    @Test
    void peerPodSelectorTypoAndOtherNamespace() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {}
                policyTypes: [Ingress]
                ingress:
                - from:
                  - podSelector: {matchLabels: {app: frontent}}
                  - podSelector: {matchLabels: {k8s-app: kube-dns}}
                """));
        assertThat(single(ds, "NP041").message()).contains("did you mean app=frontend?");
        assertThat(single(ds, "NP051").message()).contains("kube-system", "kubernetes.io/metadata.name: kube-system");
    }

    @Test
    void dnsUdpOnlyIsReportedAtThePortEntry() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {}
                policyTypes: [Egress]
                egress:
                - to:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                    podSelector: {matchLabels: {k8s-app: kube-dns}}
                  ports:
                  - {port: dns, protocol: UDP}
                """));
        Diagnostic d = single(ds, "NP048");
        assertThat(d.range().startLine()).isEqualTo(11);
        assertThat(Lint.only(ds, "NP047")).isEmpty();
    }

    @Test
    void namedDnsPortWithDefaultTcpIsTheWrongProtocol() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {}
                policyTypes: [Egress]
                egress:
                - to:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                    podSelector: {matchLabels: {k8s-app: kube-dns}}
                  ports:
                  - {port: dns}
                  - {port: dns-tcp}
                """));
        assertThat(single(ds, "NP057").message()).contains("UDP", "(the default)", "protocol: UDP");
        // UDP is never allowed (dns resolves to nothing on TCP), TCP is via dns-tcp.
        assertThat(single(ds, "NP047").message()).contains("only on TCP 53");
    }

    @Test
    void exceptCuttingOutDnsPods() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {}
                policyTypes: [Egress]
                egress:
                - to:
                  - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
                """));
        assertThat(single(ds, "NP047").message()).contains("shop/web-0")
                .contains("pod shop/web-0 is isolated for egress and no policy lets it reach the cluster DNS");
        Diagnostic d = single(ds, "NP049");
        assertThat(d.message()).contains("10.0.0.0/8", "10.244.0.5");
        assertThat(d.range().startLine()).isEqualTo(8);
    }

    @Test
    void namedPortUnknownAndIpBlockOnly() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {matchLabels: {app: frontend}}
                policyTypes: [Ingress, Egress]
                ingress:
                - ports: [{port: https}]
                egress:
                - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
                  ports: [{port: postgres}]
                """));
        assertThat(single(ds, "NP056").message()).contains("https", "shop/web-0")
                .startsWith("none of the selected pods (shop/web-0) defines a container port named https");
        assertThat(single(ds, "NP058").message()).contains("postgres");
    }

    @Test
    void egressPortToAnywhereIsNotCheckedAgainstTheInventoryPods() {
        // "allow DNS anywhere" and "allow HTTPS to the internet" in an app repository without kube-system: the
        // destinations are not only the pods of the inputs (ipBlock and a rule without `to` reach addresses outside
        // the cluster), so "no destination pod declares the port" would be noise on the most common egress policies.
        Map<String, String> files = new LinkedHashMap<>();
        files.put("podnet.yaml", "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico}\n");
        files.put("pods.yaml", PODS.substring(0, PODS.indexOf("---")));
        files.put("policy.yaml", policy("""
                podSelector: {matchLabels: {app: frontend}}
                policyTypes: [Egress]
                egress:
                - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                  ports: [{port: 443}]
                - to: [{podSelector: {matchLabels: {app: frontend}}}]
                  ports: [{port: 9999}]
                """));
        List<Diagnostic> ds = Lint.files(files);
        // only the rule whose destinations are pods (egress[2], 0-based line 11) gets the hint
        assertThat(single(ds, "NP055").range().startLine()).isEqualTo(11);
    }

    @Test
    void duplicateNamesPointAtTheFirst() {
        String one = policy("podSelector: {}\ningress: [{}]");
        List<Diagnostic> ds = lint(one + "---\n" + one);
        Diagnostic d = single(ds, "NP060");
        assertThat(d.range().startLine()).isEqualTo(9);
        assertThat(d.related()).hasSize(1);
        assertThat(d.related().get(0).range().startLine()).isEqualTo(2);
    }

    @Test
    void onlyEgressRulesWithoutPolicyTypes() {
        List<Diagnostic> ds = lint(policy("""
                podSelector: {matchLabels: {app: frontend}}
                egress:
                - to: [{podSelector: {}}]
                """));
        assertThat(single(ds, "NP045").message()).contains("[Ingress, Egress]", "policyTypes: [Egress]");
        assertThat(Lint.only(ds, "NP046")).isEmpty();
    }

    @Test
    void suppressionAnnotationOnAListItemSilencesOnlyThatItem() {
        String list = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata:
                    name: a
                    namespace: shop
                    annotations: {ignore-check.podnet.dev/NP040: "pods come later"}
                  spec: {podSelector: {matchLabels: {app: nope}}, ingress: [{}]}
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: b, namespace: shop}
                  spec: {podSelector: {matchLabels: {app: nope}}, ingress: [{}]}
                """;
        Diagnostic d = single(lint(list), "NP040");
        assertThat(d.range().startLine()).isEqualTo(13);
    }

    @Test
    void oddButValidShapesDoNotCrash() {
        List<Diagnostic> ds = lint(policy("""
                podSelector:
                ingress:
                -
                - from: []
                  ports: []
                egress:
                - to:
                  - ipBlock: {cidr: "::/0"}
                  - namespaceSelector: {}
                policyTypes: [Ingress, Egress]
                """));
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN900");
    }

    @Test
    void theClusterFactsAreReadAsTheProjectFileRulesReadThem() {
        String egress = policy("""
                podSelector: {matchLabels: {app: frontend}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                - to: [{ipBlock: {cidr: 10.96.0.0/16}}]
                - to: [{namespaceSelector: {}}]
                  ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]""");
        // a dual-stack pod CIDR (IPv4,IPv6, as --cluster-cidr is written) and a capitalised enforcement name
        List<Diagnostic> ds = lint(egress, """
                cluster:
                  podCIDR: 10.244.0.0/16,fd00:10:244::/56
                  serviceCIDR: 10.96.0.0/12,fd00:10:96::/112
                  policyEnforcement: Cilium
                """);
        Diagnostic pods = single(ds, "NP052");
        assertThat(pods.range().startLine()).isEqualTo(7);
        assertThat(pods.message()).contains("overlaps the cluster pod CIDR 10.244.0.0/16",
                "the enforcer here (cilium) does not match ipBlock against pod IPs");
        assertThat(single(ds, "NP053").message()).contains("lies in the Service CIDR 10.96.0.0/12");
        // ipBlockMatchesPodIPs written without an enforcement name
        Diagnostic off = single(lint(egress, "cluster: {podCIDR: 10.244.0.0/16, ipBlockMatchesPodIPs: false}\n"),
                "NP052");
        assertThat(off.message()).contains("the enforcer here (podnet.yaml: cluster.ipBlockMatchesPodIPs: false) "
                + "does not match ipBlock against pod IPs");
    }

    @Test
    void didYouMeanHintsHaveARunWideBudget() {
        // 300 distinct label sets and 100 misspelt selectors: scoring every set for every selector is what made a
        // folder of 3,000 of each take minutes; the hints stop once the run's budget is spent
        int podCount = 300;
        int policyCount = 100;
        StringBuilder pods = new StringBuilder();
        for (int i = 0; i < podCount; i++) {
            pods.append("apiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i)
                    .append(", namespace: shop, labels: {app: application-number-").append(i).append("}}\n")
                    .append("spec: {containers: [{name: c, image: i}]}\n---\n");
        }
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < policyCount; i++) {
            policies.append("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np").append(i)
                    .append(", namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: application-numbr-")
                    .append(i).append("}}\n  ingress: [{}]\n---\n");
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pods.yaml", pods.toString());
        files.put("policies.yaml", policies.toString());
        List<Diagnostic> np040 = Lint.only(Lint.files(files), "NP040");
        assertThat(np040).hasSize(policyCount);
        int hinted = NetworkPolicyLint.SUGGESTION_BUDGET / podCount;
        assertThat(np040.subList(0, hinted)).allSatisfy(d -> assertThat(d.message()).contains("; did you mean app="));
        assertThat(np040.get(0).message()).contains("did you mean app=application-number-0?");
        assertThat(np040.subList(hinted, policyCount)).allSatisfy(d -> assertThat(d.message())
                .endsWith("; check the labels").doesNotContain("did you mean"));
    }
}
