package dev.podnet.lint;

/**
 * One family of lint rules. A check reads the {@link Workspace} and reports findings through the
 * {@link Reporter}; it must not throw for any input (the engine turns an unexpected exception into an
 * {@code SYN900} internal-error finding so one bug cannot hide the other results).
 */
public interface Check {
    /** Runs the check over the whole workspace. */
    void run(Workspace workspace, Reporter reporter);
}
