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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

    /** The ruleset with one more member in its first set and one more rule at the end of PODNET-FORWARD. */
    static Ruleset changed(Ruleset rs, String set) {
        String ipset = rs.ipsetRules().replaceFirst("(?m)^(create " + set + " .*\n)", "$1add " + set
                + " 10.250.250.250\n");
        String filter = rs.filterRules().replace("COMMIT\n", "-A PODNET-FORWARD -s 198.51.100.99/32 -j RETURN\nCOMMIT\n");
        return new Ruleset(filter, rs.entryJumps(), rs.natRules(), ipset, rs.sets(), rs.chains(), rs.ruleCount() + 1);
    }

    static List<String> setLines(String state, String set) {
        return state.lines().filter(l -> l.matches("(create|add) " + set + " .*")).sorted().toList();
    }

    @Test
    void anUpdateRefillsOnlyChangedSetsAndRedeclaresOnlyChangedChainsAndRollsBackExactly() throws Exception {
        StringWriter log = new StringWriter();
        // The conformance rulesets have one set each: add a second one that stays the same.
        Ruleset one = ruleset("024-ingress-and-egress-together");
        String extra = "PODNET-S-UNCHANGED0TESTSET012";
        List<String> sets = new ArrayList<>(one.sets());
        sets.add(extra);
        Ruleset a = new Ruleset(one.filterRules(), one.entryJumps(), one.natRules(), one.ipsetRules() + "create "
                + extra + " hash:ip family inet hashsize 1024 maxelem 1048576\nadd " + extra + " 10.251.0.1\nadd "
                + extra + " 10.251.0.2\n", sets, one.chains(), one.ruleCount());
        String changedSet = a.sets().get(0);
        Ruleset b = changed(a, changedSet);
        try {
            assertThat(applier(log, false).apply(a)).isIn(NodeApplier.Outcome.APPLIED, NodeApplier.Outcome.UNCHANGED);
            String onA = state();

            StringWriter dry = new StringWriter();
            assertThat(applier(dry, true).apply(b)).isEqualTo(NodeApplier.Outcome.DRY_RUN);
            String plan = dry.toString();
            String tmp = NodeApplier.tmpName(changedSet);
            assertThat(plan).contains("create " + tmp + " ", "add " + tmp + " 10.250.250.250",
                    "swap " + tmp + " " + changedSet, "destroy " + tmp, ":PODNET-FORWARD - [0:0]");
            List<String> ipsetLines = plan.lines().filter(l -> l.matches("(create|add|flush|swap|destroy) .*")).toList();
            for (String other : a.sets().subList(1, a.sets().size())) {
                assertThat(ipsetLines).as("unchanged set " + other).noneMatch(l -> l.matches("\\S+ " + other + "( .*)?"));
            }
            List<String> declared = plan.lines().filter(l -> l.startsWith(":")).distinct().toList();
            assertThat(a.chains()).hasSizeGreaterThan(3);
            assertThat(declared).as("only PODNET-FORWARD changed (and test blocks declare what it jumps to)")
                    .contains(":PODNET-FORWARD - [0:0]").hasSizeLessThan(a.chains().size());

            // A failure after the swap: the old set object comes back (same initval), chains as before.
            for (String step : List.of("iptables", "stale-sets")) {
                NodeApplier failing = applier(log, false);
                failing.failAt = step;
                assertThatThrownBy(() -> failing.apply(b)).hasMessageContaining("restored");
                assertThat(state()).as("after a failure at " + step).isEqualTo(onA);
            }

            assertThat(applier(log, false).apply(b)).isEqualTo(NodeApplier.Outcome.APPLIED);
            String onB = state();
            assertThat(setLines(onB, changedSet)).contains("add " + changedSet + " 10.250.250.250");
            assertThat(onB).contains("-A PODNET-FORWARD -s 198.51.100.99/32 -j RETURN").doesNotContain("PODNET-T");
            for (String other : a.sets().subList(1, a.sets().size())) {
                assertThat(setLines(onB, other)).as("untouched set " + other + " (initval too)")
                        .isEqualTo(setLines(onA, other));
            }
            assertThat(applier(log, false).apply(b)).isEqualTo(NodeApplier.Outcome.UNCHANGED);
            assertThat(log.toString()).contains("no changes");
        } finally {
            applier(log, false).delete();
        }
    }

    @Test
    void aRuleIptablesRejectsIsCaughtByTheTestRunAndChangesNothing() throws Exception {
        StringWriter log = new StringWriter();
        Ruleset a = ruleset("018-named-port-ingress");
        Ruleset bad = new Ruleset(a.filterRules().replace("COMMIT\n",
                "-A PODNET-FORWARD -m no-such-match-podnet -j RETURN\nCOMMIT\n"), a.entryJumps(), a.natRules(),
                a.ipsetRules(), a.sets(), a.chains(), a.ruleCount() + 1);
        String pristine = state();
        assertThatThrownBy(() -> applier(log, false).apply(bad)).isInstanceOf(NodeApplier.ApplyException.class)
                .hasMessageContaining("--test").hasMessageContaining("restored");
        assertThat(state()).isEqualTo(pristine);
    }

    @Test
    void theTestInputHasEveryLineInBlocksThatDeclareWhatTheyUse() throws Exception {
        Ruleset rs = ruleset("024-ingress-and-egress-together");
        NodeApplier.State none = new NodeApplier.State(java.util.Map.of(), Set.of(), java.util.Map.of(),
                java.util.Map.of());
        NodeApplier.State want = NodeApplier.desired(rs);
        NodeApplier.Plan plan = NodeApplier.plan(rs, none, want, 3);
        List<String> blocks = List.of(plan.testInput().split("(?<=COMMIT\n)"));
        assertThat(blocks).hasSizeGreaterThan(2);
        for (String block : blocks.subList(0, blocks.size() - 1)) {
            Set<String> declared = new LinkedHashSet<>();
            block.lines().filter(l -> l.startsWith(":")).forEach(l -> declared.add(l.substring(1, l.indexOf(' '))));
            List<String> rules = block.lines().filter(l -> l.startsWith("-A ")).toList();
            Set<String> ruleChains = new LinkedHashSet<>();
            rules.forEach(r -> ruleChains.add(r.split(" ")[1]));
            assertThat(rules.size() < 3 + want.chains().get(List.copyOf(ruleChains).get(ruleChains.size() - 1))
                    .size()).as("a block closes once it has 3 rules").isTrue();
            for (String r : rules) {
                assertThat(declared).contains(r.split(" ")[1]);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(" -[jg] (PODNET-\\S+)").matcher(r);
                while (m.find()) {
                    assertThat(declared).as(r).contains(m.group(1));
                }
            }
        }
        // Every line of the real input is tested; the last block declares all chains and holds the entry jumps.
        for (String line : plan.filterInput().lines().filter(l -> !l.equals("*filter") && !l.equals("COMMIT")).toList()) {
            assertThat(plan.testInput()).contains(line + "\n");
        }
        String last = blocks.get(blocks.size() - 1);
        assertThat(last.lines().filter(l -> l.startsWith(":")).count()).isEqualTo(want.chains().size());
        assertThat(last).contains("-I FORWARD 1 -j PODNET-FORWARD").doesNotContain("-A PODNET-");
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
