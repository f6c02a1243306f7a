package dev.podnet.dataplane.netfilter;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One table of an iptables-save dump ({@code *filter} ... {@code COMMIT}) with its chains in input order. */
public final class Table {
    private final String name;
    private final Map<String, Chain> chains = new LinkedHashMap<>();

    public Table(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Optional<Chain> chain(String chain) {
        return Optional.ofNullable(chains.get(chain));
    }

    public Collection<Chain> chains() {
        return chains.values();
    }

    void add(Chain c) {
        chains.put(c.name(), c);
    }
}
