package dev.podnet.lint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Maps a list on every core with one shared queue of items, largest first (longest-processing-time-first
 * scheduling). A parallel stream splits a list into a few fixed chunks, so with inputs of uneven size one core can
 * sit idle while the other finishes its chunk; here each thread takes the next item when it is done with the
 * previous one, so they finish within about one item of each other.
 *
 * <p>The calling thread works too, with as many {@link ForkJoinPool#commonPool() common pool} threads as the pool's
 * parallelism allows. Results are in the input order. The first exception (or error) an item throws is rethrown to
 * the caller once every thread stopped; the items not yet taken are skipped.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * {@code items.map(f)}, computed on every core, items taken in decreasing {@code cost} (ties in input order).
     *
     * @param items the inputs (not modified)
     * @param cost  an estimate of each item's work in any unit (e.g. bytes); only the order matters
     * @param f     the function; it must be safe to call from several threads at once
     * @return the results, {@code result.get(i) == f.apply(items.get(i))}
     */
    public static <T, R> List<R> map(List<T> items, ToLongFunction<? super T> cost, Function<? super T, R> f) {
        int n = items.size();
        int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), n - 1);
        if (helpers < 1 || Runtime.getRuntime().availableProcessors() < 2) {
            List<R> out = new ArrayList<>(n);
            for (T t : items) {
                out.add(f.apply(t));
            }
            return out;
        }
        long[] costs = new long[n];
        for (int i = 0; i < n; i++) {
            costs[i] = cost.applyAsLong(items.get(i));
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -costs[i]).thenComparingInt(i -> i));
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int k;
            while ((k = next.getAndIncrement()) < n) {
                int i = order[k];
                try {
                    results[i] = f.apply(items.get(i));
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                    next.set(n);
                }
            }
        };
        List<ForkJoinTask<?>> tasks = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            tasks.add(ForkJoinPool.commonPool().submit(worker));
        }
        worker.run();
        for (ForkJoinTask<?> t : tasks) {
            t.join(); // the worker catches what items throw, so join returns normally
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        @SuppressWarnings("unchecked")
        List<R> out = (List<R>) Arrays.asList(results);
        return new ArrayList<>(out);
    }
}
