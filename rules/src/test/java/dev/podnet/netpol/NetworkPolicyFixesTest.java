package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.source.SourceText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixes the NetworkPolicy rules carry (NP047, NP048, NP050, NP054): each test lints a workspace, applies the
 * finding's edits to the policy file, lints again and checks that the finding is gone, that the edited file still
 * parses, and that no rule fires that did not fire before. Inputs the helpers cannot edit safely (flow style,
 * JSON, endPort ranges) must carry no fix at all.
 */
class NetworkPolicyFixesTest {

    private static final String PROJECT = "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico}\n";

    /** The workspace of {@link NetworkPolicyLintTest} with {@code policy} as policy.yaml. */
    static Map<String, String> workspace(String policyFile, String policy) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("podnet.yaml", PROJECT);
        files.put("pods.yaml", NetworkPolicyLintTest.PODS);
        files.put(policyFile, policy);
        return files;
    }

    static Map<String, String> caseFiles(String name) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : List.of("podnet.yaml", "manifests.yaml", "policy.yaml")) {
            try (InputStream s = NetworkPolicyFixesTest.class.getResourceAsStream("/cases/" + name + "/" + n)) {
                m.put(n, new String(s.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    /** The edits of a fix applied to the text they were computed on (non-overlapping, any order). */
    static String apply(String text, Diagnostic.Fix fix) {
        SourceText src = new SourceText("x", text);
        List<Diagnostic.Edit> edits = new ArrayList<>(fix.edits());
        edits.sort(Comparator.comparingInt((Diagnostic.Edit e) -> src.offset(e.range().startLine(),
                e.range().startChar())).reversed());
        StringBuilder b = new StringBuilder(text);
        for (Diagnostic.Edit e : edits) {
            b.replace(src.offset(e.range().startLine(), e.range().startChar()),
                    src.offset(e.range().endLine(), e.range().endChar()), e.newText());
        }
        return b.toString();
    }

    /** The one finding of {@code rule} in {@code file}. */
    static Diagnostic finding(List<Diagnostic> ds, String file, String rule) {
        List<Diagnostic> found = ds.stream().filter(d -> d.rule().equals(rule) && d.file().equals(file)).toList();
        assertThat(found).as(rule + " in\n" + Lint.show(ds)).hasSize(1);
        return found.get(0);
    }

    /**
     * Lints, applies the fix of the {@code rule} finding in {@code file}, re-lints; asserts the finding is gone
     * and that every rule firing afterwards fired before. Returns the fixed text.
     */
    static String fixAndRelint(Map<String, String> files, String file, String rule) {
        List<Diagnostic> before = Lint.files(files);
        Diagnostic d = finding(before, file, rule);
        assertThat(d.fix()).as("fix of " + d).isNotNull();
        String fixed = apply(files.get(file), d.fix());
        Map<String, String> after = new LinkedHashMap<>(files);
        after.put(file, fixed);
        List<Diagnostic> ds = Lint.files(after);
        assertThat(ds.stream().filter(x -> x.rule().equals(rule) && x.file().equals(file)))
                .as(rule + " after the fix in\n" + fixed + "\n" + Lint.show(ds)).isEmpty();
        List<String> rulesBefore = before.stream().map(Diagnostic::rule).toList();
        assertThat(ds).as("no new finding after the fix of " + rule + ":\n" + fixed + "\n" + Lint.show(ds))
                .allSatisfy(x -> assertThat(rulesBefore).contains(x.rule()));
        assertThat(ds).noneMatch(x -> x.rule().startsWith("SYN") || x.severity() == Severity.ERROR
                && before.stream().noneMatch(y -> y.rule().equals(x.rule())));
        return fixed;
    }

    /** Lints and asserts the {@code rule} finding is reported without a fix. */
    static void noFix(Map<String, String> files, String file, String rule) {
        Diagnostic d = finding(Lint.files(files), file, rule);
        assertThat(d.fix()).as("no fix for " + d.message()).isNull();
    }

    // ---------------------------------------------------------------- NP050

    @Test
    void np050MergesTheNamespacePeerAndThePodPeerOfCase003() throws IOException {
        Map<String, String> files = caseFiles("003-netpol-dns-peers-or-instead-of-and");
        Diagnostic d = finding(Lint.files(files), "policy.yaml", "NP050");
        assertThat(d.fix().title()).isEqualTo("Merge into one peer (namespaceSelector AND podSelector)");
        String fixed = fixAndRelint(files, "policy.yaml", "NP050");
        assertThat(fixed).contains(String.join("\n",
                "  - to:",
                "    - namespaceSelector:",
                "        matchLabels:",
                "          kubernetes.io/metadata.name: kube-system",
                "      podSelector:",
                "        matchLabels:",
                "          k8s-app: kube-dns",
                "    ports:",
                "    - protocol: UDP",
                ""));
    }

    @Test
    void np050MergesWhenThePodPeerComesFirst() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to:
                    - podSelector:
                        matchLabels:
                          k8s-app: kube-dns
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: kube-system
                    ports:
                    - protocol: UDP
                      port: 53
                    - protocol: TCP
                      port: 53
                """;
        String fixed = fixAndRelint(workspace("policy.yaml", policy), "policy.yaml", "NP050");
        assertThat(fixed).contains("""
                  - to:
                    - podSelector:
                        matchLabels:
                          k8s-app: kube-dns
                      namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: kube-system
                    ports:
                """);
    }

    @Test
    void np050WithOddIndentationStaysValid() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                      -   to:
                              -     namespaceSelector:
                                       matchLabels:
                                           kubernetes.io/metadata.name: kube-system
                              -     podSelector:
                                       matchLabels: {k8s-app: kube-dns}   # the DNS pods
                          ports:
                              - {protocol: UDP, port: 53}
                              - {protocol: TCP, port: 53}
                """;
        String fixed = fixAndRelint(workspace("policy.yaml", policy), "policy.yaml", "NP050");
        assertThat(fixed).contains("""
                              -     namespaceSelector:
                                       matchLabels:
                                           kubernetes.io/metadata.name: kube-system
                                    podSelector:
                                       matchLabels: {k8s-app: kube-dns}   # the DNS pods
                          ports:
                """);
    }

    @Test
    void np050InFlowStyleOrJsonHasNoFix() {
        String flow = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}},
                         {podSelector: {matchLabels: {k8s-app: kube-dns}}}]
                    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
                """;
        noFix(workspace("policy.yaml", flow), "policy.yaml", "NP050");
        String blockListFlowPeers = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to:
                    - {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}
                    - {podSelector: {matchLabels: {k8s-app: kube-dns}}}
                """;
        noFix(workspace("policy.yaml", blockListFlowPeers), "policy.yaml", "NP050");
        String json = "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", \"metadata\": "
                + "{\"name\": \"dns\", \"namespace\": \"shop\"}, \"spec\": {\"podSelector\": {}, \"policyTypes\": "
                + "[\"Egress\"], \"egress\": [{\"to\": [{\"namespaceSelector\": {\"matchLabels\": "
                + "{\"kubernetes.io/metadata.name\": \"kube-system\"}}}, {\"podSelector\": {\"matchLabels\": "
                + "{\"k8s-app\": \"kube-dns\"}}}]}]}}\n";
        noFix(workspace("policy.json", json), "policy.json", "NP050");
    }

    // ---------------------------------------------------------------- NP047

    @Test
    void np047AddsADnsEgressRuleToTheDefaultDenyPolicyOfCase001() throws IOException {
        Map<String, String> files = caseFiles("001-netpol-default-deny-egress-blocks-dns");
        Diagnostic d = finding(Lint.files(files), "policy.yaml", "NP047");
        assertThat(d.fix().title()).isEqualTo("Allow DNS egress to kube-system (UDP and TCP 53)");
        String fixed = fixAndRelint(files, "policy.yaml", "NP047");
        assertThat(fixed).startsWith(String.join("\n",
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata:",
                "  name: default-deny-egress",
                "  namespace: shop",
                "spec:",
                "  egress:",
                "  - to:",
                "    - namespaceSelector:",
                "        matchLabels:",
                "          kubernetes.io/metadata.name: kube-system",
                "      podSelector:",
                "        matchLabels:",
                "          k8s-app: kube-dns",
                "    ports:",
                "    - protocol: UDP",
                "      port: 53",
                "    - protocol: TCP",
                "      port: 53",
                "  podSelector: {}",
                "  policyTypes:",
                "  - Egress",
                "---",
                ""));
    }

    @Test
    void np047AppendsToExistingEgressRulesAndUsesTheDnsServiceSelector() {
        Map<String, String> files = workspace("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to:
                    - podSelector: {matchLabels: {app: frontend}}
                """);
        files.put("dns.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: dns, namespace: infra}
                spec:
                  selector: {app.kubernetes.io/name: coredns, "on": "yes"}
                  ports:
                  - {name: dns, port: 53, protocol: UDP}
                  - {name: dns-tcp, port: 53, protocol: TCP}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: coredns-0
                  namespace: infra
                  labels: {app.kubernetes.io/name: coredns, "on": "yes"}
                spec:
                  containers:
                  - name: coredns
                    image: coredns
                    ports:
                    - {name: dns, containerPort: 53, protocol: UDP}
                    - {name: dns-tcp, containerPort: 53, protocol: TCP}
                status: {podIP: 10.244.0.7}
                """);
        files.put("podnet.yaml", "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico, "
                + "dns: {namespace: infra, service: dns}}\n");
        String fixed = fixAndRelint(files, "policy.yaml", "NP047");
        assertThat(fixed).endsWith("""
                  egress:
                  - to:
                    - podSelector: {matchLabels: {app: frontend}}
                  - to:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: infra
                      podSelector:
                        matchLabels:
                          app.kubernetes.io/name: coredns
                          "on": "yes"
                    ports:
                    - protocol: UDP
                      port: 53
                    - protocol: TCP
                      port: 53
                """);
    }

    @Test
    void np047OnAFlowSpecOrJsonHasNoFix() {
        noFix(workspace("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Egress]}
                """), "policy.yaml", "NP047");
        noFix(workspace("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress: [{to: [{podSelector: {matchLabels: {app: frontend}}}]}]
                """), "policy.yaml", "NP047");
        noFix(workspace("policy.json", "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", "
                + "\"metadata\": {\"name\": \"deny\", \"namespace\": \"shop\"}, \"spec\": {\"podSelector\": {}, "
                + "\"policyTypes\": [\"Egress\"]}}\n"), "policy.json", "NP047");
    }

    @Test
    void np047OnlyTcpGetsAUdpEntry() {
        String fixed = fixAndRelint(workspace("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                      podSelector: {matchLabels: {k8s-app: kube-dns}}
                    ports:
                    - protocol: TCP
                      port: 53
                """), "policy.yaml", "NP047");
        assertThat(fixed).endsWith("""
                    ports:
                    - protocol: TCP
                      port: 53
                    - protocol: UDP
                      port: 53
                """);
    }

    // ---------------------------------------------------------------- NP048

    static String udpOnly(String ports) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: dns, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress:
                  - to:
                    - ipBlock: {cidr: 192.0.2.0/24}
                    ports:
                    - {protocol: UDP, port: 53}
                  - to:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                      podSelector: {matchLabels: {k8s-app: kube-dns}}
                """ + ports;
    }

    @Test
    void np048AddsTcp53NextToTheUdpEntryOfTheRuleToTheDnsPods() {
        Map<String, String> files = workspace("policy.yaml", udpOnly("""
                    ports:
                    - protocol: UDP
                      port: 53   # DNS
                    - port: 8080
                """));
        Diagnostic d = finding(Lint.files(files), "policy.yaml", "NP048");
        assertThat(d.range().startLine()).as("the UDP entry of the rule to the DNS pods").isEqualTo(15);
        assertThat(d.fix().title()).isEqualTo("Add a TCP 53 port entry");
        assertThat(fixAndRelint(files, "policy.yaml", "NP048")).endsWith("""
                    ports:
                    - protocol: UDP
                      port: 53   # DNS
                    - port: 8080
                    - protocol: TCP
                      port: 53
                """);
    }

    @Test
    void np048InFlowStyleAddsAFlowEntry() {
        assertThat(fixAndRelint(workspace("policy.yaml", udpOnly("""
                    ports: [{port: dns, protocol: UDP}]
                """)), "policy.yaml", "NP048")).endsWith("""
                    ports: [{port: dns, protocol: UDP}, {protocol: TCP, port: 53}]
                """);
        assertThat(fixAndRelint(workspace("policy.yaml", udpOnly("""
                    ports:
                      -   {port: dns, protocol: UDP}
                """)), "policy.yaml", "NP048")).endsWith("""
                    ports:
                      -   {port: dns, protocol: UDP}
                      -   {protocol: TCP, port: 53}
                """);
        String json = "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", \"metadata\": "
                + "{\"name\": \"dns\", \"namespace\": \"shop\"}, \"spec\": {\"podSelector\": {}, \"policyTypes\": "
                + "[\"Egress\"], \"egress\": [{\"to\": [{\"namespaceSelector\": {\"matchLabels\": "
                + "{\"kubernetes.io/metadata.name\": \"kube-system\"}}, \"podSelector\": {\"matchLabels\": "
                + "{\"k8s-app\": \"kube-dns\"}}}], \"ports\": [{\"protocol\": \"UDP\", \"port\": 53}]}]}}\n";
        assertThat(fixAndRelint(workspace("policy.json", json), "policy.json", "NP048")).endsWith(
                "\"ports\": [{\"protocol\": \"UDP\", \"port\": 53}, {\"protocol\": \"TCP\", \"port\": 53}]}]}}\n");
    }

    // ---------------------------------------------------------------- NP054

    @Test
    void np054ReplacesTheServicePortByTheTargetPortOfCase009() throws IOException {
        Map<String, String> files = caseFiles("009-netpol-service-port-not-container-port");
        Diagnostic d = finding(Lint.files(files), "policy.yaml", "NP054");
        assertThat(d.fix().title()).isEqualTo("Use the pod port 8080 (the Service's targetPort) instead of 80");
        assertThat(d.fix().edits()).containsExactly(new Diagnostic.Edit(new dev.podnet.source.Range(18, 12, 18, 14),
                "8080"));
        assertThat(fixAndRelint(files, "policy.yaml", "NP054")).endsWith("    - protocol: TCP\n      port: 8080\n");
    }

    @Test
    void np054InFlowStyleAndJsonReplacesTheScalar() throws IOException {
        Map<String, String> files = caseFiles("009-netpol-service-port-not-container-port");
        String flow = files.get("policy.yaml").replace("    ports:\n    - protocol: TCP\n      port: 80\n",
                "    ports: [{protocol: TCP, port: 80}]\n");
        assertThat(flow).contains("[{protocol: TCP, port: 80}]");
        files.put("policy.yaml", flow);
        assertThat(fixAndRelint(files, "policy.yaml", "NP054")).endsWith("    ports: [{protocol: TCP, port: 8080}]\n");
    }

    @Test
    void np054WithAnEndPortHasNoFix() throws IOException {
        Map<String, String> files = caseFiles("009-netpol-service-port-not-container-port");
        files.put("policy.yaml", files.get("policy.yaml").replace("      port: 80\n",
                "      port: 80\n      endPort: 81\n"));
        noFix(files, "policy.yaml", "NP054");
    }

    /** A pod with containerPort 8080 named http behind Service web (port 80, targetPort http). */
    static final String WEB_POD_AND_SERVICE = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                ports: [{containerPort: 8080, name: http}]
            status: {podIP: 10.244.1.5}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            """;

    /** Egress to TCP 80 anywhere (no 'to'). */
    static final String HTTP_OUT = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-http-out, namespace: shop}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
              - ports:
                - protocol: TCP
                  port: 80
            """;

    @Test
    void np054OnARuleThatAlsoReachesOutsideAddsThePodPortInsteadOfReplacing() throws IOException {
        // port 80 to anywhere (no 'to') or to an ipBlock is also meant for outside servers: replacing it by the
        // Service's targetPort would cut those off
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("pods.yaml", WEB_POD_AND_SERVICE);
        files.put("policy.yaml", HTTP_OUT);
        Diagnostic d = finding(Lint.files(files), "policy.yaml", "NP054");
        assertThat(d.message()).endsWith("so traffic through the Service is not matched: add port: http to this rule "
                + "(keep TCP 80 for the other destinations it allows)");
        assertThat(d.fix().title()).isEqualTo("Add a TCP http port entry");
        assertThat(fixAndRelint(files, "policy.yaml", "NP054")).endsWith(
                "    - protocol: TCP\n      port: 80\n    - protocol: TCP\n      port: http\n");
    }

    @Test
    void np054IsSilentWhenTheRuleAlsoAllowsEveryPortOfTheProtocol() throws IOException {
        // an entry without a port matches every port of its protocol, the Service's targetPort included
        Map<String, String> files = caseFiles("009-netpol-service-port-not-container-port");
        String policy = files.get("policy.yaml");
        files.put("policy.yaml", policy + "    - protocol: TCP\n");
        assertThat(Lint.files(files)).noneMatch(d -> d.rule().equals("NP054"));
        files.put("policy.yaml", policy + "    - protocol: UDP\n");
        assertThat(Lint.files(files)).anyMatch(d -> d.rule().equals("NP054"));
    }

    @Test
    void np054IsSilentWhenTheRuleListsTheNamedTargetPortByItsNumber() throws IOException {
        // the Service's targetPort http is containerPort 8080 named http: a rule with port 8080 lets it through
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("pods.yaml", WEB_POD_AND_SERVICE);
        String policy = HTTP_OUT;
        files.put("policy.yaml", policy);
        assertThat(Lint.files(files)).anyMatch(d -> d.rule().equals("NP054"));
        files.put("policy.yaml", policy + "    - protocol: TCP\n      port: 8080\n");
        assertThat(Lint.files(files)).noneMatch(d -> d.rule().equals("NP054"));
    }
}
