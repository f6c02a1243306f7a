package dev.podnet.netpol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The API server's label checks on a raw manifest tree, shared by the NetworkPolicy validation (selectors and
 * policy labels) and the inventory validation (Pod, pod template, Namespace labels, Service selectors): after
 * apimachinery {@code ValidateLabels} (keys are qualified names, {@code IsQualifiedName}; values
 * {@code IsValidLabelValue}) and what the JSON decoder does with a map of strings (a number or boolean value is
 * rejected; an empty value becomes {@code ""}). YAML 1.1 booleans written without quotes ({@code yes}, {@code on})
 * are strings for podnet's YAML 1.2 reader but booleans for kubectl's, so they are reported as wrong types.
 */
public final class LabelValidation {
    private LabelValidation() {
    }

    /** Receives one finding: rule id, absolute JSON pointer, whether it is about the key, the message. */
    public interface Sink {
        void report(String rule, String pointer, boolean onKey, String message);
    }

    /**
     * The rule ids to report with.
     *
     * @param key   an invalid key
     * @param value an invalid value
     * @param type  a value that is not a string
     * @param empty a value left empty (null)
     */
    public record Rules(String key, String value, String type, String empty) {
    }

    /** The NetworkPolicy ids (netpol-api.yaml). */
    public static final Rules NETWORK_POLICY = new Rules("NP003", "NP004", "NP019", "NP022");

    /**
     * Checks every key and value of a label map.
     *
     * @param doc   the document (for the quoting of values)
     * @param mp    absolute pointer of the map
     * @param map   the map node (an object)
     * @param what  how messages name the map, e.g. {@code metadata.labels}
     */
    public static void labelMap(SourceDoc doc, String mp, JsonNode map, String what, Rules rules, Sink sink) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String kp = SourceDoc.child(mp, e.getKey());
            List<String> errs = K8sNames.qualifiedName(e.getKey());
            if (!errs.isEmpty()) {
                String fixed = suggestKey(e.getKey());
                sink.report(rules.key(), kp, true, what + " key \"" + e.getKey() + "\" is invalid: " + errs.get(0)
                        + (fixed == null ? "" : "; try \"" + fixed + "\""));
            }
            labelValue(doc, kp, e.getValue(), what + " " + e.getKey(), rules, sink);
        }
    }

    /**
     * Checks one label value.
     *
     * @param vp   absolute pointer of the value
     * @param what how messages name the value
     */
    public static void labelValue(SourceDoc doc, String vp, JsonNode v, String what, Rules rules, Sink sink) {
        if (v == null || v.isNull()) {
            sink.report(rules.empty(), vp, false, what + " has no value, which the API stores as \"\" (it then "
                    + "matches only an empty label value); fill in the value (an empty template variable?) or "
                    + "quote \"\"");
            return;
        }
        if (v.isContainerNode()) {
            // nothing to quote: a label has one value (a selector matches several with matchExpressions In)
            String type = (v.isObject() ? "an " : "a ") + NetworkPolicyValidation.typeName(v);
            String key = vp.substring(vp.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
            sink.report(rules.type(), vp, false, what + " is " + type + "; label values are strings and the API "
                    + "rejects " + type + ": write one string value"
                    + (what.contains("matchLabels") ? " (to match any of several values use matchExpressions: "
                    + "[{key: " + key + ", operator: In, values: [...]}])" : ""));
            return;
        }
        if (!v.isTextual()) {
            String shown = written(doc, vp, v);
            String type = NetworkPolicyValidation.typeName(v);
            sink.report(rules.type(), vp, false, what + " is a " + type + " (" + shown + "); label values are "
                    + "strings and the API rejects a " + type + ": quote it (\"" + shown + "\")");
            return;
        }
        String s = v.asText();
        Range range = doc.valueRanges().get(vp);
        if (NetworkPolicyValidation.YAML11_BOOLEANS.contains(s) && range != null && isPlain(doc, range)) {
            sink.report(rules.type(), vp, false, what + " is the unquoted word " + s + ", which kubectl's YAML 1.1 "
                    + "reader turns into a boolean and the API rejects; quote it (\"" + s + "\")");
            return;
        }
        List<String> errs = K8sNames.labelValue(s);
        if (!errs.isEmpty()) {
            sink.report(rules.value(), vp, false, what + " value \"" + s + "\" is invalid: " + errs.get(0));
        }
    }

    /** True when the scalar at the range is written without quotes. */
    static boolean isPlain(SourceDoc doc, Range range) {
        String line = doc.source().line(range.startLine());
        if (range.startChar() >= line.length()) {
            return true;
        }
        char c = line.charAt(range.startChar());
        return c != '"' && c != '\'';
    }

    /**
     * A valid label key built from an invalid one, or null when none comes out: the optional prefix (before the
     * last '/') lower-cased into a DNS-1123 subdomain, the name part with characters outside {@code [A-Za-z0-9._-]}
     * replaced by '-' and trimmed to start and end alphanumeric, at most 63 characters (the shape
     * {@link K8sNames#qualifiedName} checks, from apimachinery's IsQualifiedName).
     */
    static String suggestKey(String key) {
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? "" : key.substring(0, slash).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
        String name = key.substring(slash + 1).replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "")
                .replaceAll("[^A-Za-z0-9]+$", "");
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("[^A-Za-z0-9]+$", "");
        }
        if (prefix.length() > 253) {
            prefix = prefix.substring(0, 253).replaceAll("[^a-z0-9]+$", "");
        }
        String out = prefix.isEmpty() ? name : prefix + "/" + name;
        return name.isEmpty() || out.equals(key) || !K8sNames.qualifiedName(out).isEmpty() ? null : out;
    }

    /**
     * A scalar as the file writes it ({@code 1e400}, {@code 0x1F}, {@code yes}), for a "quote it" hint that keeps
     * the author's text; the parsed value's text ({@code 1E+400}) when the range is unknown or spans lines.
     *
     * @param ptr absolute JSON pointer of the value
     */
    static String written(SourceDoc doc, String ptr, JsonNode v) {
        dev.podnet.source.Range r = doc.valueRanges().get(ptr);
        return r != null && r.startLine() == r.endLine() && r.startChar() < r.endChar() ? doc.source().text(r)
                : v.asText();
    }
}
