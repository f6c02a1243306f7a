package dev.podnet.lint;

import java.util.List;
import java.util.stream.Stream;

/**
 * Everything one lint run sees: every input file, parsed and classified. Checks read from here; the cluster
 * inventory and CNI models are built from it by their own families.
 *
 * @param files the inputs in the order given (directories expanded in bytewise name order)
 */
public record Workspace(List<SourceFile> files) {

    /** Every document of the given kinds, in file order. */
    public Stream<SourceFile.Doc> docs(DocKind... kinds) {
        List<DocKind> ks = List.of(kinds);
        return files.stream().flatMap(f -> f.docs().stream()).filter(d -> ks.contains(d.kind()));
    }

    /** The parsed file a document belongs to. */
    public SourceFile fileOf(SourceFile.Doc doc) {
        return files.stream().filter(f -> f.docs().contains(doc)).findFirst().orElseThrow();
    }
}
