package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The opt-in phase timings ({@code -Dpodnet.timings=true}, read once per JVM, so each case is its own JVM): on
 * stderr when asked for, absent otherwise, and the report on stdout is the same either way.
 */
class PhaseTimesTest {
    private record Run(int code, String out, String err) {
    }

    private static Run lint(boolean timings) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (timings) {
            cmd.add("-Dpodnet.timings=true");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.podnet.cli.PodnetCli", "lint",
                "--format", "json", SamplesTest.samples().resolve("k8s").resolve("shop").toString()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void timingsGoToStderrOnlyWhenAskedFor() throws Exception {
        Run plain = lint(false);
        Run timed = lint(true);
        assertThat(plain.err()).doesNotContain("podnet timings:");
        assertThat(timed.err().lines().filter(l -> l.startsWith("podnet timings:")).map(l -> l.split(" ")[2]))
                .contains("main", "lint", "parsed", "prepare", "check", "checked", "written");
        assertThat(timed.err()).containsPattern("podnet timings: parsed [0-9]+\\n")
                .containsPattern("podnet timings: check NetworkPolicyLint took [0-9]+ ms \\(ends [0-9]+\\)");
        assertThat(timed.out()).isEqualTo(plain.out());
        assertThat(timed.code()).isEqualTo(plain.code());
    }
}
