package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPolicyValidationTest {

    static final String HEAD = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            """;

    static Diagnostic single(List<Diagnostic> ds, String rule) {
        List<Diagnostic> found = Lint.only(ds, rule);
        assertThat(found).as(rule + " in\n" + Lint.show(ds)).hasSize(1);
        return found.get(0);
    }

    @Test
    void validPolicyHasNoValidationFinding() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector:
                    matchLabels: {app: web}
                    matchExpressions:
                    - {key: tier, operator: In, values: [a, b]}
                    - {key: example.com/canary, operator: DoesNotExist}
                  policyTypes: [Ingress, Egress]
                  ingress:
                  - from:
                    - ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: gw}}
                      podSelector: {}
                    ports:
                    - {port: http}
                    - {protocol: UDP, port: 30000, endPort: 30100}
                    - {protocol: SCTP}
                  egress:
                  - to:
                    - ipBlock: {cidr: "2001:db8::/64"}
                """);
        assertThat(ds).extracting(Diagnostic::rule).noneMatch(r -> r.compareTo("NP040") < 0);
    }

    @Test
    void quotedPortIsReadAsAPortNameAndRejected() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: "80"
                """);
        Diagnostic d = single(ds, "NP011");
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.range().startLine()).isEqualTo(7);
        assertThat(d.range().startChar()).isEqualTo(12);
        assertThat(d.message()).contains("port name", "port: 80 without quotes");
        assertThat(Lint.only(ds, "NP010")).isEmpty();
    }

    @Test
    void unknownFieldGetsDidYouMeanAtTheKey() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {}
                  ingress:
                  - from:
                    - namespaceselector: {matchLabels: {team: a}}
                """);
        Diagnostic d = single(ds, "NP018");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.message()).contains("did you mean namespaceSelector?");
        assertThat(d.range().startLine()).isEqualTo(7);
        assertThat(d.range().startChar()).isEqualTo(6);
        // The API then sees a peer with no known field: rejected.
        assertThat(Lint.only(ds, "NP013")).hasSize(1);
    }

    @Test
    void labelsDirectlyUnderPodSelectorWidenTheSelector() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {app: web}
                """);
        assertThat(single(ds, "NP018").message()).contains("matchLabels", "selects every pod");
    }

    @Test
    void misplacedFieldsAreExplained() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {}
                  egress:
                  - from:
                    - cidr: 10.0.0.0/8
                  - to:
                    - namespace: kube-system
                """);
        List<String> msgs = Lint.only(ds, "NP018").stream().map(Diagnostic::message).toList();
        assertThat(msgs).anyMatch(m -> m.contains("egress rules use to"));
        assertThat(msgs).anyMatch(m -> m.contains("kubernetes.io/metadata.name"));
    }

    @Test
    void selectorOperatorsAndValues() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector:
                    matchExpressions:
                    - {key: a, operator: Equals, values: [x]}
                    - {key: b, operator: In}
                    - {key: c, operator: Exists, values: [y]}
                    - {key: "bad key!", operator: Exists}
                    - {key: d, operator: NotIn, values: ["has space"]}
                """);
        assertThat(single(ds, "NP005").message()).contains("did you mean In?");
        assertThat(Lint.only(ds, "NP006")).hasSize(2);
        assertThat(single(ds, "NP003").range().startLine()).isEqualTo(9);
        assertThat(single(ds, "NP004").message()).contains("has space");
    }

    @Test
    void portsEndPortAndProtocol() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - {protocol: tcp, port: 70000}
                    - {port: web--ui}
                    - {port: http, endPort: 90}
                    - {endPort: 90}
                    - {port: 100, endPort: 99}
                    - {port: 100, endPort: "200"}
                """);
        assertThat(single(ds, "NP008").message()).contains("did you mean TCP?");
        assertThat(single(ds, "NP009").message()).contains("70000");
        assertThat(single(ds, "NP010").message()).contains("consecutive hyphens");
        assertThat(Lint.only(ds, "NP012")).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("non-numeric"))
                .anyMatch(m -> m.contains("not specified"))
                .anyMatch(m -> m.contains("smaller than port 100"));
        assertThat(single(ds, "NP019").message()).contains("endPort", "remove the quotes");
    }

    @Test
    void ipBlockRules() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8, 11.0.0.0/16, bogus]}
                    - ipBlock: {cidr: 10.0.0.1}
                    - ipBlock: {cidr: 10.1.2.3/16}
                    - ipBlock: {cidr: 010.0.0.0/8}
                    - ipBlock: {except: [10.0.0.0/24]}
                    - ipBlock: {cidr: 192.0.2.0/24}
                      podSelector: {}
                    - {}
                """);
        List<Diagnostic> except = Lint.only(ds, "NP016");
        assertThat(except).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("10.0.0.0/8 must be a strict subset") && m.contains("whole block"))
                .anyMatch(m -> m.contains("11.0.0.0/16") && m.contains("outside"))
                .anyMatch(m -> m.contains("bogus"));
        assertThat(Lint.only(ds, "NP015")).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("10.0.0.1/32"))
                .anyMatch(m -> m.contains("required"));
        assertThat(Lint.only(ds, "NP017")).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("10.1.0.0/16"))
                .anyMatch(m -> m.contains("leading zeros"));
        assertThat(Lint.only(ds, "NP014")).hasSize(1);
        assertThat(Lint.only(ds, "NP013")).hasSize(1);
    }

    @Test
    void wrongTypesAndYaml11Booleans() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector:
                    matchLabels: {version: 2, enabled: yes, quoted: "no", helm:}
                  ingress:
                    from:
                    - podSelector: {}
                  policyTypes: Ingress
                """);
        List<String> types = Lint.only(ds, "NP019").stream().map(Diagnostic::message).toList();
        assertThat(types).anyMatch(m -> m.contains("version") && m.contains("quote it (\"2\")"));
        assertThat(types).anyMatch(m -> m.contains("unquoted word yes"));
        assertThat(types).noneMatch(m -> m.contains("quoted no") || m.contains("word no"));
        assertThat(types).anyMatch(m -> m.contains("ingress must be a list") && m.contains("put a '-'"));
        assertThat(types).anyMatch(m -> m.contains("policyTypes must be a list"));
        assertThat(single(ds, "NP022").message()).contains("helm");
    }

    @Test
    void wrongTypeMessagesGiveAFixThatWorks() {
        List<Diagnostic> ds = Lint.yaml(HEAD + """
                spec:
                  podSelector:
                    matchLabels: {app: [web, api], tier: {a: b}}
                  ingress:
                  - ports:
                    - {port: 80, endPort: 99999999999999999999}
                    - {port: 81, protocol: 6}
                """);
        List<String> types = Lint.only(ds, "NP019").stream().map(Diagnostic::message).toList();
        // a list or map has no text to quote: the fix is one string value (several values: matchExpressions In)
        assertThat(types).filteredOn(m -> m.contains("matchLabels app")).singleElement().asString()
                .doesNotContain("()", "quote it").contains("a list", "one string value", "operator: In");
        assertThat(types).filteredOn(m -> m.contains("matchLabels tier")).singleElement().asString()
                .doesNotContain("()", "quote it", "a object").contains("rejects an object", "one string value");
        // an integer too large for the API's int32 is not "not an integer"
        assertThat(types).filteredOn(m -> m.startsWith("endPort")).singleElement().asString()
                .contains("99999999999999999999", "32-bit").doesNotContain("must be an integer");
        // quoting an IP protocol number would only trade NP019 for NP008
        assertThat(types).filteredOn(m -> m.startsWith("protocol")).singleElement().asString()
                .contains("TCP, UDP or SCTP").doesNotContain("quote it");
    }

    @Test
    void namesAndApiVersion() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: extensions/v1beta1
                kind: NetworkPolicy
                metadata: {name: Web_Policy, namespace: my.ns}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress, Ingress]}
                """);
        assertThat(single(ds, "NP020").message()).contains("networking.k8s.io/v1");
        assertThat(single(ds, "NP001").message()).contains("try \"web-policy\"");
        assertThat(single(ds, "NP002").message()).contains("my-ns");
        assertThat(single(ds, "NP007").message()).contains("at most two");
        // no apiVersion at all: kubectl refuses it ("apiVersion not set"); it used to be skipped as not a manifest
        List<Diagnostic> none = Lint.yaml("""
                kind: NetworkPolicy
                metadata: {name: web, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """);
        assertThat(none).extracting(Diagnostic::rule).containsExactly("NP020");
        assertThat(none.get(0).message()).isEqualTo("apiVersion is missing, so the API server rejects the object; "
                + "add apiVersion: networking.k8s.io/v1");
        assertThat(none.get(0).range().startLine()).isZero();
    }

    @Test
    void otherApiGroupsAreNotValidated() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata: {name: Calico_Policy, namespace: shop}
                spec: {selector: "app == 'web'", types: [Ingress]}
                """);
        assertThat(ds).extracting(Diagnostic::rule).noneMatch(r -> r.startsWith("NP"));
    }

    @Test
    void listItemsAreValidatedAndSuppressedPerItem() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata:
                    name: a
                    namespace: shop
                    annotations: {ignore-check.podnet.dev/NP008: "SCTP-capable fork"}
                  spec:
                    podSelector: {}
                    ingress: [{ports: [{protocol: tcp}]}]
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: b, namespace: shop}
                  spec:
                    podSelector: {}
                    ingress: [{ports: [{protocol: tcp}]}]
                """);
        Diagnostic d = single(ds, "NP008");
        assertThat(d.range().startLine()).isEqualTo(17);
    }

    @Test
    void aSuppressionThatNamesNoRuleIsReportedAtItsKey() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata:
                    name: a
                    namespace: shop
                    annotations:
                      ignore-check.podnet.dev/np008: "lower case"
                      ignore-check.podnet.dev/NP0008: "a typo"
                      ignore-check.podnet.dev/NP008: "this one works"
                      other.example/NP999: "not ours"
                  spec:
                    podSelector: {}
                    ingress: [{ports: [{protocol: tcp}]}]
                """);
        List<Diagnostic> syn = Lint.only(ds, "SYN007");
        assertThat(syn).hasSize(2);
        assertThat(syn.get(0).range()).isEqualTo(new dev.podnet.source.Range(9, 6, 9, 35));
        assertThat(syn.get(0).message()).isEqualTo("annotation ignore-check.podnet.dev/np008 names no podnet rule, "
                + "so it silences nothing; rule ids are upper case: write ignore-check.podnet.dev/NP008");
        assertThat(syn.get(1).message()).endsWith("did you mean ignore-check.podnet.dev/NP008?");
        assertThat(Lint.only(ds, "NP008")).as("the exact id still silences").isEmpty();
    }

    @Test
    void anInvalidLabelKeyGetsAValidOneToTry() {
        assertThat(LabelValidation.suggestKey("my key")).isEqualTo("my-key");
        assertThat(LabelValidation.suggestKey("-bad")).isEqualTo("bad");
        assertThat(LabelValidation.suggestKey("a/b/c")).isEqualTo("a-b/c");
        assertThat(LabelValidation.suggestKey("UPPER.example.com/x")).isEqualTo("upper.example.com/x");
        assertThat(LabelValidation.suggestKey("---")).isNull();
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: a, namespace: shop}
                spec: {podSelector: {matchLabels: {"app name": web}}}
                """);
        assertThat(single(ds, "NP003").message()).isEqualTo("spec.podSelector.matchLabels key \"app name\" is invalid: "
                + "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                + "alphanumeric character; try \"app-name\"");
    }

    @Test
    void quoteItHintsKeepTheScalarAsWritten() {
        List<Diagnostic> ds = Lint.yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: a, namespace: shop, labels: {v: 0x1F}, annotations: {n: 1e3}}
                spec:
                  podSelector: {}
                  egress: [{to: [{ipBlock: {cidr: 1e400}}]}]
                """);
        assertThat(Lint.only(ds, "NP019")).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m)
                .endsWith("quote it (\"0x1F\")")).anySatisfy(m -> assertThat(m).endsWith("quote it (\"1e3\")"))
                .anySatisfy(m -> assertThat(m).endsWith("quote it (\"1e400\")"));
    }
}
