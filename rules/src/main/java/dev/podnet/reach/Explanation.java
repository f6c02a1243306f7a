package dev.podnet.reach;

import dev.podnet.reach.CompiledPolicy.Rule;
import dev.podnet.source.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why one connection is allowed or denied: the verdict, and for each end the policies that isolate it and the
 * rule that admits the connection (with its source range, so an editor can jump to it), or the reason no policy
 * applies.
 *
 * @param from     the source
 * @param to       the destination
 * @param probe    port and protocol (at the destination)
 * @param allowed  the verdict
 * @param shortcut why no policy was consulted ({@link Shortcut#NONE} when both sides were evaluated)
 * @param egress   the source's egress side (not applicable when the source is not a pod)
 * @param ingress  the destination's ingress side (not applicable when the destination is not a pod)
 */
public record Explanation(Endpoint from, Endpoint to, Probe probe, boolean allowed, Shortcut shortcut, Side egress,
                          Side ingress) {

    /** Connections allowed without looking at any policy. */
    public enum Shortcut {
        /** Both sides were evaluated. */
        NONE,
        /** A pod connecting to its own IP (kubernetes.io "a pod cannot block access to itself"). */
        SELF,
        /** Traffic between a pod and the node it runs on ("traffic to and from the node ... is always allowed"). */
        NODE,
        /** The project file says nothing enforces NetworkPolicy ({@code policyEnforcement: none}/{@code flannel}). */
        NO_ENFORCEMENT
    }

    /**
     * One side of the verdict.
     *
     * @param direction egress (the source's) or ingress (the destination's)
     * @param applies   false when this end is not a pod, so no policy can apply
     * @param isolating the policies that select the pod and list this direction (empty: not isolated)
     * @param allowedBy the first rule (in policy then rule order) that admits the connection, or null
     */
    public record Side(Direction direction, boolean applies, List<CompiledPolicy> isolating, Rule allowedBy) {

        /** True when this side lets the connection through. */
        public boolean allowed() {
            return !applies || isolating.isEmpty() || allowedBy != null;
        }

        static Side notApplicable(Direction d) {
            return new Side(d, false, List.of(), null);
        }
    }

    /** {@code allow} or {@code deny}. */
    public String verdict() {
        return allowed ? "allow" : "deny";
    }

    /** The rule that decided a side, if it was allowed by one (egress first). */
    public List<Rule> allowingRules() {
        List<Rule> out = new ArrayList<>();
        if (egress.allowedBy() != null) {
            out.add(egress.allowedBy());
        }
        if (ingress.allowedBy() != null) {
            out.add(ingress.allowedBy());
        }
        return out;
    }

    /** The explanation as text lines: the headline, then one line per side. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(from.label() + " -> " + to.label() + " " + probe + ": " + verdict());
        switch (shortcut) {
            case SELF -> out.add("  a pod connecting to its own IP is not subject to NetworkPolicy");
            case NODE -> out.add("  traffic between a pod and the node it runs on is always allowed");
            case NO_ENFORCEMENT -> out.add("  nothing enforces NetworkPolicy in this cluster (podnet.yaml "
                    + "cluster.policyEnforcement), so no policy has an effect");
            case NONE -> {
                out.add("  " + side(egress, from));
                out.add("  " + side(ingress, to));
            }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    /** The explanation on one line (for tooltips and diagnostics). */
    public String summary() {
        List<String> l = lines();
        return l.subList(1, l.size()).stream().map(String::strip).collect(Collectors.joining("; "));
    }

    private String side(Side s, Endpoint who) {
        String dir = s.direction().field();
        if (!s.applies()) {
            return dir + ": " + who.label() + " is not a pod, no policy applies";
        }
        if (s.isolating().isEmpty()) {
            return dir + " of " + who.label() + ": not isolated (no NetworkPolicy with " + s.direction().policyType()
                    + " selects it)";
        }
        String by = s.isolating().stream().map(p -> p.key() + where(p)).collect(Collectors.joining(", "));
        if (s.allowedBy() != null) {
            Rule r = s.allowedBy();
            return dir + " of " + who.label() + ": isolated by " + by + "; allowed by " + r.label() + at(r);
        }
        return dir + " of " + who.label() + ": isolated by " + by + "; no " + dir + " rule of these policies allows "
                + (s.direction() == Direction.EGRESS ? "it to reach " + to.label() : from.label()) + " on " + probe;
    }

    private static String where(CompiledPolicy p) {
        if (p.info().source() == null) {
            return "";
        }
        Range r = p.info().source().range("");
        return " (" + p.info().source().file() + ":" + (r.startLine() + 1) + ")";
    }

    private static String at(Rule r) {
        Range range = r.range();
        return range == null ? "" : " (" + r.policy().source().file() + ":" + (range.startLine() + 1) + ":"
                + (range.startChar() + 1) + ")";
    }
}
