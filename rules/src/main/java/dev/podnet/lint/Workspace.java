package dev.podnet.lint;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything one lint run sees: every input file, parsed and classified. Checks read from here; the cluster
 * inventory and CNI models are built from it by their own families.
 *
 * <p>A workspace also holds values derived from it ({@link #derived}): a model several checks need (the
 * inventory) is built once per run, and a check can leave a result of its analysis for the editor features that
 * run after the lint (the language server's code lenses read the reachability result RCH001 computed). The files
 * never change, so a derived value stays valid for the workspace's lifetime. Thread-safe.
 */
public final class Workspace {
    private final List<SourceFile> files;
    private final ConcurrentHashMap<Key<?>, Object> derived = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key<?>, FutureTask<Object>> pending = new ConcurrentHashMap<>();

    /**
     * The name and type of a derived value. Keys compare by identity: declare each as a constant.
     *
     * @param name what the value is, for debugging ("inventory")
     */
    public record Key<T>(String name) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final LintMemo.Run memo;

    /** A workspace over the inputs in the order given (directories expanded in bytewise name order). */
    public Workspace(List<SourceFile> files) {
        this(files, LintMemo.Run.NONE);
    }

    /** A workspace whose checks may reuse results of earlier runs through {@code memo} ({@link LintMemo}). */
    public Workspace(List<SourceFile> files, LintMemo.Run memo) {
        this.files = List.copyOf(files);
        this.memo = java.util.Objects.requireNonNull(memo);
    }

    /** Results kept across runs ({@link LintMemo.Run#NONE} outside the language server). */
    public LintMemo.Run memo() {
        return memo;
    }

    /** The inputs in the order given. */
    public List<SourceFile> files() {
        return files;
    }

    /** Every document of the given kinds, in file order. */
    public Stream<SourceFile.Doc> docs(DocKind... kinds) {
        List<DocKind> ks = List.of(kinds);
        return files.stream().flatMap(f -> f.docs().stream()).filter(d -> ks.contains(d.kind()));
    }

    /** The parsed file a document belongs to. */
    public SourceFile fileOf(SourceFile.Doc doc) {
        return files.stream().filter(f -> f.docs().contains(doc)).findFirst().orElseThrow();
    }

    /**
     * The value for {@code key}, computed by {@code compute} on first use and kept. Threads asking at once (the
     * check families run concurrently) wait for the first computation instead of repeating it. An exception from
     * {@code compute} stores nothing and propagates (unchecked exceptions and errors as they are) to every thread
     * waiting for it; a later call computes again.
     *
     * @throws java.util.concurrent.CancellationException when the waiting thread is interrupted
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Key<T> key, Supplier<T> compute) {
        Object v = derived.get(key);
        if (v != null) {
            return (T) v;
        }
        FutureTask<Object> mine = new FutureTask<>(() -> java.util.Objects.requireNonNull(compute.get(), key.name()));
        FutureTask<Object> task = pending.putIfAbsent(key, mine);
        if (task == null) {
            task = mine;
            mine.run();
        }
        try {
            Object r = task.get();
            Object prev = derived.putIfAbsent(key, r);
            pending.remove(key, task);
            return (T) (prev == null ? r : prev);
        } catch (ExecutionException e) {
            pending.remove(key, task);
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting for " + key.name());
        }
    }

    /** Stores a derived value (replacing any earlier one). */
    public <T> void put(Key<T> key, T value) {
        derived.put(key, java.util.Objects.requireNonNull(value, key.name()));
    }

    /** The derived value for {@code key} if some check computed it; never computes. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> cached(Key<T> key) {
        return Optional.ofNullable((T) derived.get(key));
    }
}
