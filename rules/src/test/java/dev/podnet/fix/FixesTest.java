package dev.podnet.fix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic.Edit;
import dev.podnet.diag.Diagnostic.Fix;
import dev.podnet.source.JsonSourceParser;
import dev.podnet.source.SourceDoc;
import dev.podnet.source.SourceText;
import dev.podnet.source.YamlSourceParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each fix: input text + pointer in, the edited text out (and the edited text parses to what was meant). */
class FixesTest {

    static SourceDoc yaml(String text) {
        return YamlSourceParser.parse(new SourceText("x.yaml", text)).docs().get(0);
    }

    static SourceDoc json(String text) {
        return JsonSourceParser.parse(new SourceText("x.json", text)).docs().get(0);
    }

    /** Applies the fix's edits (non-overlapping, any order) to the text. */
    static String apply(SourceDoc doc, Fix fix) {
        SourceText src = doc.source();
        List<Edit> edits = new ArrayList<>(fix.edits());
        edits.sort(Comparator.comparingInt((Edit e) -> src.offset(e.range().startLine(), e.range().startChar()))
                .reversed());
        StringBuilder b = new StringBuilder(src.text());
        for (Edit e : edits) {
            b.replace(src.offset(e.range().startLine(), e.range().startChar()),
                    src.offset(e.range().endLine(), e.range().endChar()), e.newText());
        }
        return b.toString();
    }

    static final String POLICY = String.join("\n",
            "apiVersion: networking.k8s.io/v1",
            "kind: NetworkPolicy",
            "metadata:",
            "  name: api",
            "  namespace: shop",
            "spec:",
            "  podSelector:",
            "    matchLabels:",
            "      app: api",
            "  policyTypes:",
            "  - Ingress",
            "  ingress:",
            "  - from:",
            "    - namespaceSelector:",
            "        matchLabels:",
            "          team: web",
            "    - podSelector:",
            "        matchLabels:",
            "          app: web",
            "    ports:",
            "    - port: 80",
            "  egress:",
            "  - to:",
            "    - podSelector: {}",
            "") ;

    @Test
    void renameKeyKeepsJsonQuotes() {
        SourceDoc d = json("{\"plugins\": [{\"type\": \"bridge\", \"hairpinmode\": true}]}");
        Fix f = Fixes.renameKey(d, "/plugins/0/hairpinmode", "hairpinMode").orElseThrow();
        assertThat(f.title()).isEqualTo("Rename \"hairpinmode\" to \"hairpinMode\"");
        assertThat(f.edits()).containsExactly(new Edit(new dev.podnet.source.Range(0, 32, 0, 45), "\"hairpinMode\""));
        assertThat(apply(d, f)).isEqualTo("{\"plugins\": [{\"type\": \"bridge\", \"hairpinMode\": true}]}");
    }

