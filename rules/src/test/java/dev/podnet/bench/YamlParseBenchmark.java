package dev.podnet.bench;

import dev.podnet.source.LegacyYamlSourceParser;
import dev.podnet.source.ParseResult;
import dev.podnet.source.SourceText;
import dev.podnet.source.YamlSourceParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Parse-only benchmark of {@link YamlSourceParser#parse}: reads every {@code .yaml}/{@code .yml} file of a folder
 * into memory, then parses all of them once from a cold JVM (the pass the CLI pays) and then {@code passes} more
 * times (warm). Prints, per pass, the wall-clock and CPU time of the benchmark thread in milliseconds, the bytes it
 * allocated (a figure that does not move with the machine's load) and the number of documents and diagnostics (the
 * same for every pass and both parsers).
 *
 * <p>Run (see bench/README.md): {@code java -cp ... dev.podnet.bench.YamlParseBenchmark FOLDER [passes] [--legacy]}.
 * {@code --legacy} times {@link LegacyYamlSourceParser}, the frozen copy of the Composer-based parser kept in the
 * test sources, for before/after figures in one build. Add {@code -XX:TieredStopAtLevel=1} to time it as the CLI
 * launcher runs (C1 only). The {@link SourceText} line tables are built before timing starts, as
 * {@code LintEngine} builds them before parsing.
 */
public final class YamlParseBenchmark {
    private YamlParseBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: YamlParseBenchmark FOLDER [passes] [--legacy]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int passes = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 10;
        boolean legacy = Arrays.asList(args).contains("--legacy");
        Function<SourceText, ParseResult> parser = legacy ? LegacyYamlSourceParser::parse : YamlSourceParser::parse;
        List<SourceText> texts = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".yaml")
                    || p.toString().endsWith(".yml")).sorted().toList()) {
                byte[] b = Files.readAllBytes(p);
                bytes += b.length;
                texts.add(new SourceText(p.toString(), new String(b, StandardCharsets.UTF_8)));
            }
        }
        System.out.printf("%s parser, %d files, %.1f MB%n", legacy ? "legacy (Composer)" : "current", texts.size(),
                bytes / 1e6);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        long tid = Thread.currentThread().getId();
        long[] cpu = new long[passes + 1];
        for (int pass = 0; pass <= passes; pass++) {
            long w0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            long a0 = alloc.getThreadAllocatedBytes(tid);
            int docs = 0;
            int diags = 0;
            for (SourceText t : texts) {
                ParseResult r = parser.apply(t);
                docs += r.docs().size();
                diags += r.diagnostics().size();
            }
            cpu[pass] = mx.getCurrentThreadCpuTime() - c0;
            long allocated = alloc.getThreadAllocatedBytes(tid) - a0;
            System.out.printf("pass %d%s: %d ms wall, %d ms CPU, %d MB allocated (%d docs, %d diagnostics)%n", pass,
                    pass == 0 ? " (cold)" : "", (System.nanoTime() - w0) / 1_000_000, cpu[pass] / 1_000_000,
                    allocated / 1_000_000, docs, diags);
        }
        if (passes > 0) {
            long[] warm = Arrays.copyOfRange(cpu, 1, cpu.length);
            Arrays.sort(warm);
            System.out.printf("cold: %d ms CPU; warm: best %d ms, median %d ms CPU%n", cpu[0] / 1_000_000,
                    warm[0] / 1_000_000, warm[warm.length / 2] / 1_000_000);
        }
    }
}
