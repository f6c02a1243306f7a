package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code scripts/podnet} with the real shaded jar ({@code PODNET_JAR}): the first run writes a
 * class-data-sharing archive into the cache folder, later runs use it, and every run prints exactly what the jar
 * prints (no JVM message on stdout), with podnet's exit code.
 */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("podnet.jar")).toAbsolutePath().getParent()
            .getParent().getParent();

    record Run(int code, String out, String err) {
    }

    static Run run(Path cache, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("sh", ROOT.resolve("scripts/podnet").toString()),
                Stream.of(args)).toList()).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.put("PODNET_JAR", System.getProperty("podnet.jar"));
        env.put("XDG_CACHE_HOME", cache.toString());
        env.remove("PODNET_JAVA_OPTS");
        env.remove("PODNET_CDS");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void firstRunWritesTheArchiveAndLaterRunsPrintTheSame(@TempDir Path cache) throws Exception {
        Run first = run(cache, "lint", "--format", "json", "samples/broken");
        List<Path> archives;
        try (Stream<Path> s = Files.list(cache.resolve("podnet"))) {
            archives = s.toList();
        }
        assertThat(archives).hasSize(2); // the archive and its recorded size
        Path jsa = archives.stream().filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
        assertThat(jsa.getFileName().toString()).startsWith("podnet-");
        assertThat(Files.readString(Path.of(jsa + ".size")).trim()).isEqualTo(String.valueOf(Files.size(jsa)));
        Run second = run(cache, "lint", "--format", "json", "samples/broken");
        assertThat(first.code()).isEqualTo(1); // samples/broken has findings
        assertThat(second.code()).isEqualTo(first.code());
        assertThat(second.out()).isEqualTo(first.out()).startsWith("{");
        assertThat(second.err()).doesNotContain("[warning]").doesNotContain("[error]");
        try (Stream<Path> s = Files.list(cache.resolve("podnet"))) {
            assertThat(s.toList()).containsExactlyInAnyOrderElementsOf(archives); // no temporary file left, no second archive
        }
    }

    @Test
    void withoutAWritableCacheItRunsWithoutAnArchive(@TempDir Path tmp) throws Exception {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        Run r = run(notADir, "lint", "samples/k8s/shop");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("in 5 files");
    }

    /** A damaged (truncated) archive is not used: the run works, prints the same, and the archive is rewritten. */
    @Test
    void aTruncatedArchiveIsWrittenAgainNotUsed(@TempDir Path cache) throws Exception {
        Run first = run(cache, "lint", "--format", "json", "samples/broken");
        Path archive;
        try (Stream<Path> s = Files.list(cache.resolve("podnet"))) {
            archive = s.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        long size = Files.size(archive);
        archive.toFile().setWritable(true);
        try (var ch = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        Run damaged = run(cache, "lint", "--format", "json", "samples/broken");
        assertThat(damaged.code()).isEqualTo(first.code());
        assertThat(damaged.out()).isEqualTo(first.out());
        // Written again in full (its size may differ a little: which classes a run loads depends on thread timing).
        assertThat(Files.size(archive)).isGreaterThan(size / 2 + size / 4);
        Run again = run(cache, "lint", "--format", "json", "samples/broken");
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(again.err()).doesNotContain("[warning]");
    }
}
