package dev.podnet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podnet.dataplane.DataPlaneSimulator.Connection;
import dev.podnet.dataplane.DataPlaneSimulator.Result;
import dev.podnet.diag.Diagnostic;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import dev.podnet.node.NodeFacts;
import dev.podnet.lint.DocKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataPlaneSimulatorTest {

    static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec: {nodeName: node-a, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: tool, namespace: shop, labels: {app: tool}}
            spec: {nodeName: node-a, containers: [{name: tool, image: busybox}]}
            status: {podIP: 10.244.1.11}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: far, namespace: shop, labels: {app: far}}
            spec: {containers: [{name: far, image: busybox}]}
            status: {podIP: 10.244.2.20}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-from-tool, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress: [{from: [{podSelector: {matchLabels: {app: tool}}}], ports: [{port: 80}]}]
            """;

    static LintEngine.Result lint(Map<String, String> files) {
        List<InputFile> in = new ArrayList<>();
        files.forEach((k, v) -> in.add(InputFile.of(k, v)));
        return LintEngine.standard().lint(in);
    }

    static Inventory inventory(String yaml) {
        return InventoryBuilder.build(lint(Map.of("pods.yaml", yaml)).workspace());
    }

    @Test
    void placesPodsByNodeNameOrSubnetAndWalksBothNodesForCrossNodeTraffic() {
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(inventory(PODS));
        assertThat(sim.nodeOf("shop/web")).contains("node-a");
        assertThat(sim.nodeOf("shop/far")).contains("node-10-244-2");
        Result r = sim.connect(new Connection("shop/far", "shop/web", 80, "TCP"));
        assertThat(r.verdict()).isEqualTo("deny");
        assertThat(r.hops()).extracting(DataPlaneSimulator.Hop::node).containsExactly("node-10-244-2", "node-a");
        assertThat(r.hops().get(0).verdict().trace()).anyMatch(s -> s.chain().equals("FORWARD"));
        assertThat(r.reason()).contains("PODNET-I-").contains("REJECT");
        assertThat(r.trace()).contains("node node-a: REJECT").contains("filter PODNET-FORWARD #");

        Result ok = sim.connect(new Connection("shop/tool", "shop/web", 80, "tcp"));
        assertThat(ok.verdict()).isEqualTo("allow");
        assertThat(ok.hops()).hasSize(1);
        assertThat(sim.connect(new Connection("shop/tool", "shop/web", 81, "TCP")).verdict()).isEqualTo("deny");
        assertThat(sim.connect(new Connection("shop/web", "shop/far", 80, "UDP")).hops()).hasSize(2);
        // an external client reaches the destination's node over its uplink
        assertThat(sim.connect(new Connection("203.0.113.9", "shop/far", 443, "TCP")).verdict()).isEqualTo("allow");
        assertThat(sim.connect(new Connection("203.0.113.9", "shop/web", 80, "TCP")).verdict()).isEqualTo("deny");
    }

    @Test
    void tableIsInTheConformanceFormat() {
        DataPlaneSimulator sim = DataPlaneSimulator.healthySingleNode(inventory(PODS));
        String t = sim.table(List.of("80/tcp"));
        // rows sorted by namespace, then name (the order of podnet simulate)
        assertThat(t).startsWith("[80/TCP]\nshop/far shop/far allow\nshop/far shop/tool allow\n"
                + "shop/far shop/web deny\n");
        assertThat(t).contains("shop/tool shop/web allow\n").contains("shop/far shop/web deny\n");
        assertThat(t.lines().count()).isEqualTo(1 + 9);
        assertThatThrownBy(() -> sim.table(List.of("http"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.connect(new Connection("shop/nope", "shop/web", 80, "TCP")))
                .hasMessageContaining("shop/nope");
        assertThatThrownBy(() -> sim.connect(new Connection("shop/web", "shop/tool", 80, "ICMP")))
                .hasMessageContaining("TCP, UDP or SCTP");
    }

    static NodeFacts facts(String yaml) {
        return new NodeFacts(lint(Map.of("node.yaml", yaml)).workspace().docs(DocKind.NODE_FACTS).findFirst()
                .orElseThrow().doc());
    }

    @Test
    void nodesOwnRulesStayInTheWalkAndOldPodnetChainsAreReplaced() {
        NodeFacts f = facts("""
                name: node-a
                podCIDR: 10.244.1.0/24
                interfaces:
                - {name: eth0, addresses: [192.0.2.11/24], kind: device}
                - {name: cni0, addresses: [10.244.1.1/24], kind: bridge}
                routes: [{dst: default, via: 192.0.2.1, dev: eth0}]
                iptablesSave: |
                  *filter
                  :INPUT ACCEPT [0:0]
                  :FORWARD DROP [0:0]
                  :OUTPUT ACCEPT [0:0]
                  :PODNET-FORWARD - [0:0]
                  -A FORWARD -j PODNET-FORWARD
                  -A FORWARD -i cni0 -o cni0 -j ACCEPT
                  -A PODNET-FORWARD -j DROP
                  COMMIT
                ipsetSave: |
                  create PODNET-OLD hash:ip family inet hashsize 1024 maxelem 65536
                  add PODNET-OLD 10.244.1.10
                  create other hash:ip family inet hashsize 1024 maxelem 65536
                """);
        DataPlaneSimulator sim = DataPlaneSimulator.build(inventory(PODS), List.of(f), false, true);
        DataPlaneSimulator.SimNode a = sim.nodes().stream().filter(n -> n.name().equals("node-a")).findFirst()
                .orElseThrow();
        assertThat(a.fromFacts()).isTrue();
        assertThat(a.iptables().problems()).isEmpty();
        assertThat(a.ipsets().set("PODNET-OLD")).isEmpty();
        assertThat(a.ipsets().set("other")).isPresent();
        // same bridge: podnet allows, then the node's own -i cni0 -o cni0 ACCEPT
        assertThat(sim.connect(new Connection("shop/tool", "shop/web", 80, "TCP")).verdict()).isEqualTo("allow");
        // from another node: podnet has nothing against it for shop/far's egress, Docker's FORWARD DROP policy drops
        Result r = sim.connect(new Connection("shop/web", "shop/far", 80, "TCP"));
        assertThat(r.verdict()).isEqualTo("deny");
        assertThat(r.reason()).isEqualTo("filter FORWARD policy DROP");
        assertThat(r.hops()).hasSize(1);
    }

    @Test
    void hairpinOffDropsAPodReachingItselfThroughItsService() {
        String yaml = PODS + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec: {clusterIP: 10.96.0.20, selector: {app: web}, ports: [{port: 8080, targetPort: 80}]}
                """;
        Inventory inv = inventory(yaml);
        Result on = DataPlaneSimulator.build(inv, List.of(), false, true)
                .connect(new Connection("shop/web", "svc:shop/web", 8080, "TCP"));
        Result off = DataPlaneSimulator.build(inv, List.of(), false, false)
                .connect(new Connection("shop/web", "svc:shop/web", 8080, "TCP"));
        // self through the Service is subject to policy: web's ingress allows only tool
        assertThat(on.verdict()).isEqualTo("deny");
        assertThat(on.trace()).contains("DNAT 10.96.0.20:8080 -> 10.244.1.10:80");
        assertThat(off.verdict()).isEqualTo("deny");
        assertThat(off.reason()).contains("hairpin mode off");
        Result tool = DataPlaneSimulator.build(inv, List.of(), false, true)
                .connect(new Connection("shop/tool", "svc:shop/web", 8080, "TCP"));
        assertThat(tool.verdict()).isEqualTo("allow");
    }

    @Test
    void dataPlaneRulesNameThePolicyTheServiceAndTheRule() {
        for (String id : List.of("DP001", "DP002", "DP003")) {
            RuleInfo info = RuleRegistry.get().require(id);
            List<Diagnostic> ds = lint(info.bad()).diagnostics().stream().filter(d -> d.rule().equals(id)).toList();
            assertThat(ds).as(id).hasSize(1);
            String m = ds.get(0).message();
            switch (id) {
                case "DP001" -> assertThat(m).contains("shop/web-deny-all").contains("bridge-nf-call-iptables=0")
                        .contains("shop/tool -> shop/web 80/TCP");
                case "DP002" -> assertThat(m).contains("Service shop/web").contains("shop/web-0")
                        .contains("hairpin");
                default -> assertThat(m).contains("filter FORWARD rule 2 (-A FORWARD -d 10.244.1.0/24")
                        .contains("80/TCP");
            }
        }
    }

    @Test
    void badNodeFactsAndPortsGiveNoInternalError() {
        List<Diagnostic> ds = lint(Map.of("node.yaml", """
                name: node-a
                interfaces:
                - {name: cni0, addresses: [bogus, 10.244.1.1/24], kind: bridge}
                - {name: eth0}
                routes: [{dst: nonsense, dev: eth0}]
                sysctl: {net.bridge.bridge-nf-call-iptables: "x"}
                iptablesSave: |
                  *filter
                  -A FORWARD -m weird --thing -j DROP
                  COMMIT
                ipsetSave: "garbage line"
                """, "pods.yaml", PODS.replace("containerPort: 80", "containerPort: 70000"))).diagnostics();
        assertThat(ds).noneMatch(d -> d.rule().equals("SYN900"));
    }
}
