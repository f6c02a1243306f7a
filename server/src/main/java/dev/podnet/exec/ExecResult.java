package dev.podnet.exec;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of one command.
 *
 * @param exitCode the process exit status (-1 when it timed out and was killed)
 * @param stdout   everything written to standard output
 * @param stderr   everything written to standard error
 * @param timedOut true when the timeout expired and the process was killed
 */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {

    /** Standard output as UTF-8 text. */
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Standard error as UTF-8 text. */
    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** True when the command exited with status 0 in time. */
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}
