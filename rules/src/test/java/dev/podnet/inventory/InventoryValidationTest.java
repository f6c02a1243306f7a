package dev.podnet.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** INV001-INV005: API-invalid Pod / workload / Service fields, and objects left out of the inventory. */
class InventoryValidationTest {

    static List<Diagnostic> lint(String yaml) {
        return LintEngine.standard().lint(List.of(InputFile.of("m.yaml", yaml))).diagnostics().stream()
                .filter(d -> d.rule().startsWith("INV")).toList();
    }

    static List<String> at(List<Diagnostic> ds) {
        return ds.stream().map(d -> d.rule() + "@" + d.range().startLine() + ":" + d.range().startChar()).toList();
    }

    @Test
    void podLabelsPortsAndIpsAreValidatedAtTheirField() {
        List<Diagnostic> ds = lint("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-0
                  namespace: shop
                  labels: {app: "web frontend", "-tier": db, n: 1}
                spec:
                  containers:
                  - name: web
                    ports:
                    - {name: eighty-http-port-too-long, containerPort: 70000, protocol: tcp}
                    - {name: http, containerPort: "8080", hostPort: 0}
                    - {name: http, containerPort: 8081}
                    - {name: x}
                status:
                  podIP: 10.0.0.300
                  podIPs: [{ip: 10.0.0.1}]
                """);
        assertThat(at(ds)).containsExactly(
                "INV001@5:16",  // value "web frontend"
                "INV001@5:32",  // key -tier
                "INV001@5:48",  // value 1 is a number
                "INV002@10:13", // name too long
                "INV002@10:55", // containerPort 70000
                "INV002@10:72", // protocol tcp
                "INV002@11:34", // containerPort "8080"
                "INV002@12:13", // duplicate name http
                "INV002@13:6",  // no containerPort (at the key of the port entry)
                "INV004@15:9"); // podIP
        assertThat(ds).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.ERROR));
        assertThat(ds.get(3).message()).contains("port name \"eighty-http-port-too-long\" is invalid",
                "no more than 15 characters");
        assertThat(ds.get(5).message()).contains("did you mean TCP?");
        assertThat(ds.get(6).message()).contains("write 8080 without quotes");
    }

    @Test
    void workloadTemplatesAndCronJobsAreValidated() {
        List<Diagnostic> ds = lint("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: api_}}
                    spec:
                      containers: [{name: api, ports: [{containerPort: 0}]}]
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: job, namespace: shop}
                spec:
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: job}}
                        spec:
                          initContainers: [{name: side, restartPolicy: Always, ports: [{containerPort: 1, protocol: ICMP}]}]
                """);
        assertThat(at(ds)).containsExactly("INV001@5:29", "INV002@7:55", "INV002@18:100");
        assertThat(ds.get(0).message()).contains("spec.template.metadata.labels app value \"api_\" is invalid");
    }

