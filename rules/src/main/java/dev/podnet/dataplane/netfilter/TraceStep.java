package dev.podnet.dataplane.netfilter;

/**
 * One step of a verdict's trace: a rule that matched (table, chain, 1-based rule number, rule text, what it did),
 * a chain policy that applied (rule number 0), or a path event outside iptables (table {@code ""}, e.g. the
 * hook being entered, the bridge refusing a hairpin, forwarding disabled).
 *
 * @param table  table name, "" for a path event
 * @param chain  chain name, or the hook/event name
 * @param rule   1-based rule number, 0 for a policy or path event
 * @param text   the rule as written, {@code :CHAIN POLICY} for a policy, or the event description
 * @param effect what happened: {@code ACCEPT}, {@code jump X}, {@code mark 0x0 -> 0x4000}, {@code continue}, ...
 */
public record TraceStep(String table, String chain, int rule, String text, String effect) {
    @Override
    public String toString() {
        if (table.isEmpty()) {
            return "[" + chain + "] " + text + (effect.isEmpty() ? "" : " => " + effect);
        }
        return table + " " + chain + (rule > 0 ? " #" + rule : " policy") + ": " + text + " => " + effect;
    }
}
