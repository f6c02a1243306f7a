package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code podnet simulate} and {@code podnet explain} on conformance cases and shared real-world cases. */
class SimulateCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static Path resource(String p) {
        try {
            return Path.of(SimulateCommandTest.class.getResource("/" + p).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** expected.txt without {@code #} comment lines and blank lines, re-joined with newlines. */
    static String significant(String text) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (!l.isBlank() && !l.startsWith("#")) {
                sb.append(l).append('\n');
            }
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> tableIsByteForByteTheExpectedFile() {
        return Stream.of("018-named-port-ingress", "024-ingress-and-egress-together", "033-egress-ipblock-except",
                "037-sctp-allow-does-not-allow-tcp").map(c -> DynamicTest.dynamicTest(c, () -> {
                    Path dir = resource("conformance/" + c);
                    String expected = Files.readString(dir.resolve("expected.txt"));
                    List<String> args = new ArrayList<>(List.of("simulate", dir.resolve("cluster.yaml").toString(),
                            dir.resolve("policies.yaml").toString()));
                    for (String l : expected.split("\n")) {
                        if (l.startsWith("[")) {
                            args.add("--probe");
                            args.add(l.substring(1, l.length() - 1));
                        }
                    }
                    Run r = run(args.toArray(String[]::new));
                    assertThat(r.code()).as(r.err()).isZero();
                    assertThat(significant(r.out())).isEqualTo(significant(expected));
                }));
    }

    @Test
    void summaryCountsAndDefaultProbes() {
        Path dir = resource("conformance/018-named-port-ingress");
        Run r = run("simulate", dir.toString(), "--format", "summary", "--probe", "80/TCP", "--probe", "81/tcp");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("80/TCP allowed=57 denied=24\n81/TCP allowed=81 denied=0\n");
        Run all = run("simulate", dir.toString(), "--format", "summary");
        assertThat(all.out().lines()).extracting(l -> l.split(" ")[0])
                .containsExactly("80/TCP", "80/UDP", "80/SCTP", "81/TCP", "81/UDP", "81/SCTP");
    }

    @Test
    void jsonDotAndHtml() throws Exception {
        Path dir = resource("conformance/018-named-port-ingress");
        Run json = run("simulate", dir.toString(), "--format", "json", "--probe", "80/TCP");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.path("pods")).hasSize(9);
        assertThat(root.at("/probes/0/denied").asInt()).isEqualTo(24);
        assertThat(root.at("/probes/0/pairs")).hasSize(81);
        assertThat(root.at("/probes/0/pairs/1/verdict").asText()).isEqualTo("deny");

        Run dot = run("simulate", dir.toString(), "--format", "dot", "--probe", "80/TCP");
        assertThat(dot.out()).startsWith("digraph podnet {").contains("\"x/a\" -> \"y/a\" [label=\"80/TCP\"];")
                .doesNotContain("\"y/a\" -> \"x/a\"");

        Run html = run("simulate", dir.toString(), "--format", "html", "--probe", "80/TCP");
        assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("<h2>80/TCP")
                .contains("x/allow-named-port-81").doesNotContain("<script src");
    }

    @Test
    void badProbeIsAUsageError() {
        Run r = run("simulate", resource("conformance/018-named-port-ingress").toString(), "--probe", "80/ICMP");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--probe", "ICMP");
    }

    @Test
    void explainNamesTheIsolatingPolicyAndTheRule() {
        Path dir = resource("conformance/018-named-port-ingress");
        Run deny = run("explain", dir.toString(), "--from", "y/a", "--to", "x/b", "--port", "80/TCP");
        assertThat(deny.code()).isZero();
        assertThat(deny.out()).startsWith("y/a -> x/b 80/TCP: deny\n")
                .doesNotContain("y/a -> x/b 80/TCP: deny\ny/a -> x/b 80/TCP: deny") // one pair: the line once
                .contains("ingress of x/b: isolated by x/allow-named-port-81")
                .contains("no ingress rule of these policies allows y/a on 80/TCP");
        Run allow = run("explain", dir.toString(), "--from", "y/a", "--to", "10.244.1.11", "--port", "81/TCP");
        assertThat(allow.out()).startsWith("y/a -> 10.244.1.11 81/TCP: allow\n")
                .contains("allowed by x/allow-named-port-81 ingress[0] (")
                .contains("policies.yaml:11:5)");
        Run ext = run("explain", dir.toString(), "--from", "203.0.113.9", "--to", "x/a", "--port", "80/TCP");
        assertThat(ext.out()).contains("203.0.113.9 -> x/a 80/TCP: deny", "egress: 203.0.113.9 is not a pod");
    }

    @Test
    void explainThroughAServiceUsesTheTargetPort() {
        Path dir = resource("reach-cases/009-netpol-service-port-not-container-port");
        Run r = run("explain", dir.toString(), "--from", "auth/gateway-0", "--to", "svc:auth/auth-server-http",
                "--port", "80/TCP");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("auth/gateway-0 -> svc:auth/auth-server-http 80/TCP: deny")
                .contains("auth/gateway-0 -> auth/auth-server-0 8080/TCP: deny");
        Run unknown = run("explain", dir.toString(), "--from", "auth/nope", "--to", "auth/gateway-0", "--port", "80");
        Run noFacts = run("plan", dir.toString(), "--node", "snapshot:" + dir.resolve("no-such-node.yaml"));
        assertThat(noFacts.code()).isEqualTo(2);
        assertThat(noFacts.err()).contains("cannot read node facts", "no-such-node.yaml': no such file or directory");
        Run closed = run("check", dir.toString(), "--node", "ssh://nobody@127.0.0.1:1");
        assertThat(closed.code()).isEqualTo(2);
        assertThat(closed.err()).contains("ssh ssh://nobody@127.0.0.1:1: cannot connect: Connection refused")
                .doesNotContain("DefaultConnectFuture");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no pod or workload auth/nope");
    }

    @Test
    void checkReportsReachabilityFindings(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path dir = resource("reach-cases/001-netpol-default-deny-egress-blocks-dns");
        // NP047 (the policy's own egress rules leave DNS out) covers RCH003 on the same policy: switch it off here.
        Path config = tmp.resolve("no-np047.yaml");
        try {
            java.nio.file.Files.writeString(config, "rules:\n  NP047: off\n  NP048: off\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Run r = run("check", "--config", config.toString(), dir.toString());
        assertThat(r.out()).contains("policy.yaml:8:3: warning: pods shop/api-0, shop/web-0 are isolated for egress")
                .contains("[RCH003]").doesNotContain("[RCH001]", "[RCH002]");
        Run defaults = run("check", dir.toString());
        assertThat(defaults.out()).contains("[NP047]").doesNotContain("[RCH003]");
        assertThat(r.code()).isZero();
    }
}
