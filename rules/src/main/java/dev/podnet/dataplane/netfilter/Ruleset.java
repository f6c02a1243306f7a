package dev.podnet.dataplane.netfilter;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An iptables ruleset as parsed from {@code iptables-save} text by {@link IptablesSaveParser}: tables by name
 * ({@code raw}, {@code mangle}, {@code nat}, {@code filter}, ...), and the lines that could not be taken in.
 */
public final class Ruleset {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<ParseProblem> problems;

    Ruleset(Map<String, Table> tables, List<ParseProblem> problems) {
        this.tables.putAll(tables);
        this.problems = List.copyOf(problems);
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Collection<Table> tables() {
        return tables.values();
    }

    /** Lines skipped while parsing (bad syntax, rule for an undeclared chain, ...). */
    public List<ParseProblem> problems() {
        return problems;
    }

    /** Total number of rules in all tables. */
    public int ruleCount() {
        int n = 0;
        for (Table t : tables.values()) {
            for (Chain c : t.chains()) {
                n += c.rules().size();
            }
        }
        return n;
    }
}
