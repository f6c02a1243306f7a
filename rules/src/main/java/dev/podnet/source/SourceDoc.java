package dev.podnet.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;

/**
 * One parsed document: a JSON file, or one document of a (multi-document) YAML stream. The value tree is a
 * Jackson {@link JsonNode}; every node is addressed by its RFC 6901 JSON pointer ({@code ""} is the root,
 * {@code /plugins/0/ipam/subnet} a nested value) and both its value range and, for object members, its key
 * range are kept so diagnostics can point at exactly the right characters.
 *
 * @param source      the file this document came from
 * @param index       zero-based position of the document in its stream (0 for JSON)
 * @param root        the value tree (never null; {@link MissingNode} for an empty YAML document)
 * @param valueRanges JSON pointer to the range of the value
 * @param keyRanges   JSON pointer of an object member to the range of its key
 * @param docRange    the range of the whole document
 */
public record SourceDoc(SourceText source, int index, JsonNode root, Map<String, Range> valueRanges,
                        Map<String, Range> keyRanges, Range docRange) {

    /** The value at a JSON pointer, or a {@link MissingNode}. */
    public JsonNode at(String pointer) {
        return root.at(pointer);
    }

    /**
     * The best range for a finding about the value at {@code pointer}: the value's own range if the pointer
     * exists, else the nearest existing ancestor's key (or value) range, else the document start.
     */
    public Range rangeOf(String pointer) {
        Range r = valueRanges.get(pointer);
        if (r != null) {
            return r;
        }
        return keyRangeOf(parent(pointer));
    }

    /**
     * The range of the key naming the member at {@code pointer} (for a finding about "this field"); for array
     * elements and the root, the value range; for a missing pointer, the nearest existing ancestor.
     */
    public Range keyRangeOf(String pointer) {
        String p = pointer;
        while (true) {
            Range k = keyRanges.get(p);
            if (k != null) {
                return k;
            }
            Range v = valueRanges.get(p);
            if (v != null) {
                return p.isEmpty() ? firstLine(v) : v;
            }
            if (p.isEmpty()) {
                return docRange;
            }
            p = parent(p);
        }
    }

    private Range firstLine(Range v) {
        if (v.startLine() == v.endLine()) {
            return v;
        }
        return new Range(v.startLine(), v.startChar(), v.startLine(), source.line(v.startLine()).length());
    }

    /** The parent of a JSON pointer ({@code ""} for top-level members and the root). */
    public static String parent(String pointer) {
        int i = pointer.lastIndexOf('/');
        return i <= 0 ? "" : pointer.substring(0, i);
    }

    /** Appends one reference token to a pointer, escaping {@code ~} and {@code /} as RFC 6901 requires. */
    public static String child(String pointer, String token) {
        String t = token.indexOf('~') < 0 && token.indexOf('/') < 0 ? token
                : token.replace("~", "~0").replace("/", "~1");
        return new StringBuilder(pointer.length() + 1 + t.length()).append(pointer).append('/').append(t).toString();
    }

    /** Appends an array index to a pointer. */
    public static String child(String pointer, int index) {
        return new StringBuilder(pointer.length() + 4).append(pointer).append('/').append(index).toString();
    }
}