    @Test
    void servicePortsAndSelectorAreValidated() {
        List<Diagnostic> ds = lint("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: yes}
                  ports:
                  - {name: http, port: 80, targetPort: "8080"}
                  - {port: 0, targetPort: eighty-http-port-too-long, protocol: Tcp}
                  - {name: http, port: 81, targetPort: 70000}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: noports, namespace: shop}
                spec: {selector: {app: web}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: headless, namespace: shop}
                spec: {clusterIP: None, selector: {app: web}}
                """);
        assertThat(at(ds)).containsExactly("INV001@4:18", "INV003@6:39", "INV003@7:4", "INV003@7:11",
                "INV003@7:26", "INV003@7:63", "INV003@8:11", "INV003@8:39", "INV003@13:0");
        assertThat(ds.get(0).message()).contains("unquoted word yes");
        assertThat(ds.get(2).message()).contains("has no name");
        assertThat(ds.get(6).message()).contains("used twice");
        assertThat(ds.get(8).message()).contains("spec.ports is required");
    }

    @Test
    void validObjectsHaveNoFinding() {
        assertThat(lint("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {team: web, "example.com/owner": ""}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-0, namespace: shop, labels: {app: web, app.kubernetes.io/name: web}}
                spec:
                  containers:
                  - {name: web, ports: [{name: http, containerPort: 8080, protocol: TCP}, {containerPort: 53, protocol: UDP, hostPort: 53}]}
                  - {name: side, ports: [{name: http, containerPort: 9090}]}
                status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}, {name: dns, port: 53, protocol: UDP, targetPort: 53}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext, namespace: shop}
                spec: {type: ExternalName, externalName: example.com}
                """)).isEmpty();
    }

    @Test
    void objectsThatCannotBeReadAreReportedAsLeftOutNeverSilently() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-0, namespace: shop, labels: {app: web}}
                spec:
                  hostNetwork: maybe
                  containers: [{name: web}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  ports: {port: 80}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec: {replicas: 1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: ok, namespace: shop}
                spec: {containers: [{name: c, ports: [{containerPort: "abc"}]}]}
                """;
        List<Diagnostic> ds = lint(yaml);
        List<Diagnostic> leftOut = ds.stream().filter(d -> d.rule().equals("INV005")).toList();
        assertThat(at(leftOut)).containsExactly("INV005@2:17", "INV005@9:17", "INV005@16:17", "INV005@21:17");
        assertThat(leftOut).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.WARNING));
        assertThat(leftOut.get(0).message()).isEqualTo("Pod shop/web-0 is left out of the inventory and the "
                + "simulation: spec.hostNetwork is the string \"maybe\" but must be true or false (line 5); fix "
                + "that field so podnet (and the API server) can read the object");
        assertThat(leftOut.get(1).message()).contains("Service shop/web", "spec.ports is a map but must be a list");
        assertThat(leftOut.get(2).message()).contains("Deployment shop/api", "spec.template is missing");
        assertThat(leftOut.get(3).message()).contains("Pod shop/ok",
                "spec.containers[0].ports[0].containerPort is the string \"abc\" but must be an integer");
        // the type error of the field itself is reported too, at the field
        assertThat(at(ds)).contains("INV003@12:9", "INV002@22:54");

        // and the builder's listener names exactly these objects, which are not in the inventory
        List<InventoryBuilder.LeftOut> out = new ArrayList<>();
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("m.yaml", yaml)))
                .workspace(), out::add);
        assertThat(out).extracting(InventoryBuilder.LeftOut::kind).containsExactly("Pod", "Service", "Deployment",
                "Pod");
        assertThat(inv.pods()).isEmpty();
        assertThat(inv.services()).isEmpty();
        assertThat(inv.workloads()).isEmpty();
    }

    @Test
    void aWrongTypeInAFieldPodnetDoesNotReadKeepsTheObjectInTheInventory() {
        // volumes, env, probes, affinity, container statuses and the like are not bound (InventoryBuilder.Bound):
        // their mistakes are the API server's and kubeconform's to report, the networking facts stay known.
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-0, namespace: shop, labels: {app: web}, ownerReferences: {bad: 1}}
                spec:
                  volumes: {data: {emptyDir: {}}}
                  affinity: [x]
                  nodeName: node-a
                  containers:
                  - name: web
                    env: {A: b}
                    livenessProbe: 5
                    ports: [{name: http, containerPort: 8080}]
                status: {podIP: 10.244.1.7, phase: [Running], containerStatuses: {web: ok}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}], sessionAffinityConfig: 3}
                status: {loadBalancer: [x]}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: node-a}
                spec: {podCIDR: 10.244.1.0/24, taints: {a: b}}
                status: {addresses: [{type: InternalIP, address: 192.0.2.10}], nodeInfo: [x]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, resources: [1]}], tolerations: {a: b}}
                """;
        List<InventoryBuilder.LeftOut> out = new ArrayList<>();
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("m.yaml", yaml)))
                .workspace(), out::add);
        assertThat(out).isEmpty();
        assertThat(lint(yaml)).extracting(Diagnostic::rule).doesNotContain("INV005");
        assertThat(inv.pods()).singleElement().satisfies(p -> {
            assertThat(p.ips()).containsExactly("10.244.1.7");
            assertThat(p.ports()).extracting(Entities.ContainerPort::name).containsExactly("http");
        });
        assertThat(inv.services()).singleElement().satisfies(s -> assertThat(s.ports()).hasSize(1));
        assertThat(inv.nodes()).singleElement().satisfies(n -> {
            assertThat(n.podCIDRs()).containsExactly("10.244.1.0/24");
            assertThat(n.addresses()).containsExactly("192.0.2.10");
        });
        assertThat(inv.workloads()).singleElement().satisfies(w -> assertThat(w.labels()).containsEntry("app", "api"));
    }

    @Test
    void anObjectWithoutApiVersionIsLeftOutAndSaidSo() {
        String yaml = """
                kind: Pod
                metadata: {name: web-0, namespace: shop, labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
                ---
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: a}]}}}
                """;
        List<Diagnostic> ds = lint(yaml);
        assertThat(ds).extracting(Diagnostic::rule).containsExactly("INV005", "INV005");
        assertThat(ds.get(0).message()).startsWith("Pod shop/web-0 is left out of the inventory and the simulation: "
                + "apiVersion is missing, which the API server rejects; add apiVersion: v1");
        assertThat(ds.get(1).message()).contains("add apiVersion: apps/v1");
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("m.yaml", yaml)))
                .workspace());
        assertThat(inv.pods()).isEmpty();
        assertThat(inv.workloads()).isEmpty();
    }
}
