package dev.podnet.inventory;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Label selector matching with the semantics of {@code metav1.LabelSelector} (apimachinery
 * {@code LabelSelectorAsSelector}): {@code matchLabels} and every {@code matchExpressions} requirement are ANDed;
 * {@code In}/{@code NotIn} compare against {@code values}; {@code NotIn} and {@code DoesNotExist} match objects that
 * lack the key; an empty selector ({@code {}}) matches everything. An unknown operator matches nothing (the API
 * server rejects it; the validation rules report it).
 */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * The key of one label in an index of objects by label ({@code key NUL value}: no label key or value holds a NUL,
     * so two labels never share a key).
     */
    public static String indexKey(String key, String value) {
        return key + "\u0000" + value;
    }

    /**
     * The {@link #indexKey} of the first {@code matchLabels} pair, the one label every object a selector matches
     * carries, so an index lookup gives a superset of the matches; null when there is no such pair (no or empty
     * {@code matchLabels}, or a null key or value): then every object is a candidate.
     */
    public static String firstIndexKey(Map<String, String> matchLabels) {
        if (matchLabels == null || matchLabels.isEmpty()) {
            return null;
        }
        Map.Entry<String, String> first = matchLabels.entrySet().iterator().next();
        return first.getKey() == null || first.getValue() == null ? null : indexKey(first.getKey(), first.getValue());
    }

    /**
     * True when every label of an equality-based selector (a Service's {@code spec.selector}, a map) is on the pod
     * with the same value; an empty map matches everything (callers treat a Service without selector apart).
     */
    public static boolean matchesAll(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector matches the labels. A null selector is treated as empty (matches everything). */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> ml = selector.getMatchLabels();
        if (ml != null) {
            for (Map.Entry<String, String> e : ml.entrySet()) {
                // A null value (`app:` with nothing after it) is decoded by the API server as "".
                String want = e.getValue() == null ? "" : e.getValue();
                if (!want.equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
        if (exprs != null) {
            for (LabelSelectorRequirement r : exprs) {
                if (!matches(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One requirement. */
    public static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String key = r.getKey();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> false;
        };
    }

    /** True when the selector is present and has no requirement at all ({@code {}}: matches everything). */
    public static boolean isEmpty(LabelSelector selector) {
        return selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }
}
