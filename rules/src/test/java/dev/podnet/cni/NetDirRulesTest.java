package dev.podnet.cni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Focused tests of the net.d directory rules (CNI070-CNI076): load order, validity, samples, collisions. */
class NetDirRulesTest {

    static final String FLANNEL = """
            {
              "name": "cbr0",
              "cniVersion": "0.3.1",
              "plugins": [
                {"type": "flannel", "delegate": {"hairpinMode": true, "isDefaultGateway": true}},
                {"type": "portmap", "capabilities": {"portMappings": true}}
              ]
            }
            """;

    static String bridge(String name, String bridge, String subnet) {
        return """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]]}}]}
                """.formatted(name, bridge, subnet);
    }

    /** Lints the files (path to content, in the given order) with the directory rules only. */
    static List<Diagnostic> lint(Map<String, String> files) {
        List<InputFile> in = new ArrayList<>();
        files.forEach((k, v) -> in.add(InputFile.of(k, v)));
        return new LintEngine(List.of(new NetDirRules())).lint(in).diagnostics();
    }

    static List<Diagnostic> only(List<Diagnostic> ds, String rule) {
        return ds.stream().filter(d -> d.rule().equals(rule)).toList();
    }

    @Test
    void winnerIsTheBytewiseFirstNotTheGivenOrder() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/100-crio-bridge.conf", """
                {"cniVersion": "0.3.1", "name": "crio", "type": "bridge", "bridge": "cni0", "isGateway": true,
                 "ipMasq": true, "hairpinMode": true, "ipam": {"type": "host-local", "subnet": "10.85.0.0/16"}}
                """);
        files.put("net.d/10-flannel.conflist", FLANNEL);
        List<Diagnostic> ds = lint(files);
        List<Diagnostic> loaded = only(ds, "CNI070");
        assertThat(loaded).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/10-flannel.conflist");
            assertThat(d.severity()).isEqualTo(Severity.INFO);
            assertThat(d.range().startLine()).isEqualTo(1); // the "name" key
            assertThat(d.message()).contains("100-crio-bridge.conf is not used");
        });
        assertThat(only(ds, "CNI071")).singleElement()
                .satisfies(d -> assertThat(d.file()).isEqualTo("net.d/100-crio-bridge.conf"));
        assertThat(only(ds, "CNI073")).isEmpty(); // the sample sorts after the real network
    }

    @Test
    void upperCaseSortsBeforeLowerCase() {
        assertThat(NetDirRules.compareBytes("10-Z.conf", "10-a.conf")).isNegative();
        assertThat(NetDirRules.compareBytes("10-flannel.conflist", "100-crio-bridge.conf")).isNegative();
        assertThat(NetDirRules.compareBytes("05-cilium.conflist", "00-multus.conf")).isPositive();
    }

    @Test
    void brokenFirstFileStopsContainerdButNotCrio() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/05-cilium.conflist", "{\"name\": \"cilium\", \"plugins\": [{\"type\": \"cilium-cni\",}]}");
        files.put("net.d/10-flannel.conflist", FLANNEL);
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI072")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/05-cilium.conflist");
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.message()).contains("is not valid JSON").contains("10-flannel.conflist");
        });
        assertThat(only(ds, "CNI070")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/10-flannel.conflist");
            assertThat(d.message()).startsWith("CRI-O loads this file");
        });
        assertThat(only(ds, "CNI071")).isEmpty();
    }

    @Test
    void conflistSavedAsConfIsNotValidForTheRuntime() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-flannel.conf", FLANNEL);
        files.put("net.d/99-loopback.conf", "{\"cniVersion\": \"0.3.1\", \"name\": \"lo\", \"type\": \"loopback\"}");
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI072")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("conflist saved as .conf"));
        // the only valid file is the loopback one, but there is no other real network: no sample finding
        assertThat(only(ds, "CNI073")).isEmpty();
        assertThat(only(ds, "CNI070")).singleElement()
                .satisfies(d -> assertThat(d.file()).isEqualTo("net.d/99-loopback.conf"));
    }

    @Test
    void sampleDetectedByNetworkNameWins() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-cni.conflist", bridge("containerd-net", "cni0", "10.88.0.0/16"));
        files.put("net.d/20-kindnet.conflist", bridge("kindnet", "kind0", "10.244.1.0/24"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI073")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/10-cni.conflist");
            assertThat(d.message()).contains("containerd's sample").contains("10.88.0.0/16")
                    .contains("20-kindnet.conflist");
            assertThat(d.related()).singleElement().satisfies(r -> assertThat(r.file())
                    .isEqualTo("net.d/20-kindnet.conflist"));
        });
    }

    @Test
    void singleFileAndOtherDirectoriesAreNotMixed() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a/10-mynet.conflist", bridge("mynet", "cni0", "10.22.0.0/16"));
        files.put("b/10-mynet.conflist", bridge("mynet", "cni0", "10.23.0.0/16"));
        files.put("a/notes.yaml", "owner: platform\n");
        assertThat(lint(files)).extracting(Diagnostic::rule).containsExactly("SYN006"); // the engine's, not ours
    }

    @Test
    void multusWinnerUsesTheOtherFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/00-multus.conf", """
                {"cniVersion": "0.3.1", "name": "multus-cni-network", "type": "multus",
                 "kubeconfig": "/etc/cni/net.d/multus.d/multus.kubeconfig", "delegates": []}
                """);
        files.put("net.d/10-flannel.conflist", FLANNEL);
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI071")).isEmpty();
        assertThat(only(ds, "CNI070")).singleElement().satisfies(d -> assertThat(d.message()).contains("Multus"));
    }

    @Test
    void sameBridgeSameSubnetIsAnOverlapNotABridgeConflict() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("a", "cni0", "10.88.0.0/16"));
        files.put("net.d/20-b.conflist", bridge("b", "cni0", "10.88.0.0/16"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI075")).isEmpty();
        assertThat(only(ds, "CNI076")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/20-b.conflist");
            assertThat(d.range().startLine()).isEqualTo(2); // the subnet value
        });
    }

    @Test
    void sameBridgeDifferentSubnetsIsReportedOnceOnTheLaterFile() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("a", "cni0", "10.88.0.0/16"));
        files.put("net.d/20-b.conflist", bridge("b", "cni0", "10.88.4.0/24"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI075")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/20-b.conflist");
            assertThat(d.message()).contains("\"cni0\"").contains("10.88.0.0/16").contains("10.88.4.0/24")
                    .contains("failed to set bridge addr");
        });
        assertThat(only(ds, "CNI076")).isEmpty(); // same pair: one finding
    }

    @Test
    void defaultBridgeNameIsCni0() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("a", "cni0", "10.88.0.0/16"));
        files.put("net.d/20-b.conf", """
                {"cniVersion": "0.4.0", "name": "b", "type": "bridge", "isGateway": true, "hairpinMode": true,
                 "ipam": {"type": "host-local", "subnet": "10.30.0.0/16"}}
                """);
        assertThat(only(lint(files), "CNI075")).hasSize(1);
    }

    @Test
    void disjointAndCrossFamilySubnetsDoNotOverlap() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("a", "br-a", "10.88.0.0/16"));
        files.put("net.d/20-b.conflist", bridge("b", "br-b", "10.89.0.0/16"));
        files.put("net.d/30-c.conflist", bridge("c", "br-c", "fd00::/64"));
        files.put("net.d/40-d.conflist", bridge("d", "br-d", "fd00::/48"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI076")).singleElement()
                .satisfies(d -> assertThat(d.file()).isEqualTo("net.d/40-d.conflist"));
    }

    @Test
    void hostBitsAreIgnoredForOverlapButNonCidrsAreSkipped() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("a", "br-a", "10.1.0.7/24"));
        files.put("net.d/20-b.conflist", bridge("b", "br-b", "10.1.0.128/25"));
        files.put("net.d/30-c.conflist", bridge("c", "br-c", "usePodCidr"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI076")).singleElement()
                .satisfies(d -> assertThat(d.file()).isEqualTo("net.d/20-b.conflist"));
    }

    @Test
    void duplicateNamesPointAtTheFirst() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", bridge("mynet", "br-a", "10.1.0.0/24"));
        files.put("net.d/11-crio-ipv4-bridge.conflist", bridge("mynet", "br-b", "10.2.0.0/24"));
        List<Diagnostic> ds = lint(files);
        assertThat(only(ds, "CNI074")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/11-crio-ipv4-bridge.conflist");
            assertThat(d.related()).singleElement().satisfies(r -> assertThat(r.file())
                    .isEqualTo("net.d/10-a.conflist"));
        });
    }

    @Test
    void allBrokenDirectoryGivesNoDirectoryFinding() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("net.d/10-a.conflist", "{\"name\": \"a\", \"plugins\": []}");
        files.put("net.d/20-b.conflist", "{\"name\": \"b\"");
        assertThat(lint(files)).extracting(Diagnostic::rule).doesNotContain("CNI070", "CNI071", "CNI072");
    }

    @Test
    void unrelatedJsonCountsOnlyInsideNetD() {
        Map<String, String> repo = new LinkedHashMap<>();
        repo.put("deploy/cni/flannel.conflist", FLANNEL);
        repo.put("deploy/cni/config.json", "{\"replicas\": 3}");
        assertThat(lint(repo)).extracting(Diagnostic::rule).doesNotContain("CNI070", "CNI072");
        Map<String, String> netd = new LinkedHashMap<>();
        netd.put("etc/cni/net.d/flannel.conflist", FLANNEL);
        netd.put("etc/cni/net.d/config.json", "{\"replicas\": 3}");
        assertThat(only(lint(netd), "CNI072")).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("etc/cni/net.d/config.json");
            assertThat(d.message()).contains("is not a CNI network configuration");
        });
    }
}
