package dev.podnet.lint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything one lint run sees: every input file, parsed and classified. Checks read from here; the cluster
 * inventory and CNI models are built from it by their own families, once per workspace ({@link #memo}), since the
 * files of a workspace never change.
 */
public final class Workspace {
    private final List<SourceFile> files;
    private final Map<Object, Object> memo = new ConcurrentHashMap<>();

    /** A workspace over the inputs in the order given (directories expanded in bytewise name order). */
    public Workspace(List<SourceFile> files) {
        this.files = List.copyOf(files);
    }

    /** The inputs, in the order given. */
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
     * A value derived from this workspace, computed once per key and shared by every check and thread (the value
     * must be immutable). Checks that run concurrently wait for the first computation instead of repeating it.
     *
     * @param key     identifies the derivation (e.g. the builder's class)
     * @param compute builds the value from the workspace; it must not call {@code memo} with the same key
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Function<Workspace, T> compute) {
        return (T) memo.computeIfAbsent(key, k -> compute.apply(this));
    }
}
