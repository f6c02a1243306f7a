package dev.podnet.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryBuilderTest {

    static Inventory inventory(InputFile... files) {
        return InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(files)).workspace());
    }

    static InputFile resource(String path) throws IOException {
        try (InputStream in = InventoryBuilderTest.class.getResourceAsStream("/" + path)) {
            return InputFile.of(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void conformanceClusterAndPolicies() throws IOException {
        Inventory inv = inventory(resource("conformance/018-named-port-ingress/cluster.yaml"),
                resource("conformance/018-named-port-ingress/policies.yaml"));
        assertThat(inv.namespaces()).containsOnlyKeys("x", "y", "z");
        assertThat(inv.pods()).hasSize(9);
        Entities.PodInfo a = inv.pods().get(0);
        assertThat(a.key()).isEqualTo("x/a");
        assertThat(a.ips()).containsExactly("10.244.1.10");
        assertThat(a.ports()).contains(new Entities.ContainerPort("serve-81-tcp", 81, "TCP"));
        assertThat(inv.policies()).hasSize(1);
        Entities.PolicyInfo p = inv.policies().get(0);
        assertThat(p.namespace()).isEqualTo("x");
        assertThat(p.policy().getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal())
                .isEqualTo("serve-81-tcp");
        assertThat(p.source().range("/spec/ingress/0/ports/0/port").startLine()).isEqualTo(11);
    }

    @Test
    void listsWorkloadsServicesAndAssumedNamespaces() {
        String yaml = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: web, namespace: shop}
                  spec:
                    template:
                      metadata: {labels: {app: web}}
                      spec:
                        containers:
                        - name: web
                          ports: [{name: http, containerPort: 8080}]
                - apiVersion: v1
                  kind: Service
                  metadata: {name: web, namespace: shop}
                  spec:
                    selector: {app: web}
                    clusterIP: 10.96.20.30
                    ports: [{port: 80, targetPort: http}]
                - apiVersion: batch/v1
                  kind: CronJob
                  metadata: {name: report, namespace: jobs}
                  spec:
                    jobTemplate:
                      spec:
                        template:
                          metadata: {labels: {app: report}}
                          spec: {containers: [{name: r}]}
                """;
        Inventory inv = inventory(InputFile.of("all.yaml", yaml));
        assertThat(inv.workloads()).extracting(Entities.PodInfo::key).containsExactly("shop/web", "jobs/report");
        assertThat(inv.workloads().get(0).ports()).containsExactly(new Entities.ContainerPort("http", 8080, "TCP"));
        assertThat(inv.workloads().get(0).source().base()).isEqualTo("/items/0");
        assertThat(inv.services().get(0).ports().get(0).targetPort()).isEqualTo("http");
        assertThat(inv.services().get(0).clusterIPs()).containsExactly("10.96.20.30");
        assertThat(inv.namespace("shop").declared()).isFalse();
        assertThat(inv.namespace("shop").labels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "shop"));
    }

    @Test
    void numericPolicyPortAndTargetPortFromYamlAreRead() {
        Inventory inv = inventory(InputFile.of("np.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: a}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{port: 81, endPort: 90}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: s, namespace: a}
                spec: {ports: [{port: 80, targetPort: 8080}]}
                """));
        assertThat(inv.policies()).hasSize(1);
        assertThat(inv.policies().get(0).policy().getSpec().getIngress().get(0).getPorts().get(0).getPort()
                .getIntVal()).isEqualTo(81);
        assertThat(inv.services().get(0).ports().get(0).targetPort()).isEqualTo("8080");
    }

    @Test
    void mistypedObjectIsLeftOutWithoutException() {
        Inventory inv = inventory(InputFile.of("bad.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: a}
                spec: {containers: [{name: c, ports: [{containerPort: [1, 2]}]}]}
                """));
        assertThat(inv.pods()).isEmpty();
    }

    /** The CLI's start-up warm-up binds one object of every kind the inventory reads (none is rejected). */
    @org.junit.jupiter.api.Test
    void warmUpBindsEveryKind() {
        assertThat(InventoryBuilder.warmUp()).isEqualTo(6);
    }
}
