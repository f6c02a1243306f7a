package dev.podnet.ruleset;

import java.util.List;

/**
 * A generated NetworkPolicy data plane for one node.
 *
 * @param filterRules   {@code iptables-restore --noflush} input for the filter table: declarations and rules of the
 *                      {@code PODNET-} chains only (declaring a chain flushes it; no built-in chain is touched)
 * @param entryJumps    the rules that enter podnet's chains from the built-in chains, each as an
 *                      {@code iptables} rule spec such as {@code -I FORWARD 1 -j PODNET-FORWARD}; kept apart so the
 *                      apply step can ensure each exists exactly once
 * @param natRules      kube-proxy-style nat table for the inventory's Services ({@code PODNET-SVC-} chains: ClusterIP
 *                      DNAT, masquerade when the endpoint is the source), for simulation; "" when there is no Service
 * @param ipsetRules    {@code ipset restore} input: one {@code create} line per set followed by its {@code add} lines
 * @param sets          names of the sets, in creation order
 * @param chains        names of the filter chains, in declaration order
 * @param ruleCount     number of filter rules (without entry jumps)
 */
public record Ruleset(String filterRules, List<String> entryJumps, String natRules, String ipsetRules,
                      List<String> sets, List<String> chains, int ruleCount) {

    /** The filter rules with the entry jumps appended, as one {@code iptables-restore --noflush} file. */
    public String filterRulesWithJumps() {
        StringBuilder sb = new StringBuilder(filterRules);
        int commit = sb.lastIndexOf("COMMIT");
        StringBuilder jumps = new StringBuilder();
        for (String j : entryJumps) {
            jumps.append(j).append('\n');
        }
        sb.insert(commit, jumps);
        return sb.toString();
    }
}
