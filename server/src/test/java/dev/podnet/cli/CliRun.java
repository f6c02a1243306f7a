package dev.podnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: runs {@link PodnetCli#run} in-process and parses {@code --format json} output.
 *
 * @param exitCode the CLI's exit code
 * @param out      standard output
 * @param err      standard error
 */
record CliRun(int exitCode, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code podnet <args>}. */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs {@code podnet lint --format json <paths>}. */
    static CliRun lintJson(List<Path> paths) {
        List<String> args = new ArrayList<>(List.of("lint", "--format", "json"));
        paths.forEach(p -> args.add(p.toString()));
        return run(args.toArray(String[]::new));
    }

    /** The {@code diagnostics} array of a JSON run. */
    List<JsonNode> diagnostics() {
        try {
            List<JsonNode> ds = new ArrayList<>();
            JSON.readTree(out).path("diagnostics").forEach(ds::add);
            return ds;
        } catch (java.io.IOException e) {
            throw new AssertionError("output is not JSON: " + out + "\nstderr: " + err, e);
        }
    }

    /** The repository root (the directory holding {@code samples/}), found upwards from the working directory. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("samples")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new AssertionError("no samples/ directory above " + Path.of("").toAbsolutePath());
    }
}
