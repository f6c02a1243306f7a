package dev.podnet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.cli.PodnetCli;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.testing.Kernel;
import dev.podnet.verify.SandboxPlan.PodPlan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kernel behaviour the data plane depends on, observed in the verify sandbox: hairpin mode for a pod reaching itself
 * through its Service's ClusterIP (kube-proxy-style DNAT + masquerade from {@code Ruleset.natRules()}), and
 * {@code bridge-nf-call-iptables} deciding whether same-node pod traffic meets the policy chains at all. Also the
 * {@code podnet verify} command end to end, including Ctrl-C.
 */
class VerifyScenariosTest {
    private final List<String> prefixes = new ArrayList<>();
    private Set<String> before;

    static List<String> netns() {
        String out = Kernel.sh("ip", "netns", "list").out();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** No namespace whose name starts with one of the prefixes is left. */
    static void assertNoNamespaces(Collection<String> prefixes) {
        if (!Kernel.isRoot()) {
            return;
        }
        List<String> ours = netns().stream().filter(n -> prefixes.stream().anyMatch(n::startsWith)).toList();
        assertThat(ours).as("namespaces left behind").isEmpty();
    }

    @BeforeEach
    void snapshot() {
        Kernel.require("ip", "socat", "ss", "iptables-restore", "ipset", Verifier.defaultPluginDir() + "/bridge");
        before = new TreeSet<>(netns());
    }

    @AfterEach
    void nothingOfOursIsLeft() {
        assertNoNamespaces(prefixes);
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(tmp.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("podnet-verify-")))
                    .as("IPAM directories left behind").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (before != null) {
            List<String> added = netns().stream().filter(n -> n.startsWith("pnv-") && !before.contains(n)).toList();
            assertThat(added).as("pnv- namespaces created by this test and left behind").isEmpty();
        }
    }

    static Sandbox.Options options(boolean hairpin, int brNf) {
        return new Sandbox.Options(Verifier.defaultPluginDir(), hairpin, brNf, 8, Duration.ofMillis(700),
                new PrintWriter(new StringWriter()));
    }

