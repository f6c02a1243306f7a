package dev.podnet.cli;

import dev.podnet.dataplane.DataPlaneTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr for long computations ({@code simulate --data-plane}): the line is
 * rewritten in place with a carriage return at most every {@value #INTERVAL_MS} ms and erased by {@link #done()}, so
 * a terminal shows where the run is and nothing is left in the output. Only used when stderr is a terminal
 * ({@link #stderrIsTerminal()}) or when asked for ({@code --progress}).
 */
final class TerminalProgress implements DataPlaneTable.Progress {
    /** Smallest interval between two redraws. */
    static final long INTERVAL_MS = 200;

    private final PrintWriter err;
    private final String prefix;
    private final LongSupplier clock;
    private long last;
    private boolean drawn;
    private int width;

    /**
     * @param err    stderr
     * @param prefix text before the figures, e.g. {@code "simulate --data-plane"}
     * @param clock  milliseconds (injectable for tests)
     */
    TerminalProgress(PrintWriter err, String prefix, LongSupplier clock) {
        this.err = err;
        this.prefix = prefix;
        this.clock = clock;
    }

    TerminalProgress(PrintWriter err, String prefix) {
        this(err, prefix, System::currentTimeMillis);
    }

    /** Shows a free-text stage ("building the node ruleset"). */
    void stage(String text) {
        draw(prefix + ": " + text);
        last = clock.getAsLong();
    }

    @Override
    public void walked(String probe, long done, long total) {
        long now = clock.getAsLong();
        if (drawn && done < total && now - last < INTERVAL_MS) {
            return;
        }
        last = now;
        draw(String.format(Locale.ROOT, "%s: [%s] %d%% (%,d of %,d packet walks)", prefix, probe,
                total == 0 ? 100 : done * 100 / total, done, total));
    }

    /** Erases the progress line. */
    void done() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }

    private void draw(String line) {
        int pad = Math.max(0, width - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        width = line.length();
        drawn = true;
    }

    /**
     * True when this process's stderr (file descriptor 2) is a terminal: on Linux, when {@code /proc/self/fd/2}
     * leads to a {@code /dev/pts/N} or {@code /dev/ttyN} device; elsewhere when the JVM has a console (stdin and
     * stdout are terminals), the closest the JDK tells.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | SecurityException | UnsupportedOperationException e) {
            // fall through to the console check
        }
        return System.console() != null;
    }
}
