package dev.podnet.lint;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** A workspace over the inputs in the order given (directories expanded in bytewise name order). */
    public Workspace(List<SourceFile> files) {
        this.files = List.copyOf(files);
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
     * The value for {@code key}, computed by {@code compute} on first use and kept. Two threads asking at once
     * may both compute; the first stored value wins and both get it. An exception from {@code compute} stores
     * nothing and propagates.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Key<T> key, Supplier<T> compute) {
        Object v = derived.get(key);
        if (v == null) {
            v = java.util.Objects.requireNonNull(compute.get(), key.name());
            Object prev = derived.putIfAbsent(key, v);
            v = prev == null ? v : prev;
        }
        return (T) v;
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