    static final String SERVICE_CLUSTER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop}
            spec:
              containers: [{name: c, image: busybox}]
            status: {podIP: 10.244.1.11}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              clusterIP: 10.96.0.10
              ports: [{port: 80, targetPort: http}]
            """;

    /**
     * A pod reaching itself through its Service's ClusterIP: with bridge-nf-call-iptables=1 the DNAT happens in the
     * bridge path and the frame must leave through the port it came in on, which the bridge does only with hairpin
     * mode. With bridge-nf-call-iptables=0 the packet to the ClusterIP is routed by the node, so hairpin does not
     * matter for the pod itself (masqueraded, the reply returns through the node); but another pod of the same
     * bridge then fails: the endpoint's reply is bridged straight back without passing conntrack, so it is never
     * un-DNATed (the reason kube-proxy requires br_netfilter).
     */
    @ParameterizedTest(name = "hairpinMode={0} bridge-nf-call-iptables={1}: self via ClusterIP {2}, other pod {3}")
    @CsvSource({"true, 1, ALLOW, ALLOW", "false, 1, DENY, ALLOW", "false, 0, ALLOW, DENY", "true, 0, ALLOW, DENY"})
    void podReachesItselfThroughItsServiceOnlyWithHairpin(boolean hairpin, int brNf, Verdict self, Verdict other)
            throws Exception {
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(List.of(InputFile.of("s.yaml",
                SERVICE_CLUSTER))).workspace());
        String prefix = Sandbox.newPrefix();
        prefixes.add(prefix);
        SandboxPlan plan = SandboxPlan.plan(inv, prefix);
        try (Sandbox sb = Sandbox.create(plan, options(hairpin, brNf))) {
            sb.startListeners(List.of(new Probe(8080, "TCP")));
            PodPlan web = plan.pod("shop/web");
            PodPlan client = plan.pod("shop/client");
            String node = plan.nodes().get(0).ns();
            assertThat(sb.exec(node, "iptables-save", "-t", "nat").out()).contains("-j DNAT --to-destination "
                    + "10.244.1.10:8080");
            assertThat(sb.exec(node, "ip", "-d", "link", "show", "master", Sandbox.BRIDGE).out())
                    .contains("hairpin " + (hairpin ? "on" : "off")).doesNotContain("hairpin " + (hairpin ? "off" : "on"));
            assertThat(sb.probe(client, "10.96.0.10", new Probe(80, "TCP"))).isEqualTo(other);
            assertThat(sb.probe(web, "10.96.0.10", new Probe(80, "TCP"))).isEqualTo(self);
            assertThat(sb.probe(web, web.ip(), new Probe(8080, "TCP"))).isEqualTo(Verdict.ALLOW);
        }
    }

    /**
     * Case 002 (default deny ingress in x): x/a's ingress is denied to x/b on the same node and to y/a on another
     * node. With bridge-nf-call-iptables=0 bridged same-node traffic bypasses iptables, so the policy is not
     * enforced for x/b; the routed cross-node packet is still filtered.
     */
    @ParameterizedTest(name = "bridge-nf-call-iptables={0}: same node {1}, other node {2}")
    @CsvSource({"1, DENY, DENY", "0, ALLOW, DENY"})
    void sameNodePolicyNeedsBridgeNfCallIptables(int brNf, Verdict sameNode, Verdict otherNode) throws Exception {
        String c = "002-default-deny-ingress";
        String prefix = Sandbox.newPrefix();
        prefixes.add(prefix);
        SandboxPlan plan = SandboxPlan.plan(Conformance.inventory(c), prefix);
        Probe p80 = new Probe(80, "TCP");
        try (Sandbox sb = Sandbox.create(plan, options(true, brNf))) {
            sb.startListeners(List.of(p80));
            PodPlan xa = plan.pod("x/a");
            assertThat(plan.pod("x/b").node()).isEqualTo(xa.node());
            assertThat(plan.pod("y/a").node()).isNotEqualTo(xa.node());
            assertThat(sb.exec(plan.nodes().get(0).ns(), "sysctl", "-n", "net.bridge.bridge-nf-call-iptables").out()
                    .strip()).isEqualTo(String.valueOf(brNf));
            assertThat(sb.probe(plan.pod("x/b"), xa.ip(), p80)).isEqualTo(sameNode);
            assertThat(sb.probe(plan.pod("y/a"), xa.ip(), p80)).isEqualTo(otherNode);
            assertThat(sb.probe(plan.pod("y/a"), plan.pod("y/b").ip(), p80)).isEqualTo(Verdict.ALLOW);
            assertThat(sb.probe(xa, plan.pod("y/a").ip(), p80)).isEqualTo(Verdict.ALLOW);
        }
    }

    static Path writeCase(Path dir, String c) throws Exception {
        Path d = Files.createDirectories(dir.resolve(c));
        for (String f : List.of("cluster.yaml", "policies.yaml", "expected.txt")) {
            Files.writeString(d.resolve(f), Conformance.resource(c + "/" + f));
        }
        return d;
    }

    @Test
    void commandPrintsTheKernelTableAndReportsDisagreements(@TempDir Path tmp) throws Exception {
        Path d = writeCase(tmp, "004-allow-from-pod-same-namespace");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(new String[] {"verify", d.resolve("cluster.yaml").toString(),
                d.resolve("policies.yaml").toString(), "--probe", "80/TCP", "--format", "table"},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("verify: sandbox pnv-").contains(" removed");
        VerdictTable kernel = VerdictTable.parse("out", out.toString());
        VerdictTable want = VerdictTable.parse("expected", Files.readString(d.resolve("expected.txt")));
        assertThat(kernel.probes()).containsExactly(new Probe(80, "TCP"));
        String table = out.toString();
        assertThat(table.substring(table.indexOf("[80/TCP]"))).isEqualTo(want.format(List.of()).substring(0,
                want.format(List.of()).indexOf("\n\n") + 1));

        // One flipped line in the expectation: exit 1 and the pair is named.
        String flipped = Files.readString(d.resolve("expected.txt")).replace("x/b x/a allow", "x/b x/a deny");
        Files.writeString(d.resolve("expected.txt"), flipped);
        out.getBuffer().setLength(0);
        code = PodnetCli.run(new String[] {"verify", d.toString(), "--expected", d.resolve("expected.txt").toString(),
                "--probe", "81/TCP"}, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("[81/TCP] x/b -> x/a: kernel allow, expected deny")
                .contains("verify: 1 of 81 probes disagree");
    }

    @Test
    void commandCannotRunWithBadInput(@TempDir Path tmp) throws Exception {
        Path d = writeCase(tmp, "001-no-policies");
        StringWriter err = new StringWriter();
        assertThat(PodnetCli.run(new String[] {"verify", d.toString(), "--probe", "eighty"},
                new PrintWriter(new StringWriter()), new PrintWriter(err))).isEqualTo(2);
        assertThat(err.toString()).contains("--probe: probe 'eighty' is not PORT/PROTOCOL");
        Files.writeString(d.resolve("bad.txt"), "[80/TCP]\nx/a x/b perhaps\n");
        assertThat(PodnetCli.run(new String[] {"verify", d.resolve("cluster.yaml").toString(), "--expected",
                d.resolve("bad.txt").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)))
                .isEqualTo(2);
        assertThat(err.toString()).contains("bad.txt:2: expected 'namespace/pod namespace/pod allow|deny'");
        assertThat(PodnetCli.run(new String[] {"verify", d.resolve("cluster.yaml").toString(), "--plugins",
                tmp.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err))).isEqualTo(2);
        assertThat(err.toString()).contains("failed to find plugin \"bridge\" in path [" + tmp + "]");
    }

    /** Ctrl-C (SIGINT) in the middle of a run: the shutdown hook removes every namespace the run created. */
    @Test
    void interruptedRunCleansUp(@TempDir Path tmp) throws Exception {
        Path d = writeCase(tmp, "003-default-deny-all");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                System.getProperty("java.class.path"), PodnetCli.class.getName(),
                "verify", d.toString(), "--probe", "80/TCP", "--probe", "81/TCP", "--probe", "80/UDP",
                "--timeout", "3000").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("verify: sandbox ready")) {
                    Kernel.sh("kill", "-INT", String.valueOf(p.pid()));
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String joined = String.join("\n", seen);
        assertThat(joined).contains("verify: sandbox ready").contains(" removed");
        String prefix = Arrays.stream(joined.split("\\s+")).filter(w -> w.startsWith("pnv-")).findFirst()
                .orElseThrow().replaceAll(":$", "");
        prefixes.add(prefix);
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                .filter(f -> f.getFileName().toString().startsWith("podnet-verify-"))
                .filter(f -> f.toFile().lastModified() > System.currentTimeMillis() - 60_000)).isEmpty();
    }
}
