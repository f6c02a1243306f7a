package dev.podnet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NODE013: node-facts documents are validated against schemas/node-facts.schema.json, at the exact field. */
class NodeFactsSchemaTest {

    static List<Diagnostic> lint(String yaml) {
        return LintEngine.standard().lint(List.of(InputFile.of("node.yaml", yaml))).diagnostics().stream()
                .filter(d -> d.rule().equals("NODE013")).toList();
    }

    @Test
    void wrongTypesAndMisspeltKeysAreReportedAtTheirField() {
        List<Diagnostic> ds = lint("""
                name: node-a
                interfaces:
                  - {name: eth0, addresses: [192.0.2.11/24], mtu: "1500"}
                sysctl:
                  net.ipv4.ip_forward: yes
                  ip_forward: 1
                kernelModule: [br_netfilter]
                binaries:
                  /opt/cni/bin: [bridge, {name: portmap, supportedVersion: ["1.0.0"]}, 7]
                """);
        assertThat(ds).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.ERROR));
        assertThat(ds).extracting(d -> d.range().startLine() + ":" + d.range().startChar() + " " + d.message())
                .containsExactlyInAnyOrder(
                        "2:50 interfaces[0].mtu is the string \"1500\" but must be an integer: write 1500 without"
                                + " quotes",
                        "4:23 sysctl[\"net.ipv4.ip_forward\"] \"yes\" is not valid: a sysctl value is the integer"
                                + " /proc/sys shows, e.g. 1 (not yes/true)",
                        "5:2 key \"ip_forward\" in sysctl is not valid; a sysctl is written with its full dotted name,"
                                + " e.g. net.ipv4.ip_forward (did you mean \"net.ipv4.ip_forward\"?)",
                        "6:0 unknown key \"kernelModule\" in the top level (podnet ignores it): did you mean"
                                + " \"kernelModules\"?",
                        "8:41 unknown key \"supportedVersion\" in binaries[\"/opt/cni/bin\"][1] (podnet ignores it):"
                                + " did you mean \"supportedVersions\"?",
                        "8:71 binaries[\"/opt/cni/bin\"][2] 7 has none of the accepted forms: A binary: its name, or"
                                + " {name, supportedVersions} with the versions CNI_COMMAND=VERSION reports");
    }

    @Test
    void misspeltTopLevelKeyGetsARenameFix() {
        List<Diagnostic> ds = lint("""
                name: node-a
                podCIDR: 10.244.1.0/24
                sysctls: {net.ipv4.ip_forward: 0}
                """);
        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).range().startLine()).isEqualTo(2);
        assertThat(ds.get(0).message()).contains("unknown key \"sysctls\"", "did you mean \"sysctl\"?");
        assertThat(ds.get(0).fix()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/node-cases/011-netpol-cni-does-not-enforce-policy/node.yaml",
            "/node-cases/012-cni-cniversion-newer-than-binaries/node.yaml",
            "/node-cases/014-cni-portmap-binary-missing/node.yaml",
            "/node-cases/020-cni-flannel-network-vs-node-podcidr/node.yaml",
            "/node-cases/024-node-ip-forward-disabled/node.yaml",
            "/node-facts/collected.yaml"})
    void realNodeFactsAreValid(String resource) throws IOException {
        try (InputStream in = NodeFactsSchemaTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            assertThat(lint(new String(in.readAllBytes(), StandardCharsets.UTF_8))).isEmpty();
        }
    }
}
