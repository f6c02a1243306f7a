package dev.podnet.cni;

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
 * The CNI cases of the shared corpus that need no node facts, run through the standard engine (every check
 * podnet ships). Inputs are copies of each case's {@code net.d} in {@code src/test/resources/cases/<case>/}.
 * <ul>
 *   <li>018 (invalid JSON, a key missing its closing quote): exactly one finding, SYN001 at line 13 column 24
 *       naming {@code assign_ipv6}, and no semantic finding as if the file were loaded.</li>
 *   <li>014 and 020: their expected findings need node facts (installed binaries, the node's podCIDR and
 *       flannel's subnet.env), so the lint alone must stay quiet: no error or warning, and nothing about the
 *       cniVersion ("must not report: cniVersion 0.3.1 is supported"; "the conflist itself is fine").</li>
 * </ul>
 */
class CasesTest {

    static List<Diagnostic> lintCase(String name) throws IOException, URISyntaxException {
        Path dir = Path.of(CasesTest.class.getResource("/cases/" + name + "/net.d").toURI());
        List<InputFile> in = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                in.add(InputFile.read(p, "net.d/" + p.getFileName()));
            }
        }
        assertThat(in).isNotEmpty();
        return LintEngine.standard().lint(in).diagnostics();
    }

    @Test
    void case018MissingQuoteIsOneSyntaxErrorAtTheKey() throws Exception {
        List<Diagnostic> ds = lintCase("018-cni-invalid-json");
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo("net.d/10-calico.conflist");
            assertThat(d.rule()).isEqualTo("SYN001");
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.range().startLine() + 1).isEqualTo(13);
            assertThat(d.range().startChar() + 1).isEqualTo(24);
            assertThat(d.message()).contains("assign_ipv6").contains("closing quote");
        });
    }

    @Test
    void case014FlannelConflistIsNotFaultedWithoutNodeFacts() throws Exception {
        assertQuiet(lintCase("014-cni-portmap-binary-missing"));
    }

    @Test
    void case020FlannelConflistIsFine() throws Exception {
        assertQuiet(lintCase("020-cni-flannel-network-vs-node-podcidr"));
    }

    private static void assertQuiet(List<Diagnostic> ds) {
        assertThat(ds).as("no error or warning on a conflist that loads").noneMatch(d ->
                d.severity().atLeast(Severity.WARNING));
        assertThat(ds).as("cniVersion 0.3.1 is supported by the plugins present").noneMatch(d ->
                d.message().contains("cniVersion"));
        assertThat(ds).as("a single-file net.d has no directory finding").noneMatch(d ->
                d.rule().compareTo("CNI070") >= 0 && d.rule().compareTo("CNI099") <= 0);
    }
}
