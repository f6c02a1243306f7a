package dev.podnet.lint;

/**
 * One family of lint rules. A check reads the {@link Workspace} and reports findings through the
 * {@link Reporter}; it must not throw for any input (the engine turns an unexpected exception into an
 * {@code SYN900} internal-error finding so one bug cannot hide the other results).
 */
public interface Check {
    /** Runs the check over the whole workspace. */
    void run(Workspace workspace, Reporter reporter);

    /**
     * Builds, before the check families run concurrently, a model this check shares with others through
     * {@link Workspace#derived} (the inventory). Run on one thread with every core free, so the model may be built
     * in parallel; once the families run, a family that needs it while another builds it would only wait. Must not
     * throw for any input. Does nothing by default.
     */
    default void prepare(Workspace workspace) {
    }

    /**
     * How much work this family does on a large Kubernetes folder, relative to the others (1: little). The engine
     * starts the families in decreasing order of it, so the long ones do not end up queued behind short ones on
     * the same core. Only the order matters; it never changes the findings.
     */
    default int relativeCost() {
        return 1;
    }
}
