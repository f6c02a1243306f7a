package dev.podnet.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real editors against the real jar: headless Neovim 0.7.2 and Emacs 28 + eglot open
 * {@code 10-broken.conflist} (a trailing comma) and must receive podnet's SYN001 diagnostic at the comma.
 * Skipped when an editor is not installed, except on CI ({@code CI=true}).
 */
class EditorsIT {
    @TempDir
    Path dir;

    /** Line and column (0-based) of the trailing comma in the sample. */
    private int[] commaPosition(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int c = lines.get(i).indexOf(",}");
            if (c >= 0) {
                return new int[] {i, c};
            }
        }
        throw new IllegalStateException("sample has no trailing comma");
    }

    private Process run(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                        .toFile()));
        pb.environment().putAll(env);
        pb.environment().put("HOME", dir.toString()); // no user config, no shared state between runs
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("editor did not finish in 120 s; log:\n" + Files.readString(log));
        }
        return p;
    }

    @Test
    void neovimReceivesTheDiagnostic() throws Exception {
        Path nvim = Jar.requireEditor("nvim", "neovim");
        Path jar = Jar.jar();
        String sample = Files.readString(Jar.editors().resolve("10-broken.conflist"));
        Files.writeString(dir.resolve("10-broken.conflist"), sample);
        Path result = dir.resolve("nvim.json");
        Path log = dir.resolve("nvim.log");
        Process p = run(List.of(nvim.toString(), "--headless", "--clean", "-c",
                        "luafile " + Jar.editors().resolve("nvim-check.lua"), "10-broken.conflist"),
                Map.of("PODNET_JAR", jar.toString(), "PODNET_EXPECT", "SYN001", "PODNET_RESULT", result.toString()),
                log);
        assertThat(p.exitValue()).as("nvim exit code; log:\n" + Files.readString(log)).isZero();
        JsonNode diags = new ObjectMapper().readTree(result.toFile());
        JsonNode d = null;
        for (JsonNode x : diags) {
            if ("SYN001".equals(x.path("code").asText(x.path("user_data").path("lsp").path("code").asText()))) {
                d = x;
            }
        }
        assertThat(d).as("SYN001 in " + diags).isNotNull();
        int[] pos = commaPosition(sample);
        assertThat(d.path("lnum").asInt()).isEqualTo(pos[0]);
        assertThat(d.path("col").asInt()).isEqualTo(pos[1]);
        assertThat(d.path("end_col").asInt()).isEqualTo(pos[1] + 1);
        assertThat(d.path("source").asText()).isEqualTo("podnet");
        assertThat(d.path("severity").asInt()).isEqualTo(1);
    }

    @Test
    void emacsEglotReceivesTheDiagnostic() throws Exception {
        Path emacs = Jar.requireEditor("emacs", "emacs-nox elpa-eglot");
        Path jar = Jar.jar();
        String sample = Files.readString(Jar.editors().resolve("10-broken.conflist"));
        Path file = dir.resolve("10-broken.conflist");
        Files.writeString(file, sample);
        Path result = dir.resolve("emacs.tsv");
        Path log = dir.resolve("emacs.log");
        Process p = run(List.of(emacs.toString(), "--batch", "-l", Jar.editors().resolve("eglot-check.el")
                        .toString()),
                Map.of("PODNET_JAR", jar.toString(), "PODNET_EXPECT", "SYN001", "PODNET_RESULT", result.toString(),
                        "PODNET_FILE", file.toString()), log);
        String logText = Files.readString(log);
        if (p.exitValue() != 0 && logText.contains("Cannot open load file") && logText.contains("eglot")
                && !Jar.ci()) {
            org.junit.jupiter.api.Assumptions.abort("eglot is not installed (apt-get install -y elpa-eglot)");
        }
        assertThat(p.exitValue()).as("emacs exit code; log:\n" + logText).isZero();
        List<String> lines = Files.readAllLines(result);
        String line = lines.stream().filter(l -> l.contains("[SYN001]")).findFirst().orElseThrow(
                () -> new AssertionError("no SYN001 in " + lines));
        String[] f = line.split("\t");
        // Flymake positions are 1-based buffer positions: the comma is character (offset + 1)
        int offset = sample.indexOf(",}");
        assertThat(f[0]).isEqualTo("eglot-error");
        assertThat(Integer.parseInt(f[1])).isEqualTo(offset + 1);
        assertThat(Integer.parseInt(f[2])).isEqualTo(offset + 2);
        assertThat(f[3]).startsWith("podnet [SYN001]: invalid JSON: trailing comma");
    }
}