    @Test
    void suppressAddsAnAnnotationsMapUnderMetadata() {
        SourceDoc d = yaml(POLICY);
        String out = apply(d, Fixes.suppress(d, "", "NP001", "reviewed").orElseThrow());
        assertThat(out).startsWith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
                + "  annotations:\n    ignore-check.podnet.dev/NP001: \"reviewed\"\n  name: api\n");
        assertThat(yaml(out).at("/metadata/annotations/ignore-check.podnet.dev~1NP001").asText()).isEqualTo("reviewed");
    }

    @Test
    void suppressJoinsExistingAnnotationsBlockAndFlow() {
        String block = "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: b\nspec: {}\n";
        SourceDoc d = yaml(block);
        assertThat(apply(d, Fixes.suppress(d, "", "POD1", "why").orElseThrow())).isEqualTo(
                "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    ignore-check.podnet.dev/POD1: \"why\"\n"
                        + "    a: b\nspec: {}\n");
        SourceDoc j = json("{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}");
        String out = apply(j, Fixes.suppress(j, "", "X1", "r").orElseThrow());
        assertThat(out).isEqualTo("{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"annotations\": "
                + "{\"ignore-check.podnet.dev/X1\": \"r\"}}}");
    }

    @Test
    void addPolicyTypeAppendsToABlockOrFlowListOrCreatesIt() {
        SourceDoc d = yaml(POLICY);
        String out = apply(d, Fixes.addPolicyType(d, "", "Egress").orElseThrow());
        assertThat(out).contains("  policyTypes:\n  - Ingress\n  - Egress\n  ingress:\n");
        assertThat(yaml(out).at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        assertThat(Fixes.addPolicyType(yaml(out), "", "Egress")).as("already listed").isEmpty();

        SourceDoc flow = yaml("kind: NetworkPolicy\nspec:\n  policyTypes: [Ingress]\n  egress: []\n");
        assertThat(apply(flow, Fixes.addPolicyType(flow, "", "Egress").orElseThrow()))
                .isEqualTo("kind: NetworkPolicy\nspec:\n  policyTypes: [Ingress, Egress]\n  egress: []\n");

        SourceDoc none = yaml("kind: NetworkPolicy\nspec:\n  podSelector: {}\n");
        String created = apply(none, Fixes.addPolicyType(none, "", "Egress").orElseThrow());
        assertThat(created).isEqualTo("kind: NetworkPolicy\nspec:\n  policyTypes:\n  - Ingress\n  - Egress\n"
                + "  podSelector: {}\n");
    }

    @Test
    void mergePeersMovesTheSecondPeersSelectorIntoTheFirst() {
        SourceDoc d = yaml(POLICY);
        Fix f = Fixes.mergePeers(d, "/spec/ingress/0/from/0", "/spec/ingress/0/from/1").orElseThrow();
        String out = apply(d, f);
        assertThat(out).contains(String.join("\n",
                "  - from:",
                "    - namespaceSelector:",
                "        matchLabels:",
                "          team: web",
                "      podSelector:",
                "        matchLabels:",
                "          app: web",
                "    ports:",
                ""));
        SourceDoc after = yaml(out);
        assertThat(after.at("/spec/ingress/0/from").size()).isEqualTo(1);
        assertThat(after.at("/spec/ingress/0/from/0/podSelector/matchLabels/app").asText()).isEqualTo("web");
        assertThat(after.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/team").asText()).isEqualTo("web");
        assertThat(Fixes.mergePeers(d, "/spec/ingress/0/from/0", "/spec/ingress/0/from/0")).isEmpty();
    }

    @Test
    void mergePeersRefusesPeersWithACommonKey() {
        SourceDoc d = yaml("spec:\n  ingress:\n  - from:\n    - podSelector: {}\n    - podSelector:\n"
                + "        matchLabels: {a: b}\n");
        assertThat(Fixes.mergePeers(d, "/spec/ingress/0/from/0", "/spec/ingress/0/from/1")).isEmpty();
    }

    @Test
    void dnsEgressRuleIsAppendedAsABlockItem() {
        SourceDoc d = yaml(POLICY);
        String out = apply(d, Fixes.addDnsEgressRule(d, "", "kube-system", Fixes.defaultDnsPodLabels())
                .orElseThrow());
        assertThat(out).endsWith(String.join("\n",
                "  egress:",
                "  - to:",
                "    - podSelector: {}",
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
                ""));
        SourceDoc after = yaml(out);
        assertThat(after.at("/spec/egress/1/ports/1/port").asInt()).isEqualTo(53);
    }

    @Test
    void dnsEgressRuleCreatesTheEgressList() {
        SourceDoc d = yaml("kind: NetworkPolicy\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n");
        String out = apply(d, Fixes.addDnsEgressRule(d, "", "kube-system", Map.of()).orElseThrow());
        SourceDoc after = yaml(out);
        assertThat(after.at("/spec/egress/0/to/0/namespaceSelector/matchLabels").toString())
                .isEqualTo("{\"kubernetes.io/metadata.name\":\"kube-system\"}");
        assertThat(after.at("/spec/policyTypes/0").asText()).isEqualTo("Egress");
    }

    @Test
    void replacePortWritesTheTargetPort() {
        SourceDoc d = yaml(POLICY);
        Fix f = Fixes.replacePort(d, "/spec/ingress/0/ports/0/port", "8080").orElseThrow();
        assertThat(f.edits()).containsExactly(new Edit(new dev.podnet.source.Range(20, 12, 20, 14), "8080"));
        assertThat(apply(d, Fixes.replacePort(d, "/spec/ingress/0/ports/0/port", "http").orElseThrow()))
                .contains("    - port: http\n");
        assertThat(Fixes.replacePort(d, "/spec/ingress/0/ports/7/port", "80")).isEmpty();
    }

    @Test
    void addPortAppendsAnEntryOrDeclines() {
        SourceDoc d = yaml("spec:\n  egress:\n  - ports:\n    - protocol: UDP\n      port: 53\n");
        Fix f = Fixes.addPort(d, "/spec/egress/0/ports", "TCP", 53).orElseThrow();
        assertThat(f.title()).isEqualTo("Add a TCP 53 port entry");
        String out = apply(d, f);
        assertThat(out).isEqualTo("spec:\n  egress:\n  - ports:\n    - protocol: UDP\n      port: 53\n"
                + "    - protocol: TCP\n      port: 53\n");
        assertThat(Fixes.addPort(yaml(out), "/spec/egress/0/ports", "TCP", 53)).as("already there").isEmpty();
        assertThat(Fixes.addPort(d, "/spec/egress/0/ports", "TCP", 0)).as("not a port").isEmpty();
        SourceDoc noNewline = yaml("ports:\n- port: 53\n  protocol: UDP");
        assertThat(apply(noNewline, Fixes.addPort(noNewline, "/ports", "TCP", 53).orElseThrow()))
                .isEqualTo("ports:\n- port: 53\n  protocol: UDP\n- protocol: TCP\n  port: 53");
        assertThat(Fixes.addPort(yaml("ports: []\n"), "/ports", "TCP", 53)).as("empty list").isEmpty();
        assertThat(Fixes.addPort(yaml("ports:\n- 53\n"), "/ports", "TCP", 53)).as("not a mapping").isEmpty();
        assertThat(Fixes.addPort(yaml("ports: {a: 1}\n"), "/ports", "TCP", 53)).as("not a list").isEmpty();
    }

    @Test
    void plainQuotesWhatYamlWouldReadAsAnotherType() {
        assertThat(Fixes.plain("kube-dns")).isEqualTo("kube-dns");
        assertThat(Fixes.plain("app.kubernetes.io/name")).isEqualTo("app.kubernetes.io/name");
        assertThat(Fixes.plain("yes")).isEqualTo("\"yes\"");
        assertThat(Fixes.plain("True")).isEqualTo("\"True\"");
        assertThat(Fixes.plain("8080")).isEqualTo("\"8080\"");
        assertThat(Fixes.plain("")).isEqualTo("\"\"");
    }

    @Test
    void cni005WithADidYouMeanCarriesTheRenameFix() {
        String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", "
                + "\"hairpinmode\": true}]}";
        var r = dev.podnet.lint.LintEngine.standard().lint(List.of(dev.podnet.lint.InputFile.of("10.conflist", text)));
        var d = r.diagnostics().stream().filter(x -> x.rule().equals("CNI005")).findFirst().orElseThrow();
        assertThat(d.fix()).isNotNull();
        int at = text.indexOf("\"hairpinmode\"");
        assertThat(d.fix().edits()).containsExactly(new Edit(new dev.podnet.source.Range(0, at, 0, at + 13),
                "\"hairpinMode\""));
        assertThat(d.range()).isEqualTo(d.fix().edits().get(0).range());
    }
}
