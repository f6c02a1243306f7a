package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.reach.ReachabilityCheck;
import java.util.List;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;

class InventoryFeaturesTest {
    static final String PODS = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: shop\n  labels:\n"
            + "    app: web\nspec:\n  containers:\n  - name: a\n    image: a\n";
    static final String POLICY = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n"
            + "  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n";

    static Inventory inv(String... texts) {
        List<InputFile> in = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            in.add(InputFile.of("f" + i + ".yaml", texts[i]));
        }
        return InventoryBuilder.build(LintEngine.standard().lint(in).workspace());
    }

    @Test
    void hoverOnThePolicysPodSelector() {
        Inventory inv = inv(PODS, POLICY);
        TextDocument d = new TextDocument("file:///w/p.yaml", 1, POLICY);
        var h = InventoryFeatures.hover(d, new Position(6, 4), inv).orElseThrow();
        assertThat(h.getContents().getRight().getValue())
                .isEqualTo("**podSelector** selects 1 pod: `shop/a` in namespace `shop`");
    }

    @Test
    void yamlPoliciesAndServicesWithNumericPortsReachTheInventory() {
        String policy = POLICY + "  ingress:\n  - ports:\n    - port: 8080\n";
        String svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\nspec:\n"
                + "  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n";
        Inventory inv = inv(PODS, policy, svc);
        assertThat(inv.policies()).hasSize(1);
        assertThat(inv.policies().get(0).policy().getSpec().getIngress().get(0).getPorts().get(0).getPort()
                .getIntVal()).isEqualTo(8080);
        assertThat(inv.services()).hasSize(1);
        assertThat(inv.services().get(0).ports().get(0).targetPort()).isEqualTo("8080");
    }

    @Test
    void matchExpressionsCompleteKeysAndTheValuesOfTheItemsKey() {
        Inventory inv = inv(PODS, PODS.replace("name: a", "name: b").replace("app: web", "app: db"));
        String text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n"
                + "  namespace: shop\nspec:\n  podSelector:\n    matchExpressions:\n    - key: \n"
                + "      operator: In\n      values:\n      - \n";
        TextDocument d = new TextDocument("file:///w/p.yaml", 1, text);
        var keys = InventoryFeatures.labelCompletion(d, new Position(8, 11), inv);
        assertThat(keys).extracting(i -> i.getTextEdit().getLeft().getNewText()).containsExactly("app");
        assertThat(keys.get(0).getTextEdit().getLeft().getRange().getStart()).isEqualTo(new Position(8, 11));
        String withKey = text.replace("- key: \n", "- key: app\n");
        var values = InventoryFeatures.labelCompletion(new TextDocument("file:///w/p.yaml", 2, withKey),
                new Position(11, 8), inv);
        assertThat(values).extracting(i -> i.getLabel()).containsExactly("db", "web");
    }

    @Test
    void yamlPathFollowsIndentationAndDashesAtTheParentsColumn() {
        String text = "spec:\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          ap";
        YamlPath p = YamlPath.at(text, 5, 12);
        assertThat(p.keys()).containsExactly("spec", "ingress", "-", "from", "-", "podSelector", "matchLabels");
        assertThat(p.key()).isNull();
        assertThat(p.wordStart()).isEqualTo(10);
        YamlPath v = YamlPath.at("a:\n  b: x\n  c: yy", 2, 7);
        assertThat(v.keys()).containsExactly("a");
        assertThat(v.key()).isEqualTo("c");
        assertThat(v.wordStart()).isEqualTo(5);
    }

    @Test
    void policySummaryNamesIsolationPerDirection() {
        String policy = POLICY + "  policyTypes: [Ingress, Egress]\n  egress:\n  - to:\n    - ipBlock:\n"
                + "        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n    ports:\n    - protocol: UDP\n"
                + "      port: 53\n      endPort: 60\n";
        Inventory inv = inv(PODS, policy);
        TextDocument d = new TextDocument("file:///w/p.yaml", 1, policy);
        var h = InventoryFeatures.hover(d, new Position(1, 1), inv).orElseThrow();
        assertThat(h.getContents().getRight().getValue()).isEqualTo("**NetworkPolicy shop/p** selects 1 pod: "
                + "`shop/a`\n\n- Ingress: isolated, nothing allowed\n"
                + "- Egress: isolated, allows to ipBlock 10.0.0.0/8 except 10.1.0.0/16 on UDP/53-60");
        var lens = InventoryFeatures.codeLenses(d, inv, null);
        assertThat(lens).hasSize(1);
        assertThat(lens.get(0).getCommand().getTitle()).as("no reachability result: N only")
                .isEqualTo("selects 1 pod");
        assertThat(InventoryFeatures.codeLenses(d, inv, ReachabilityCheck.Unreachable.NONE).get(0).getCommand()
                .getTitle()).isEqualTo("selects 1 pod \u00b7 0 unreachable");
    }

    static final String SHOP = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: shop, labels: {app: web}}
            spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
            """;
    static final String SHOP_POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: shop-8080, namespace: shop}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
              - from: [{podSelector: {}}]
                ports: [{port: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Ingress]
            """;

    @Test
    void lensCountsTheSelectedPodsRch001FindsUnreachable() {
        var r = LintEngine.standard().lint(List.of(InputFile.of("pods.yaml", SHOP),
                InputFile.of("policies.yaml", SHOP_POLICIES)));
        // RCH001's finding and the lens agree: db-0 and the db StatefulSet (one class) cannot be reached on 5432.
        var rch001 = r.diagnostics().stream().filter(x -> x.rule().equals("RCH001")).toList();
        assertThat(rch001).hasSize(1);
        assertThat(rch001.get(0).message()).contains("shop/db-0", "5432/TCP");
        var unreachable = ReachabilityCheck.unreachable(r.workspace()).orElseThrow();
        assertThat(unreachable.pods()).containsExactlyInAnyOrder("Pod shop/db-0", "StatefulSet shop/db");
        Inventory inv = InventoryBuilder.of(r.workspace());
        TextDocument d = new TextDocument("file:///w/policies.yaml", 1, SHOP_POLICIES);
        var lenses = InventoryFeatures.codeLenses(d, inv, unreachable);
        assertThat(lenses).extracting(l -> l.getCommand().getTitle()).containsExactly(
                "selects 3 pods \u00b7 2 unreachable", "selects 1 pod \u00b7 0 unreachable");
        assertThat(lenses.get(1).getRange().getStart()).isEqualTo(new Position(11, 0));
        // the lens's command lists the pods, unreachable first, and reveals the first one's manifest
        assertThat(lenses.get(0).getCommand().getCommand()).isEqualTo(InventoryFeatures.SHOW_PODS);
        var shown = InventoryFeatures.showPods(lenses.get(0).getCommand().getArguments().get(0)).orElseThrow();
        assertThat(shown.message()).isEqualTo("NetworkPolicy shop/shop-8080 selects 3 pods (2 unreachable): "
                + "Pod shop/db-0 (unreachable), StatefulSet shop/db (unreachable), Pod shop/web-0");
        assertThat(shown.reveal().getUri()).isEqualTo("pods.yaml");
        assertThat(shown.reveal().getRange().getStart()).isEqualTo(new Position(7, 11));
    }

    @Test
    void showPodsCutsLongListsAndRejectsOtherArguments() {
        List<dev.podnet.inventory.Entities.PodInfo> pods = new java.util.ArrayList<>();
        for (int i = 0; i < InventoryFeatures.PODS_IN_COMMAND + 3; i++) {
            pods.add(new dev.podnet.inventory.Entities.PodInfo("shop", String.format("p-%02d", i), "Pod",
                    java.util.Map.of(), List.of(), List.of(), "", false, null, "/metadata/labels"));
        }
        var arg = InventoryFeatures.showPodsArgument("shop/all", pods, null);
        var shown = InventoryFeatures.showPods(arg).orElseThrow();
        assertThat(shown.message()).startsWith("NetworkPolicy shop/all selects 53 pods: Pod shop/p-00, Pod shop/p-01")
                .endsWith("Pod shop/p-49 and 3 more");
        assertThat(shown.reveal()).as("no pod came from a file").isNull();
        assertThat(InventoryFeatures.showPods(InventoryFeatures.showPodsArgument("shop/none", List.of(), null))
                .orElseThrow().message()).isEqualTo("NetworkPolicy shop/none selects no pods");
        assertThat(InventoryFeatures.showPods("shop/x")).isEmpty();
        assertThat(InventoryFeatures.showPods(com.google.gson.JsonParser.parseString("{\"pods\": [1]}"))).isEmpty();
    }
}
