package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Service ClusterIP as a target means the Service's backends (policies see the packet after DNAT). */
class ClusterIpTargetTest {

    @Test
    void clusterIpAndSvcFormGiveTheSameVerdict() throws Exception {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: a, labels: {app: web}}
                spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
                status: {podIP: 10.0.1.10}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: a, labels: {app: client}}
                spec: {containers: [{name: c}]}
                status: {podIP: 10.0.1.11}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: a}
                spec: {selector: {app: web}, clusterIP: 10.96.0.50, ports: [{port: 80, targetPort: 8080}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: a}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """;
        ReachabilityEngine engine = new ReachabilityEngine(InventoryBuilder.build(new LintEngine(List.of())
                .lint(List.of(InputFile.of("c.yaml", yaml))).workspace()));
        Connectivity c = new Connectivity(engine);
        Connectivity.Outcome viaIp = c.evaluate(c.resolve("a/client"), c.resolve("10.96.0.50"), Probe.parse("80/TCP"));
        Connectivity.Outcome viaSvc = c.evaluate(c.resolve("a/client"), c.resolve("svc:a/web"), Probe.parse("80/TCP"));
        assertThat(viaIp.verdict()).isEqualTo(viaSvc.verdict()).isEqualTo("deny");
        assertThat(viaIp.pairs()).hasSize(1);
        assertThat(viaIp.withVerdict(true)).isEmpty();
    }
}
