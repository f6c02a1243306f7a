package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Version and usage errors of the command line, for the top command and its subcommands. */
class CliUsageTest {
    @Test
    void everySubcommandPrintsTheVersion() {
        String top = CliRun.run("--version").out().strip();
        assertThat(top).startsWith("podnet ");
        for (String[] args : new String[][] {{"lint", "-V"}, {"check", "--version"}, {"node", "facts", "-V"},
                {"rules", "-V"}}) {
            CliRun r = CliRun.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out().strip()).as(String.join(" ", args)).isEqualTo(top);
        }
    }

    @Test
    void aMistypedSubcommandGetsASuggestionAndExitCode2() {
        CliRun r = CliRun.run("lnt", "samples");
        assertThat(r.exitCode()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(r.err()).contains("Unmatched arguments").contains("Did you mean: podnet lint?")
                .contains("Try 'podnet --help' for usage.");
    }

    @Test
    void aSubcommandErrorNamesThatSubcommand() {
        CliRun r = CliRun.run("lint", "--bogus", "x");
        assertThat(r.exitCode()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("Try 'podnet lint --help' for usage.");
        CliRun help = CliRun.run("help", "lint");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: podnet lint ");
    }

    @Test
    void helpFollowsNestedSubcommands() {
        CliRun nested = CliRun.run("help", "node", "facts");
        assertThat(nested.exitCode()).isZero();
        assertThat(nested.out()).startsWith("Usage: podnet node facts ");
        assertThat(CliRun.run("help").out()).startsWith("Usage: podnet ");
        CliRun wrong = CliRun.run("help", "node", "fact");
        assertThat(wrong.exitCode()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(wrong.err()).contains("'fact' is not a subcommand of podnet node")
                .contains("Did you mean: node facts?").contains("Try 'podnet node --help' for usage.")
                .doesNotContain("index");
        CliRun top = CliRun.run("help", "lnt");
        assertThat(top.exitCode()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(top.err()).contains("'lnt' is not a subcommand of podnet").contains("Did you mean: podnet lint?")
                .doesNotContain("index");
        CliRun leaf = CliRun.run("help", "lint", "extra");
        assertThat(leaf.exitCode()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(leaf.err()).contains("'extra' is not a subcommand of podnet lint (it has none)");
    }
}
