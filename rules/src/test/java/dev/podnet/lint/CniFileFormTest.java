package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CNI files (.conflist anywhere, .conf in a conf dir) must be one JSON object, as libcni requires. */
class CniFileFormTest {

    static List<Diagnostic> lint(String path, String text) {
        return new LintEngine(List.of()).lint(List.of(InputFile.of(path, text))).diagnostics();
    }

    @Test
    void yamlOrAnArrayInACniFileIsAnError() {
        assertThat(lint("net.d/50-yaml.conflist", "cniVersion: \"1.0.0\"\nname: y\nplugins:\n- type: bridge\n"))
                .extracting(Diagnostic::rule, d -> d.message().contains("YAML")).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SYN001", true));
        assertThat(lint("a/20-arr.conflist", "[{\"cniVersion\": \"1.0.0\"}]")).extracting(Diagnostic::rule)
                .containsExactly("SYN001");
        assertThat(lint("net.d/10-x.conf", "[1]")).extracting(Diagnostic::rule).containsExactly("SYN001");
    }

    @Test
    void otherConfFilesAndJsonObjectsAreNotFlagged() {
        assertThat(lint("etc/nginx/nginx.conf", "worker_processes 1;\n")).extracting(Diagnostic::rule)
                .containsExactly("SYN006");
        assertThat(lint("net.d/10-lo.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"lo\", \"plugins\": "
                + "[{\"type\": \"loopback\"}]}")).isEmpty();
    }
}
