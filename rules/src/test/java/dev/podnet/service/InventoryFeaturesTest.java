package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
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
}
