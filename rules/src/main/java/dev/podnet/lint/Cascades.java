package dev.podnet.lint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops cascading findings: a semantic warning or info about a field that a validation rule already reports as
 * an error. The API server (or the runtime) rejects such a field, so a second finding that reasons about its
 * meaning (a port no pod declares, because its protocol is written {@code tcp}; a selector that matches no pod,
 * because its label value is invalid) only repeats the first one, often confusingly.
 *
 * <p>Validation rules are those of the families in {@link RuleRegistry#VALIDATION_FAMILIES} (syntax, CNI schema,
 * NetworkPolicy API validation, inventory validation). Each error of theirs, reported at a JSON pointer, marks an
 * <em>element</em> of its document as invalid: the deepest array element that holds the pointer (a port entry
 * {@code /spec/ingress/0/ports/1}, a peer {@code /spec/egress/0/to/0}, a plugin {@code /plugins/0}), where the
 * arrays inside a label selector or an ipBlock ({@code matchExpressions}, {@code values}, {@code except}) and the
 * {@code items} of a {@code List} document do not count as elements of their own; when there is no such element,
 * the object's field at the first two levels ({@code /spec/podSelector}, {@code /metadata/name}). A warning or info
 * of any other family reported at a pointer inside an invalid element of the same document is dropped. Findings
 * reported at an explicit range (not at a pointer) are never dropped; an error about a whole object (at the
 * document root) and an error of a rule switched off for the run mark nothing. "Error" is the rule's default
 * severity (a severity override in the configuration does not change what cascades).
 *
 * <p>Also dropped: a finding that another rule's finding on the same manifest object already covers
 * ({@link #COVERED_BY}): RCH003 (pods cannot reach the cluster DNS, from the simulation) when NP047 or NP048 (the
 * policy's own egress rules leave DNS out, with a quick fix) is reported for the same policy; NP046 (the policy
 * denies all traffic in a direction) when NP040 (it selects no pod, so it denies nothing) is. When the covering
 * rules are switched off for the run, the covered finding stays.
 */
final class Cascades {
    /** Arrays whose entries are part of one larger field, not elements of their own. */
    private static final Set<String> PART_ARRAYS = Set.of("matchExpressions", "values", "except");

    /** Rule to the rules whose finding on the same manifest object makes its finding redundant. */
    static final Map<String, Set<String>> COVERED_BY = Map.of("RCH003", Set.of("NP047", "NP048"),
            "NP046", Set.of("NP040"));

    private final RuleRegistry registry;
    private final Map<Diagnostic, Site> sites = new IdentityHashMap<>();

    private record Site(SourceDoc doc, String pointer) {
    }

    Cascades(RuleRegistry registry) {
        this.registry = registry;
    }

    /** Remembers where a finding was reported (the check families report concurrently). */
    synchronized void site(Diagnostic d, SourceDoc doc, String pointer) {
        sites.put(d, new Site(doc, pointer));
    }

    /**
     * The findings without the cascading ones, in the same order.
     *
     * @param disabled rules switched off for this run: their errors mark nothing
     */
    synchronized List<Diagnostic> filter(List<Diagnostic> all, Set<String> disabled) {
        Map<SourceDoc, List<String>> invalid = new IdentityHashMap<>();
        for (Map.Entry<Diagnostic, Site> e : sites.entrySet()) {
            Diagnostic d = e.getKey();
            if (d.severity() == Severity.ERROR && registry.isValidation(d.rule()) && !disabled.contains(d.rule())) {
                String el = element(e.getValue().doc().root(), e.getValue().pointer());
                if (el != null) {
                    invalid.computeIfAbsent(e.getValue().doc(), k -> new ArrayList<>()).add(el);
                }
            }
        }
        // manifest objects (by identity) to the covering rules reported on them
        Map<JsonNode, Set<String>> covering = new IdentityHashMap<>();
        for (Map.Entry<Diagnostic, Site> e : sites.entrySet()) {
            String rule = e.getKey().rule();
            if (!disabled.contains(rule) && COVERED_BY.values().stream().anyMatch(c -> c.contains(rule))) {
                covering.computeIfAbsent(LintEngine.objectAt(e.getValue().doc().root(), e.getValue().pointer()),
                        k -> new java.util.HashSet<>()).add(rule);
            }
        }
        if (invalid.isEmpty() && covering.isEmpty()) {
            return all;
        }
        List<Diagnostic> out = new ArrayList<>(all.size());
        for (Diagnostic d : all) {
            Site s = sites.get(d);
            if (s != null && COVERED_BY.containsKey(d.rule())) {
                Set<String> on = covering.get(LintEngine.objectAt(s.doc().root(), s.pointer()));
                if (on != null && on.stream().anyMatch(COVERED_BY.get(d.rule())::contains)) {
                    continue;
                }
            }
            if (s != null && d.severity() != Severity.ERROR && !registry.isValidation(d.rule())
                    && invalid.containsKey(s.doc()) && inside(s.pointer(), invalid.get(s.doc()))) {
                continue;
            }
            out.add(d);
        }
        return out;
    }

    private static boolean inside(String pointer, List<String> elements) {
        for (String e : elements) {
            if (pointer.equals(e) || pointer.startsWith(e + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The invalid element an error at {@code pointer} marks (see the class comment); null for an error about a
     * whole object (its pointer is the document root or a {@code List} item), which marks no field.
     *
     * @param root the document's root (to recognise {@code List} documents)
     */
    static String element(JsonNode root, String pointer) {
        List<String> tokens = new ArrayList<>(List.of(pointer.isEmpty() ? new String[0]
                : pointer.substring(1).split("/", -1)));
        int start = 0;
        JsonNode obj = root;
        // skip the items/N of (nested) List documents: the object is the unit, not the list entry
        while (tokens.size() >= start + 2 && tokens.get(start).equals("items") && tokens.get(start + 1)
                .matches("[0-9]+") && obj.path("kind").asText("").endsWith("List") && obj.path("items").isArray()) {
            obj = obj.path("items").path(Integer.parseInt(tokens.get(start + 1)));
            start += 2;
        }
        if (tokens.size() == start) {
            return null;
        }
        int cut = -1;
        for (int i = start + 1; i < tokens.size(); i++) {
            if (tokens.get(i).matches("[0-9]+") && !PART_ARRAYS.contains(tokens.get(i - 1))) {
                cut = i;
            }
        }
        int end = cut >= 0 ? cut + 1 : Math.min(tokens.size(), start + 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < end; i++) {
            sb.append('/').append(tokens.get(i));
        }
        return sb.toString();
    }
}
