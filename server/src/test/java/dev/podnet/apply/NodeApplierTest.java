package dev.podnet.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podnet.cli.PodnetCli;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import dev.podnet.testing.Kernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * apply / idempotence / replace / rollback / delete against a netns node that already has rules and sets podnet did
 * not write (those must survive byte for byte).
 */
class NodeApplierTest {
    static String ns;

    @BeforeAll
    static void node() {
        Kernel.require("ip", "iptables-restore", "ipset");
        ns = Kernel.uniqueName("pn-ap-");
        Kernel.sh("ip", "netns", "add", ns);
        Kernel.sh("ip", "netns", "exec", ns, "iptables", "-N", "FOREIGN");
        Kernel.sh("ip", "netns", "exec", ns, "iptables", "-A", "FOREIGN", "-s", "198.51.100.7", "-j", "DROP");
        Kernel.sh("ip", "netns", "exec", ns, "iptables", "-A", "FORWARD", "-j", "FOREIGN");
        Kernel.sh("ip", "netns", "exec", ns, "iptables", "-P", "FORWARD", "DROP");
        Kernel.sh("ip", "netns", "exec", ns, "ipset", "create", "foreign-set", "hash:ip");
        Kernel.sh("ip", "netns", "exec", ns, "ipset", "add", "foreign-set", "203.0.113.9");
    }

    @AfterAll
    static void cleanup() {
        if (ns != null) {
            Kernel.quiet("ip", "netns", "del", ns);
            Kernel.quiet("rmdir", "/run/podnet/apply-" + ns + ".lock");
        }
    }

    static String state() {
        String ipt = Kernel.sh("ip", "netns", "exec", ns, "iptables-save").out().lines()
                .filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]"))
                .reduce("", (a, b) -> a + b + "\n");
        return ipt + Kernel.sh("ip", "netns", "exec", ns, "ipset", "save").out();
    }

    static Ruleset ruleset(String conformanceCase) throws IOException {
        List<InputFile> files = new ArrayList<>();
        for (String f : List.of("cluster.yaml", "policies.yaml")) {
            try (InputStream in = NodeApplierTest.class.getResourceAsStream("/conformance/" + conformanceCase + "/"
                    + f)) {
                files.add(InputFile.of(f, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Inventory inv = InventoryBuilder.build(new LintEngine(List.of()).lint(files).workspace());
        return RulesetGenerator.generate(inv, null);
    }

    static NodeApplier applier(StringWriter log, boolean dryRun) {
        return new NodeApplier(new NetnsRunner(ns, new LocalRunner()), ns, new PrintWriter(log, true), dryRun);
    }

    @Test
    void applyIsIdempotentReplacesRollsBackAndDeletesOnlyItsOwn() throws Exception {
        String pristine = state();
        StringWriter log = new StringWriter();

        assertThat(applier(log, true).apply(ruleset("018-named-port-ingress"))).isEqualTo(NodeApplier.Outcome.DRY_RUN);
        assertThat(state()).isEqualTo(pristine);
        assertThat(log.toString()).contains("ipset restore", "iptables-restore -w --noflush --test", "PODNET-FORWARD");

        assertThat(applier(log, false).apply(ruleset("018-named-port-ingress"))).isEqualTo(NodeApplier.Outcome.APPLIED);
        String first = state();
        assertThat(first).contains(":PODNET-FORWARD", "-A FORWARD -j PODNET-FORWARD", "-A FOREIGN -s 198.51.100.7/32 -j DROP",
                "add foreign-set 203.0.113.9", ":FORWARD DROP");
        assertThat(applier(log, false).apply(ruleset("018-named-port-ingress")))
                .isEqualTo(NodeApplier.Outcome.UNCHANGED);
        assertThat(state()).isEqualTo(first);

        assertThat(applier(log, false).apply(ruleset("003-default-deny-all"))).isEqualTo(NodeApplier.Outcome.APPLIED);
        String second = state();
        assertThat(second).isNotEqualTo(first).contains("-A FOREIGN -s 198.51.100.7/32 -j DROP");
        assertThat(second.lines().filter(l -> l.equals("-A FORWARD -j PODNET-FORWARD")).count()).isEqualTo(1);

        for (String step : List.of("ipset", "iptables", "stale-sets")) {
            NodeApplier failing = applier(log, false);
            failing.failAt = step;
            assertThatThrownBy(() -> failing.apply(ruleset("024-ingress-and-egress-together")))
                    .isInstanceOf(NodeApplier.ApplyException.class).hasMessageContaining("restored");
            assertThat(state()).as("after a failure at " + step).isEqualTo(second);
        }

        assertThat(applier(log, false).delete()).isEqualTo(NodeApplier.Outcome.DELETED);
        assertThat(state()).isEqualTo(pristine);
        assertThat(applier(log, false).delete()).isEqualTo(NodeApplier.Outcome.UNCHANGED);
    }

    @Test
    void cliApplyAndDeleteWithHostileNamesStayData() throws Exception {
        Path dir = Files.createTempDirectory("podnet-apply");
        try {
            Path marker = dir.resolve("pwned");
            Files.writeString(dir.resolve("all.yaml"), """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: "x;touch %s"
                      namespace: shop
                      # the API would reject this label value (INV001); silenced so the hostile string reaches
                      # every backend as data, which is what this test is about
                      annotations: {ignore-check.podnet.dev/INV001: "hostile label value on purpose"}
                      labels: {app: web, evil: "$(touch %s)"}
                    spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
                    status: {podIP: 10.244.5.10}
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: web, namespace: shop}
                    spec:
                      podSelector: {matchLabels: {app: web}}
                      ingress: [{from: [{podSelector: {}}]}]
                    """.formatted(marker, marker));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = PodnetCli.run(new String[] {"apply", dir.resolve("all.yaml").toString(), "--node", "netns:" + ns},
                    new PrintWriter(out), new PrintWriter(err));
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("applied");
            assertThat(state()).contains("shop/x;touch");
            code = PodnetCli.run(new String[] {"apply", "--delete", "--node", "netns:" + ns}, new PrintWriter(out),
                    new PrintWriter(err));
            assertThat(code).as(err.toString()).isZero();
            assertThat(state()).doesNotContain("PODNET");
            assertThat(marker).doesNotExist();
        } finally {
            Kernel.quiet("rm", "-rf", dir.toString());
        }
    }
}
