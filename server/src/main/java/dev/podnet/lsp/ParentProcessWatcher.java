package dev.podnet.lsp;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends the server when the editor process that started it dies without saying {@code exit} (LSP 3.17
 * {@code InitializeParams.processId}: "If the parent process is not alive then the server should exit"). Polls
 * {@link ProcessHandle#of} every {@code periodMillis}; lemminx's ParentProcessWatcher does the same.
 */
public final class ParentProcessWatcher {
    private final long pid;
    private final Runnable onDeath;
    private ScheduledFuture<?> poll;

    /**
     * @param pid     the client's process id
     * @param onDeath called once, from the executor's thread, when the process is gone
     */
    public ParentProcessWatcher(long pid, Runnable onDeath) {
        this.pid = pid;
        this.onDeath = onDeath;
    }

    /** True while the client process exists. */
    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts polling on {@code executor}. */
    public synchronized void start(ScheduledExecutorService executor, long periodMillis) {
        poll = executor.scheduleWithFixedDelay(() -> {
            if (!alive()) {
                stop();
                onDeath.run();
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops polling. */
    public synchronized void stop() {
        if (poll != null) {
            poll.cancel(false);
        }
    }
}
