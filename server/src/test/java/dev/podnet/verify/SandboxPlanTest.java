package dev.podnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.ruleset.RulesetGenerator;
import dev.podnet.verify.SandboxPlan.NodePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placing pods on (emulated) nodes and addressing the sandbox; no kernel needed. */
class SandboxPlanTest {

    static Inventory yaml(String text) {
        return InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("m.yaml", text)))
                .workspace());
    }

    static String pod(String ns, String name, String ip, String extraSpec) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec:
                  %scontainers: [{name: c, image: i}]
                status: {podIP: %s}
                ---
                """.formatted(name, ns, extraSpec, ip);
    }

    @Test
    void podsWithoutNodeNameGoToOneEmulatedNodePerSlash24() throws Exception {
        SandboxPlan plan = SandboxPlan.plan(Conformance.inventory("044-egress-deny-with-dns-to-kube-dns"), "pnv-t-");
        assertThat(plan.nodes()).extracting(NodePlan::name).containsExactly("podcidr-10.244.1.0-24",
                "podcidr-10.244.2.0-24", "podcidr-10.244.3.0-24", "podcidr-10.244.0.0-24");
        NodePlan x = plan.nodes().get(0);
        assertThat(x.subnet().toCanonicalString()).isEqualTo("10.244.1.0/24");
        assertThat(x.gateway()).isEqualTo("10.244.1.1");
        assertThat(x.ns()).isEqualTo("pnv-t-n0");
        assertThat(x.underlayIp()).isEqualTo("198.18.0.1");
        assertThat(x.pods()).extracting(SandboxPlan.PodPlan::key).containsExactly("x/a", "x/b", "x/c");
        assertThat(plan.pods()).hasSize(10).extracting(SandboxPlan.PodPlan::ns).doesNotHaveDuplicates()
                .allMatch(n -> n.startsWith("pnv-t-p"));
        assertThat(plan.underlayNs()).isEqualTo("pnv-t-u");
        // The generator, given the placed inventory and a node name, writes chains only for that node's pods.
        assertThat(RulesetGenerator.generate(plan.placed(), x.name()).filterRules())
                .contains("-A PODNET-FORWARD -s 10.244.1.10/32 -j");
        assertThat(RulesetGenerator.generate(plan.placed(), plan.nodes().get(1).name()).filterRules())
                .doesNotContain("-A PODNET-FORWARD -s 10.244.1.10/32 -j");
    }

    @Test
    void conflistPerNode() throws Exception {
        SandboxPlan plan = SandboxPlan.plan(Conformance.inventory("001-no-policies"), "pnv-t-");
        var conf = Sandbox.conflist(plan.nodes().get(1), false, java.nio.file.Path.of("/tmp/podnet-verify-1/ipam"));
        assertThat(conf.toString()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"podnet-verify\",\"plugins\":[{"
                + "\"type\":\"bridge\",\"bridge\":\"cni0\",\"isGateway\":true,\"isDefaultGateway\":true,"
                + "\"ipMasq\":false,\"hairpinMode\":false,\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{"
                + "\"subnet\":\"10.244.2.0/24\",\"gateway\":\"10.244.2.1\"}]],"
                + "\"dataDir\":\"/tmp/podnet-verify-1/ipam\"}}]}");
    }

    @Test
    void nodeNameWinsAndTheGatewayAvoidsPodAddresses() throws Exception {
        Inventory inv = yaml(pod("a", "one", "10.50.0.1", "nodeName: w1\n  ")
                + pod("a", "two", "10.50.0.9", "nodeName: w1\n  ")
                + pod("a", "three", "10.50.1.7", "nodeName: w2\n  ")
                + pod("a", "host", "10.0.0.5", "hostNetwork: true\n  ")
                + pod("a", "pending", "", ""));
        SandboxPlan plan = SandboxPlan.plan(inv, "pnv-t-");
        assertThat(plan.nodes()).extracting(NodePlan::name).containsExactly("w1", "w2");
        assertThat(plan.nodes().get(0).gateway()).isEqualTo("10.50.0.2");
        assertThat(plan.skipped()).hasSize(2).anyMatch(s -> s.startsWith("a/host: hostNetwork"))
                .anyMatch(s -> s.startsWith("a/pending: no IPv4 address"));
        assertThat(plan.placed().pods()).filteredOn(p -> p.name().equals("three")).first()
                .extracting(p -> p.nodeName()).isEqualTo("w2");
    }

    @Test
    void aNodeSpanningSeveralSlash24sGetsACoveringBlock() throws Exception {
        Inventory inv = yaml(pod("a", "one", "10.60.0.5", "nodeName: w1\n  ")
                + pod("a", "two", "10.60.3.5", "nodeName: w1\n  "));
        assertThat(SandboxPlan.plan(inv, "pnv-t-").nodes().get(0).subnet().toCanonicalString())
                .isEqualTo("10.60.0.0/22");
    }

    @Test
    void overlappingNodeSubnetsCannotBeRouted() {
        Inventory inv = yaml(pod("a", "one", "10.70.0.5", "nodeName: w1\n  ")
                + pod("a", "two", "10.70.0.6", "nodeName: w2\n  "));
        assertThatThrownBy(() -> SandboxPlan.plan(inv, "pnv-t-")).isInstanceOf(VerifyException.class)
                .hasMessageContaining("the pod subnets of nodes w1 (10.70.0.0/24) and w2 (10.70.0.0/24) overlap");
    }

    @Test
    void theUnderlayAvoidsPodSubnets() throws Exception {
        Inventory inv = yaml(pod("a", "one", "198.18.0.20", ""));
        assertThat(SandboxPlan.plan(inv, "pnv-t-").underlay().toCanonicalString()).isEqualTo("198.19.255.0/24");
    }

    @Test
    void noPodsIsAnError() {
        assertThatThrownBy(() -> SandboxPlan.plan(yaml(pod("a", "p", "", "")), "pnv-t-"))
                .hasMessageStartingWith("no pod to run");
    }
}
