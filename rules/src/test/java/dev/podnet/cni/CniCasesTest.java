package dev.podnet.cni;

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

/**
 * The CNI cases of the shared corpus (inputs copied to {@code src/test/resources/cases/}), asserting the
 * diagnoses their {@code expected.md} asks for that the per-file CNI rules can make.
 */
class CniCasesTest {

    private static List<Diagnostic> lintCase(String caseDir, String file) throws IOException {
        String res = "cases/" + caseDir + "/" + file;
        try (InputStream in = CniCasesTest.class.getClassLoader().getResourceAsStream(res)) {
            assertThat(in).as(res).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return LintEngine.standard().lint(List.of(InputFile.of(file, text))).diagnostics();
        }
    }

    /** 015: flannel delegate without hairpinMode; warning on plugins[0].delegate, lines 7-9. */
    @Test
    void case015FlannelDelegateWithoutHairpin() throws IOException {
        List<Diagnostic> ds = lintCase("015-cni-flannel-hairpin-off", "net.d/10-flannel.conflist");
        List<Diagnostic> hairpin = ds.stream().filter(d -> d.rule().equals("CNI055")).toList();
        assertThat(hairpin).hasSize(1);
        Diagnostic d = hairpin.get(0);
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.range().startLine() + 1).isEqualTo(7);
        assertThat(d.range().endLine() + 1).isEqualTo(9);
        assertThat(d.message()).contains("hairpinMode").contains("plugins[0].delegate")
                .contains("Service whose chosen endpoint is itself");
        // must not report: nothing is broken beyond hairpin (no errors, no bridge-plugin rules on the flannel list)
        assertThat(ds).noneMatch(x -> x.severity() == Severity.ERROR);
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("CNI045", "CNI060", "CNI062", "CNI013");
    }

    /** 017: a conflist named .conf; error at the file start (line 1) and at top-level "plugins" (line 4). */
    @Test
    void case017ConflistSavedAsConf() throws IOException {
        List<Diagnostic> ds = lintCase("017-cni-conflist-saved-as-conf", "net.d/10-labnet.conf");
        List<Diagnostic> ext = ds.stream().filter(d -> d.rule().equals("CNI023")).toList();
        assertThat(ext).extracting(d -> d.range().startLine() + 1).containsExactly(1, 4);
        assertThat(ext.get(1).range().startChar()).isEqualTo(2); // the "plugins" key
        for (Diagnostic d : ext) {
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.message()).contains("10-labnet.conf contains a configuration list (\"plugins\")")
                    .contains("error parsing configuration: missing 'type'")
                    .contains("rename it to 10-labnet.conflist");
        }
        // must not report version problems: bridge, host-local and loopback support 1.0.0
        assertThat(ds).extracting(Diagnostic::rule)
                .noneMatch(r -> r.compareTo("CNI010") >= 0 && r.compareTo("CNI019") <= 0);
    }

    /** 014 and 020: the stock kube-flannel conflist (cniVersion 0.3.1) is fine by itself: no per-file CNI finding. */
    @Test
    void cases014And020StockFlannelListIsClean() throws IOException {
        for (String c : List.of("014-cni-portmap-binary-missing", "020-cni-flannel-network-vs-node-podcidr")) {
            List<Diagnostic> ds = lintCase(c, "net.d/10-flannel.conflist");
            assertThat(ds).as(c).extracting(Diagnostic::rule).noneMatch(r -> r.startsWith("CNI"));
        }
    }
}
