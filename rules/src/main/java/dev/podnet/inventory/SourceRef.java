package dev.podnet.inventory;

import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;

/**
 * Where a Kubernetes object came from: its document and the JSON pointer of the object inside it ({@code ""}
 * for a top-level object, {@code /items/3} for the fourth item of a {@code List}). Pointers of fields are
 * built with {@link #ptr(String)}, e.g. {@code ref.ptr("/spec/podSelector")}.
 *
 * @param doc  the source document
 * @param base JSON pointer of the object within the document
 */
public record SourceRef(SourceDoc doc, String base) {

    /** The pointer of a field of this object ({@code rel} starts with {@code /}, or is empty for the object). */
    public String ptr(String rel) {
        return base + rel;
    }

    /** The file's display path. */
    public String file() {
        return doc.source().path();
    }

    /** The range of the value at a field of this object (nearest existing ancestor when absent). */
    public Range range(String rel) {
        return doc.rangeOf(ptr(rel));
    }

    /** The range of the key of a field of this object (nearest existing ancestor when absent). */
    public Range keyRange(String rel) {
        return doc.keyRangeOf(ptr(rel));
    }
}
