package dev.podnet.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.node.NodeFactsCollector;
import dev.podnet.node.NodeTarget;
import dev.podnet.testing.Kernel;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnersTest {

    @Test
    void sshCommandLineQuotesEveryArgument() {
        String line = SshRunner.commandLine(List.of("echo", "x;touch /tmp/podnet-pwned", "$(id)", "it's"),
                Map.of("CNI_ARGS", "K8S_POD_NAME=a;b"));
        assertThat(line).isEqualTo("env 'CNI_ARGS=K8S_POD_NAME=a;b' 'echo' 'x;touch /tmp/podnet-pwned' '$(id)' "
                + "'it'\"'\"'s'");
    }

    @Test
    void aNullEnvironmentValueUnsetsTheVariable() throws Exception {
        // A variable this JVM has, so the child would inherit it; the null removes it for the child only.
        String inherited = java.util.stream.Stream.of("HOME", "LOGNAME", "USER", "PATH")
                .filter(v -> System.getenv(v) != null).findFirst().orElseThrow();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("CNI_COMMAND", "GC");
        env.put("CNI_NETNS", null);
        env.put(inherited, null);
        assertThat(SshRunner.commandLine(List.of("plugin"), env))
                .isEqualTo("env -u 'CNI_NETNS' -u '" + inherited + "' 'CNI_COMMAND=GC' 'plugin'");
        ExecResult r = new LocalRunner().run(List.of("env"), new byte[0], env, Duration.ofSeconds(10));
        assertThat(r.out().lines()).contains("CNI_COMMAND=GC").noneMatch(l -> l.startsWith(inherited + "="))
                .noneMatch(l -> l.startsWith("CNI_NETNS="));
        assertThat(System.getenv(inherited)).isNotNull();
    }

    @Test
    void localRunnerPassesArgumentsAsDataAndHonoursTimeout() throws Exception {
        Path marker = Files.createTempDirectory("podnet-run").resolve("pwned");
        LocalRunner r = new LocalRunner();
        ExecResult e = r.run(List.of("echo", "x;touch " + marker, "$(touch " + marker + ")"), Duration.ofSeconds(10));
        assertThat(e.ok()).isTrue();
        assertThat(e.out()).isEqualTo("x;touch " + marker + " $(touch " + marker + ")\n");
        assertThat(marker).doesNotExist();
        ExecResult cat = r.run(List.of("cat"), "hello".getBytes(StandardCharsets.UTF_8), Map.of(),
                Duration.ofSeconds(10));
        assertThat(cat.out()).isEqualTo("hello");
        ExecResult slow = r.run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.ok()).isFalse();
        Files.delete(marker.getParent());
    }

    @Test
    void nodeUris() {
        assertThat(NodeTarget.parse("ssh://ops@node-a:2222").port()).isEqualTo(2222);
        assertThat(NodeTarget.parse("netns:pn-node").netns()).isEqualTo("pn-node");
        assertThat(NodeTarget.parse("snapshot:node.yaml").kind()).isEqualTo("snapshot");
        for (String bad : List.of("ssh://ops:secret@host", "netns:-x", "ftp://x", "snapshot:")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeTarget.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void factsFromANetworkNamespace() throws Exception {
        Kernel.require("ip");
        String ns = Kernel.uniqueName("pn-facts-");
        Kernel.sh("ip", "netns", "add", ns);
        try {
            Kernel.sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Kernel.sh("ip", "netns", "exec", ns, "ip", "link", "add", "cni0", "type", "bridge");
            Kernel.sh("ip", "netns", "exec", ns, "ip", "addr", "add", "10.244.9.1/24", "dev", "cni0");
            Kernel.sh("ip", "netns", "exec", ns, "ip", "link", "set", "cni0", "up");
            try (NetnsRunner r = new NetnsRunner(ns, new LocalRunner())) {
                JsonNode facts = new NodeFactsCollector(r, ns, "/nonexistent/net.d", List.of()).collect();
                JsonNode cni0 = null;
                for (JsonNode i : facts.path("interfaces")) {
                    if (i.path("name").asText().equals("cni0")) {
                        cni0 = i;
                    }
                }
                assertThat(cni0).isNotNull();
                assertThat(cni0.path("kind").asText()).isEqualTo("bridge");
                assertThat(cni0.path("addresses").get(0).asText()).isEqualTo("10.244.9.1/24");
                assertThat(facts.path("sysctl").path("net.ipv4.ip_forward").asInt()).isZero();
                assertThat(facts.path("routes").toString()).contains("10.244.9.0/24");
                assertThat(NodeFactsCollector.toYaml(facts)).contains("kind: NodeFacts");
                // what the collector writes follows schemas/node-facts.schema.json (no NODE013)
                assertThat(dev.podnet.lint.LintEngine.standard().lint(List.of(dev.podnet.lint.InputFile.of(
                        "node.yaml", NodeFactsCollector.toYaml(facts)))).diagnostics())
                        .extracting(dev.podnet.diag.Diagnostic::rule).doesNotContain("NODE013");
            }
        } finally {
            Kernel.quiet("ip", "netns", "del", ns);
        }
    }
}
