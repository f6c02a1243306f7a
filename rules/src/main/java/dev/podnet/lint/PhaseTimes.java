package dev.podnet.lint;

/**
 * Opt-in phase timings of a lint, for profiling: with the system property {@code podnet.timings=true} (for the
 * launcher: {@code JDK_JAVA_OPTIONS=-Dpodnet.timings=true}), {@link LintEngine} writes one line per phase to stderr,
 * {@code podnet timings: <phase> <ms>}, where ms are milliseconds since the JVM started (its uptime as
 * {@code RuntimeMXBean} gives it), and each check family's own run time
 * in ms. Off by default: nothing is measured or written, and the output of a lint is unchanged either way.
 */
public final class PhaseTimes {
    private static final boolean ON = Boolean.getBoolean("podnet.timings");
    private static final long START_NANOS = System.nanoTime();
    private static final long START_OFFSET_MS = ON ? offset() : 0;

    private PhaseTimes() {
    }

    private static long offset() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** Whether timings are being written. */
    public static boolean on() {
        return ON;
    }

    /** Writes {@code phase} with the milliseconds since the JVM started; does nothing when off. */
    public static void mark(String phase) {
        if (ON) {
            System.err.println("podnet timings: " + phase + " " + sinceStart());
        }
    }

    /** Writes {@code what} with a duration in ms (from {@link System#nanoTime()} values); does nothing when off. */
    public static void took(String what, long startNanos) {
        if (ON) {
            System.err.println("podnet timings: " + what + " took " + (System.nanoTime() - startNanos) / 1_000_000
                    + " ms (ends " + sinceStart() + ")");
        }
    }

    private static long sinceStart() {
        return START_OFFSET_MS + (System.nanoTime() - START_NANOS) / 1_000_000;
    }
}
