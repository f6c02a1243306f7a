package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input through the whole CLI ({@code podnet lint --format json} with several paths): each bad
 * file gives exactly one clear diagnostic with a position, and the good file given alongside is still linted
 * (it gives no error and is counted). The {@link Timeout} is a hang guard (bounded time), not a speed goal: speed
 * is measured by {@code dev.podnet.bench.LintBenchmark}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    static final String GOOD = """
            {
              "name": "cbr0",
              "cniVersion": "1.0.0",
              "plugins": [
                {"type": "flannel", "delegate": {"hairpinMode": true, "isDefaultGateway": true}},
                {"type": "portmap", "capabilities": {"portMappings": true}}
              ]
            }
            """;

    @TempDir
    Path tmp;
    Path good;

    @BeforeEach
    void goodFile() throws IOException {
        Files.createDirectories(tmp.resolve("good"));
        good = Files.writeString(tmp.resolve("good/10-flannel.conflist"), GOOD);
    }

    /** Writes {@code bytes} to {@code bad/<name>}, lints it between two good paths, returns its diagnostics. */
    List<JsonNode> lintBad(String name, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Path bad = Files.write(dir.resolve(name), bytes);
        CliRun run = CliRun.lintJson(List.of(bad, good));
        assertThat(run.err()).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.exitCode()).isIn(PodnetCli.OK, PodnetCli.FINDINGS);
        List<JsonNode> ds = run.diagnostics();
        assertThat(ds).as("the good file is still linted").noneMatch(d -> d.path("file").asText()
                .equals(good.toString()) && d.path("severity").asText().equals("error"));
        assertThat(ds).allMatch(d -> d.path("line").asInt() >= 1 && d.path("column").asInt() >= 1);
        return ds.stream().filter(d -> d.path("file").asText().equals(bad.toString())).toList();
    }

    static JsonNode single(List<JsonNode> ds, String rule) {
        assertThat(ds).as(ds.toString()).hasSize(1);
        JsonNode d = ds.get(0);
        assertThat(d.path("rule").asText()).isEqualTo(rule);
        assertThat(d.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\n");
        return d;
    }

    @Test
    void emptyFile() throws IOException {
        JsonNode d = single(lintBad("10-empty.conflist", new byte[0]), "SYN005");
        assertThat(d.path("severity").asText()).isEqualTo("warning");
        assertThat(d.path("line").asInt()).isEqualTo(1);
        assertThat(d.path("message").asText()).contains("empty");
    }

    @Test
    void whitespaceOnlyFile() throws IOException {
        single(lintBad("10-blank.conf", "\n   \n\t\n".getBytes(StandardCharsets.UTF_8)), "SYN005");
    }

    @Test
    void binaryGarbage() throws IOException {
        byte[] b = new byte[64 * 1024];
        new Random(42).nextBytes(b);
        JsonNode d = single(lintBad("10-garbage.conflist", b), "SYN003");
        assertThat(d.path("message").asText()).contains("binary");
    }

    @Test
    void binaryWithoutNulBytes() throws IOException {
        byte[] b = new byte[4096];
        Random r = new Random(7);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (1 + r.nextInt(255));
        }
        single(lintBad("10-noise.json", b), "SYN003");
    }

    @Test
    void gzipSavedWithConfName() throws IOException {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bo)) {
            gz.write(GOOD.getBytes(StandardCharsets.UTF_8));
        }
        single(lintBad("10-flannel.conflist", bo.toByteArray()), "SYN003");
    }

    @Test
    void invalidUtf8PointsAtTheByte() throws IOException {
        byte[] head = "{\n  \"name\": \"caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\n  \"cniVersion\": \"1.0.0\",\n  \"type\": \"loopback\"\n}\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        b[head.length] = (byte) 0xE9; // Latin-1 'é'
        System.arraycopy(tail, 0, b, head.length + 1, tail.length);
        JsonNode d = single(lintBad("99-latin1.conf", b), "SYN003");
        assertThat(d.path("line").asInt()).isEqualTo(2);
        assertThat(d.path("column").asInt()).isEqualTo(15); // after '  "name": "caf'
        assertThat(d.path("message").asText()).contains("0xE9").contains("UTF-8");
    }

    @Test
    void truncatedUtf8SequenceAtEndOfFile() throws IOException {
        byte[] text = "{\"name\": \"x\", \"type\": \"loopback\", \"cniVersion\": \"1.0.0\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] b = java.util.Arrays.copyOf(text, text.length + 1);
        b[text.length] = (byte) 0xE2; // first byte of a 3-byte sequence, then EOF
        JsonNode d = single(lintBad("99-cut.conf", b), "SYN003");
        assertThat(d.path("line").asInt()).isEqualTo(2);
    }

    @Test
    void utf16File() throws IOException {
        byte[] b = ("\uFEFF" + GOOD).getBytes(StandardCharsets.UTF_16LE);
        single(lintBad("10-utf16.conflist", b), "SYN003");
    }

    /** A 10 MB conflist whose last byte is missing: one syntax error at the end, found in bounded time. */
    @Test
    void tenMegabyteTruncatedJson() throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"name\": \"big\",\n  \"cniVersion\": \"1.0.0\",\n  \"plugins\": [\n");
        int lines = 4;
        while (sb.length() < 10_000_000) {
            sb.append("    {\"type\": \"bridge\", \"bridge\": \"br0\", \"hairpinMode\": true},\n");
            lines++;
        }
        sb.append("    {\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}\n  ]\n");
        lines += 2;
        JsonNode d = single(lintBad("10-big.conflist", sb.toString().getBytes(StandardCharsets.UTF_8)), "SYN001");
        assertThat(d.path("message").asText()).contains("ends before the value is complete");
        assertThat(d.path("line").asInt()).isEqualTo(lines + 1); // the end of the file, after the last newline
    }

    /** A 10 MB YAML file (a long list) that is not a manifest: read completely, skipped with one note. */
    @Test
    void tenMegabyteYaml() throws IOException {
        StringBuilder sb = new StringBuilder("hosts:\n");
        for (int i = 0; sb.length() < 10_000_000; i++) {
            sb.append("  - name: host-").append(i).append("\n    ip: 10.").append((i >> 16) & 255).append('.')
                    .append((i >> 8) & 255).append('.').append(i & 255).append('\n');
        }
        single(lintBad("inventory.yaml", sb.toString().getBytes(StandardCharsets.UTF_8)), "SYN006");
    }

    @Test
    void tenThousandNestedJsonArrays() throws IOException {
        String s = "[".repeat(10_000) + "]".repeat(10_000);
        JsonNode d = single(lintBad("10-deep.json", s.getBytes(StandardCharsets.UTF_8)), "SYN004");
        assertThat(d.path("message").asText()).contains("nesting deeper than 1000");
        assertThat(d.path("line").asInt()).isEqualTo(1);
        assertThat(d.path("column").asInt()).isEqualTo(1001);
    }

    @Test
    void tenThousandNestedJsonObjects() throws IOException {
        String s = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        JsonNode d = single(lintBad("10-deep.conflist", s.getBytes(StandardCharsets.UTF_8)), "SYN004");
        assertThat(d.path("line").asInt()).isEqualTo(1);
        assertThat(d.path("column").asInt()).isEqualTo(5 * 1000 + 1); // the '{' opening level 1001
    }

    @Test
    void tenThousandNestedYamlFlowCollections() throws IOException {
        String s = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        JsonNode d = single(lintBad("deep.yaml", s.getBytes(StandardCharsets.UTF_8)), "SYN004");
        assertThat(d.path("column").asInt()).isEqualTo(3 + 1000 + 1);
    }

    @Test
    void tenThousandNestedYamlBlockSequences() throws IOException {
        String s = "- ".repeat(10_000) + "x\n";
        JsonNode d = single(lintBad("deep-seq.yaml", s.getBytes(StandardCharsets.UTF_8)), "SYN004");
        assertThat(d.path("line").asInt()).isEqualTo(1);
        assertThat(d.path("message").asText()).contains("nesting");
    }

    @Test
    void badFilesDoNotStopTheOthers() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mixed"));
        Path empty = Files.write(dir.resolve("a-empty.conflist"), new byte[0]);
        Path garbage = Files.write(tmp.resolve("b-garbage.conf"), new byte[] {0, 1, 2, 3, (byte) 0xFF});
        Path deep = Files.writeString(tmp.resolve("c-deep.json"), "[".repeat(10_000));
        CliRun run = CliRun.lintJson(List.of(empty, garbage, deep, good));
        assertThat(run.exitCode()).isEqualTo(PodnetCli.FINDINGS);
        List<JsonNode> ds = run.diagnostics();
        assertThat(ds).extracting(d -> d.path("rule").asText()).containsExactly("SYN005", "SYN003", "SYN004");
        assertThat(CliRun.run("lint", "--format", "json", good.toString()).exitCode()).isEqualTo(PodnetCli.OK);
    }

    /**
     * A YAML file too large for the heap (here: a 3 MB list in a JVM limited to 48 MiB, started as a separate
     * process) gives one SYN004 finding and the good file is still linted: no OutOfMemoryError escapes.
     */
    @Test
    void fileLargerThanTheHeapIsAFindingNotACrash() throws Exception {
        StringBuilder sb = new StringBuilder("hosts:\n");
        for (int i = 0; sb.length() < 3_000_000; i++) {
            sb.append("  - name: host-").append(i).append("\n    ip: 10.1.").append((i >> 8) & 255).append('.')
                    .append(i & 255).append('\n');
        }
        Path big = Files.writeString(Files.createDirectories(tmp.resolve("big")).resolve("inventory.yaml"), sb);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx48m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "dev.podnet.cli.PodnetCli", "lint", "--format", "json",
                big.toString(), good.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        assertThat(p.exitValue()).as(err).isEqualTo(PodnetCli.FINDINGS);
        List<JsonNode> ds = new CliRun(p.exitValue(), out, err).diagnostics();
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.path("file").asText()).isEqualTo(big.toString());
            assertThat(d.path("rule").asText()).isEqualTo("SYN004");
            assertThat(d.path("message").asText()).contains("not enough memory").contains("-Xmx");
        });
    }
}
