package dev.podnet.lsp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Locates the shaded jar and the editor scripts for tests that start real processes. */
final class Jar {
    private Jar() {
    }

    /** True on CI ({@code CI=true}), where skipping is not allowed. */
    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shaded jar; the test is skipped (failed on CI) when it has not been built. */
    static Path jar() {
        String prop = System.getProperty("podnet.jar");
        for (Path p : new Path[] {prop == null ? null : Path.of(prop), Path.of("target/podnet.jar"),
                Path.of("server/target/podnet.jar")}) {
            if (p != null && Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        String why = "server/target/podnet.jar is not built: run 'mvn -B package -DskipTests' (or 'mvn verify', which "
                + "runs this test after packaging)";
        if (ci()) {
            Assertions.fail(why);
        }
        Assumptions.abort(why);
        return null;
    }

    /** The folder holding the editor scripts. */
    static Path editors() {
        String prop = System.getProperty("podnet.editors");
        for (Path p : new Path[] {prop == null ? null : Path.of(prop), Path.of("src/test/editors"),
                Path.of("server/src/test/editors")}) {
            if (p != null && Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("server/src/test/editors not found from " + Path.of("").toAbsolutePath());
    }

    /** The absolute path of an executable on PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The editor binary; skips the test when absent, fails it on CI. */
    static Path requireEditor(String name, String debianPackages) {
        Path p = onPath(name);
        if (p == null) {
            String why = name + " is not installed (apt-get install -y " + debianPackages + ")";
            if (ci()) {
                Assertions.fail(why + "; CI must run the real-editor checks (.ci/run installs the packages)");
            }
            Assumptions.abort(why);
        }
        return p;
    }
}
