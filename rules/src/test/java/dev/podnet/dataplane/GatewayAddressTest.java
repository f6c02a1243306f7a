package dev.podnet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod holding the .1 of its /24 (as Calico assigns) must not be mistaken for the node's bridge address. */
class GatewayAddressTest {

    @Test
    void podOnTheFirstAddressIsStillFilteredAsAPod() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: server, namespace: a, labels: {app: server}}
                spec: {containers: [{name: c, ports: [{containerPort: 8000}]}]}
                status: {podIP: 10.0.30.1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: a, labels: {app: client}}
                spec: {containers: [{name: c}]}
                status: {podIP: 10.0.30.2}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: a}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """;
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("c.yaml", yaml)))
                .workspace());
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(inv);
        DataPlaneSimulator.Result r = sim.connect(new DataPlaneSimulator.Connection("a/client", "a/server", 8000,
                "TCP"));
        assertThat(r.allowed()).as(r.trace()).isFalse();
    }
}
