package dev.podnet.dataplane.netfilter;

import java.util.List;

/**
 * The result of walking one packet through a node's netfilter hooks.
 *
 * @param outcome  ACCEPT (delivered to its destination), DROP, REJECT or UNKNOWN (a rule the evaluator does not
 *                 model was reached and matched as far as it could tell)
 * @param reason   one line naming what decided: the rule (table, chain, number, text), the policy, or the path
 *                 event; for UNKNOWN the rule and the unmodelled option
 * @param trace    every rule that matched, policies applied and path events, in order
 * @param packet   the packet as it was last seen (after NAT and MARK)
 * @param warnings facts about the node that the caller should report (e.g. bridged traffic skipping iptables)
 */
public record Verdict(Outcome outcome, String reason, List<TraceStep> trace, Packet packet, List<String> warnings) {

    /** Final outcomes. */
    public enum Outcome {
        ACCEPT, DROP, REJECT, UNKNOWN
    }

    public Verdict {
        trace = List.copyOf(trace);
        warnings = List.copyOf(warnings);
    }

    /** The trace as text, one step per line. */
    public String traceText() {
        StringBuilder b = new StringBuilder();
        for (TraceStep s : trace) {
            b.append(s).append('\n');
        }
        return b.toString();
    }
}
