package dev.podnet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The node cases of the bug-report corpus (copied under test resources node-cases/): each must give the diagnoses
 * its expected.md asks for, at the lines it names (1-based there, 0-based in {@link Diagnostic}).
 */
class NodeCasesTest {

    static List<Diagnostic> lint(String caseDir) throws IOException, URISyntaxException {
        Path root = Path.of(NodeCasesTest.class.getResource("/node-cases/" + caseDir).toURI());
        List<InputFile> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")).sorted()
                    .toList()) {
                inputs.add(InputFile.read(p, root.relativize(p).toString()));
            }
        }
        return LintEngine.standard().lint(inputs).diagnostics().stream()
                .filter(d -> d.rule().startsWith("NODE")).toList();
    }

    static Diagnostic only(List<Diagnostic> ds, String rule, String file) {
        List<Diagnostic> m = ds.stream().filter(d -> d.rule().equals(rule) && d.file().equals(file)).toList();
        assertThat(m).as(rule + " in " + file + " among " + ds).hasSize(1);
        return m.get(0);
    }

    @Test
    void case011FlannelDoesNotEnforcePolicy() throws Exception {
        List<Diagnostic> ds = lint("011-netpol-cni-does-not-enforce-policy");
        Diagnostic d = only(ds, "NODE010", "policy.yaml");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.range().startLine()).isEqualTo(3);
        assertThat(d.message()).contains("shop/web-deny-all", "flannel", "no policy agent");
        assertThat(d.related()).extracting(Diagnostic.Related::file).containsExactly("net.d/10-flannel.conflist");
    }

    @Test
    void case012CniVersionNewerThanBinaries() throws Exception {
        List<Diagnostic> ds = lint("012-cni-cniversion-newer-than-binaries");
        Diagnostic err = only(ds, "NODE002", "net.d/30-bridge-firewall.conflist");
        assertThat(err.severity()).isEqualTo(Severity.ERROR);
        assertThat(err.range().startLine()).isEqualTo(1);
        assertThat(err.message()).contains("0.4.0", "/usr/libexec/cni/bridge", "/usr/libexec/cni/host-local",
                "incompatible CNI versions");
        Diagnostic info = only(ds, "NODE003", "net.d/30-bridge-firewall.conflist");
        assertThat(info.range().startLine()).isEqualTo(15);
        assertThat(info.message()).contains("firewall");
        assertThat(ds).noneMatch(d -> d.rule().equals("NODE001"));
    }

    @Test
    void case014PortmapAndDelegateBinariesMissing() throws Exception {
        List<Diagnostic> ds = lint("014-cni-portmap-binary-missing");
        List<Diagnostic> missing = ds.stream().filter(d -> d.rule().equals("NODE001")).toList();
        assertThat(missing).anySatisfy(d -> {
            assertThat(d.range().startLine()).isEqualTo(12);
            assertThat(d.message()).contains("\"portmap\"", "/opt/cni/bin");
        });
        assertThat(missing).anySatisfy(d -> {
            assertThat(d.range().startLine()).isEqualTo(5);
            assertThat(d.message()).contains("\"bridge\"", "default delegate");
        });
        assertThat(missing).anySatisfy(d -> assertThat(d.message()).contains("\"host-local\""));
        assertThat(ds).noneMatch(d -> d.rule().equals("NODE002"));
    }

    @Test
    void case020FlannelNetworkVsNodePodCidr() throws Exception {
        List<Diagnostic> ds = lint("020-cni-flannel-network-vs-node-podcidr");
        Diagnostic d = only(ds, "NODE011", "net-conf.json");
        assertThat(d.range().startLine()).isEqualTo(1);
        assertThat(d.message()).contains("10.244.0.0/16", "172.20.0.0/24");
        Diagnostic info = only(ds, "NODE012", "node.yaml");
        assertThat(info.severity()).isEqualTo(Severity.INFO);
        assertThat(ds).noneMatch(x -> x.file().startsWith("net.d/"));
    }

    @Test
    void case024IpForwardDisabled() throws Exception {
        List<Diagnostic> ds = lint("024-node-ip-forward-disabled");
        Diagnostic d = only(ds, "NODE007", "node.yaml");
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.range().startLine()).isEqualTo(7);
        assertThat(ds).noneMatch(x -> x.rule().equals("NODE001") || x.rule().equals("NODE002"));
    }
}
