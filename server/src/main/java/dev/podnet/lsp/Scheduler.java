package dev.podnet.lsp;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs validation tasks after a delay (the debounce). The server's default runs every task on one daemon thread,
 * so validations never overlap and finish in request order; tests inject {@link #immediate} (no waiting) or
 * their own manual scheduler that runs tasks when told.
 */
public interface Scheduler {

    /** A scheduled task that can be called off. */
    interface Task {
        /** Cancels the task if it has not started; a running task is told through its cancel check instead. */
        void cancel();
    }

    /** Runs {@code task} once, about {@code delayMillis} ms from now. */
    Task schedule(Runnable task, long delayMillis);

    /** A scheduler over a scheduled executor (delays honoured). */
    static Scheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }

    /** A scheduler that hands every task to {@code executor} at once, ignoring the delay. */
    static Scheduler immediate(Executor executor) {
        return (task, delay) -> {
            boolean[] cancelled = {false};
            executor.execute(() -> {
                synchronized (cancelled) {
                    if (cancelled[0]) {
                        return;
                    }
                }
                task.run();
            });
            return () -> {
                synchronized (cancelled) {
                    cancelled[0] = true;
                }
            };
        };
    }
}
