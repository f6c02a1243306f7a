package dev.podnet.dataplane.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of a table: a built-in chain has a policy ({@code ACCEPT}/{@code DROP}), a user chain has none.
 * Counters are those of the {@code :NAME POLICY [packets:bytes]} line.
 */
public final class Chain {
    private final String name;
    private final String policy;
    private final long packets;
    private final long bytes;
    private final List<Rule> rules = new ArrayList<>();

    /**
     * @param name    chain name
     * @param policy  {@code ACCEPT}/{@code DROP} for a built-in chain, null for a user chain
     * @param packets policy packet counter
     * @param bytes   policy byte counter
     */
    public Chain(String name, String policy, long packets, long bytes) {
        this.name = name;
        this.policy = policy;
        this.packets = packets;
        this.bytes = bytes;
    }

    public String name() {
        return name;
    }

    /** The policy, or null for a user-defined chain. */
    public String policy() {
        return policy;
    }

    /** True for a built-in chain (has a policy). */
    public boolean builtin() {
        return policy != null;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** The rules in order (rule N is at index N-1). */
    public List<Rule> rules() {
        return rules;
    }

    void insert(int position, Rule r) {
        rules.add(position, r);
    }

    /** Sets each rule's number to its position (after inserts). */
    void renumber() {
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.number() != i + 1) {
                rules.set(i, new Rule(r.table(), r.chain(), i + 1, r.line(), r.text(), r.matches(), r.target(),
                        r.packets(), r.bytes()));
            }
        }
    }
}
