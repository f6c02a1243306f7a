package dev.podnet.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.testing.Kernel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated ipset and iptables-restore input must be accepted by the real ipset and iptables-restore, loaded
 * inside a network namespace the test creates (one namespace shared by all cases).
 */
class RulesetKernelTest {
    static String ns;
    static final LocalRunner LOCAL = new LocalRunner();

    @BeforeAll
    static void namespace() {
        Kernel.require("ip", "iptables-restore", "ipset");
        ns = Kernel.uniqueName("pn-rs-");
        Kernel.sh("ip", "netns", "add", ns);
    }

    @AfterAll
    static void cleanup() {
        if (ns != null) {
            Kernel.quiet("ip", "netns", "exec", ns, "iptables", "-F");
            Kernel.quiet("ip", "netns", "exec", ns, "iptables", "-X");
            Kernel.quiet("ip", "netns", "exec", ns, "ipset", "destroy");
            Kernel.quiet("ip", "netns", "del", ns);
        }
    }

    static Inventory conformance(String name) throws IOException {
        List<InputFile> files = new ArrayList<>();
        for (String f : List.of("cluster.yaml", "policies.yaml")) {
            try (InputStream in = RulesetKernelTest.class.getResourceAsStream("/conformance/" + name + "/" + f)) {
                files.add(InputFile.of(f, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return InventoryBuilder.build(new LintEngine(List.of()).lint(files).workspace());
    }

    static ExecResult inNs(byte[] stdin, String... argv) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        return LOCAL.run(full, stdin, Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void everyConformanceRulesetLoadsIntoTheKernel() throws Exception {
        List<String> cases = new ArrayList<>();
        try (InputStream in = RulesetKernelTest.class.getResourceAsStream("/conformance/INDEX.md")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                var m = java.util.regex.Pattern.compile("^\\| \\[(\\d{3}-[a-z0-9-]+)\\]").matcher(line);
                if (m.find()) {
                    cases.add(m.group(1));
                }
            }
        }
        assertThat(cases).hasSize(38);
        for (String c : cases) {
            Ruleset rs = RulesetGenerator.generate(conformance(c), null);
            inNs(new byte[0], "iptables", "-F");
            inNs(new byte[0], "iptables", "-X");
            inNs(new byte[0], "ipset", "destroy");
            ExecResult sets = inNs(rs.ipsetRules().getBytes(StandardCharsets.UTF_8), "ipset", "restore");
            assertThat(sets.ok()).as(c + " ipset restore: " + sets.err() + "\n" + rs.ipsetRules()).isTrue();
            byte[] filter = rs.filterRulesWithJumps().getBytes(StandardCharsets.UTF_8);
            ExecResult test = inNs(filter, "iptables-restore", "--noflush", "--test");
            assertThat(test.ok()).as(c + " iptables-restore --test: " + test.err() + "\n" + rs.filterRules()).isTrue();
            ExecResult load = inNs(filter, "iptables-restore", "--noflush");
            assertThat(load.ok()).as(c + " iptables-restore: " + load.err()).isTrue();
            String saved = inNs(new byte[0], "iptables-save", "-t", "filter").out();
            assertThat(saved).contains("-A FORWARD -j PODNET-FORWARD");
            for (String chain : rs.chains()) {
                assertThat(saved).contains(":" + chain);
            }
            if (!rs.natRules().isEmpty()) {
                ExecResult nat = inNs(rs.natRules().getBytes(StandardCharsets.UTF_8), "iptables-restore", "--noflush",
                        "--test");
                assertThat(nat.ok()).as(c + " nat: " + nat.err()).isTrue();
            }
        }
    }
}
