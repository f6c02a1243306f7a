package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.testing.Kernel;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code podnet plan}: the netns plan and ruleset for a node, and the files of {@code --output-dir}, which the real
 * {@code ipset restore} and {@code iptables-restore --noflush --test} accept inside a network namespace the test
 * creates (and deletes).
 */
class PlanCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String resource(String path) throws Exception {
        try (InputStream in = PlanCommandTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void inputs() throws Exception {
        // conformance case 020 (named-port egress), its pods scheduled on node-a, plus a bridge CNI config
        String cluster = resource("/conformance/020-named-port-egress/cluster.yaml")
                .replace("spec:\n  containers:", "spec:\n  nodeName: node-a\n  containers:");
        Files.writeString(dir.resolve("cluster.yaml"), cluster);
        Files.writeString(dir.resolve("policies.yaml"), resource("/conformance/020-named-port-egress/policies.yaml"));
        Files.writeString(dir.resolve("10-bridge.conflist"), """
                {"cniVersion": "1.0.0", "name": "k8s", "plugins": [
                  {"type": "bridge", "bridge": "cni0", "isGateway": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.244.0.0/16"}]]}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}]}
                """);
    }

    @Test
    void printsTheNetnsPlanAndTheRulesetAndWritesTheFiles() throws Exception {
        Path out = dir.resolve("out");
        Run r = cli("plan", dir.resolve("cluster.yaml").toString(), dir.resolve("policies.yaml").toString(),
                dir.resolve("10-bridge.conflist").toString(), "--node-name", "node-a", "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# pod x/a on network k8s").contains("ip link add name cni0 type bridge")
                .contains("10.244.1.10").contains("*filter").contains("-I FORWARD 1 -j PODNET-FORWARD")
                .contains("create PODNET-");
        String ipt = Files.readString(out.resolve("iptables.rules"));
        assertThat(ipt).startsWith("*filter\n").contains("-A PODNET-FORWARD").endsWith("COMMIT\n");
        assertThat(Files.readString(out.resolve("ipset.rules"))).contains("hash:ip,port");
        String sh = Files.readString(out.resolve("netns.sh"));
        assertThat(sh).startsWith("#!/bin/sh\n# podnet plan for node node-a").contains("This is a PLAN");
        assertThat(sh.split("# pod ", -1)).hasSize(10);

        Run other = cli("plan", dir.resolve("cluster.yaml").toString(), "--node-name", "node-b");
        assertThat(other.code()).isZero();
        assertThat(other.out()).contains("no CNI config among the inputs").doesNotContain("PODNET-E-");
        assertThat(cli("plan").code()).isEqualTo(PodnetCli.CANNOT_RUN);
    }

    @Test
    void theRealToolsAcceptTheWrittenFiles() throws Exception {
        Kernel.require("ip", "iptables-restore", "ipset");
        Path out = dir.resolve("out");
        Run r = cli("plan", dir.toString(), "--node-name", "node-a", "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String ns = Kernel.uniqueName("pn-plan-");
        LocalRunner local = new LocalRunner();
        Kernel.sh("ip", "netns", "add", ns);
        try {
            ExecResult sets = local.run(List.of("ip", "netns", "exec", ns, "ipset", "restore"),
                    Files.readAllBytes(out.resolve("ipset.rules")), Map.of(), Duration.ofSeconds(30));
            assertThat(sets.ok()).as("ipset restore: " + sets.err()).isTrue();
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables-restore", "--noflush",
                    "--test"));
            ExecResult test = local.run(argv, Files.readAllBytes(out.resolve("iptables.rules")), Map.of(),
                    Duration.ofSeconds(30));
            assertThat(test.ok()).as("iptables-restore --test: " + test.err()).isTrue();
            ExecResult list = local.run(List.of("ip", "netns", "exec", ns, "ipset", "list", "-n"), new byte[0],
                    Map.of(), Duration.ofSeconds(30));
            assertThat(list.out()).contains("PODNET-");
        } finally {
            Kernel.quiet("ip", "netns", "exec", ns, "ipset", "destroy");
            Kernel.quiet("ip", "netns", "del", ns);
        }
    }
}
