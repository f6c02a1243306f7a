package dev.podnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards and helpers for tests that use the real kernel. Such tests need root, iproute2 and (for some) iptables,
 * ipset and the CNI plugins. Without them they are skipped with the reason, except under CI ({@code CI=true}),
 * where a missing prerequisite is a failure: CI must run them.
 */
public final class Kernel {
    private static final LocalRunner LOCAL = new LocalRunner();

    private Kernel() {
    }

    /** True when running as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips (or, under CI, fails) unless root and the given programs exist. */
    public static void require(String... programs) {
        boolean ci = "true".equals(System.getenv("CI"));
        String missing = null;
        if (!isRoot()) {
            missing = "needs root (network namespaces)";
        } else {
            for (String p : programs) {
                if (!onPath(p)) {
                    missing = "needs '" + p + "' (install it: see .ci/run)";
                    break;
                }
            }
        }
        if (missing != null) {
            if (ci) {
                fail("kernel test cannot run under CI: " + missing);
            }
            Assumptions.assumeTrue(false, "skipped: " + missing);
        }
    }

    /** True when the program is on PATH (or an absolute path that exists). */
    public static boolean onPath(String p) {
        if (p.startsWith("/")) {
            return Files.isExecutable(Path.of(p));
        }
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, p))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", p)) || Files.isExecutable(Path.of("/sbin", p));
    }

    /** A unique namespace/link name with the given prefix (at most 15 characters). */
    public static String uniqueName(String prefix) {
        String r = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        String n = prefix + r;
        return n.length() > 15 ? n.substring(0, 15) : n;
    }

    /** Runs a command on this machine; fails the test when it exits non-zero. */
    public static ExecResult sh(String... argv) {
        try {
            ExecResult r = LOCAL.run(List.of(argv), Duration.ofSeconds(30));
            if (!r.ok()) {
                fail(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.err());
            }
            return r;
        } catch (ExecException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command and ignores its outcome (cleanup). */
    public static void quiet(String... argv) {
        try {
            LOCAL.run(List.of(argv), Duration.ofSeconds(30));
        } catch (ExecException e) {
            // cleanup is best effort
        }
    }
}
