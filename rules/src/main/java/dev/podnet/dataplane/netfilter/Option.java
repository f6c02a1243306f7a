package dev.podnet.dataplane.netfilter;

import java.util.List;

/**
 * One option of a rule as written: {@code [!] --name arg...}.
 *
 * @param name    option with its dashes, e.g. {@code --dport}
 * @param negated true when preceded by {@code !}
 * @param args    its arguments (quotes removed)
 */
public record Option(String name, boolean negated, List<String> args) {
    public Option {
        args = List.copyOf(args);
    }

    /** The first argument, or "" when there is none. */
    public String arg() {
        return args.isEmpty() ? "" : args.get(0);
    }

    /** The option as iptables-save prints it. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (negated) {
            b.append("! ");
        }
        b.append(name);
        for (String a : args) {
            b.append(' ').append(a.isEmpty() || a.contains(" ") ? "\"" + a + "\"" : a);
        }
        return b.toString();
    }
}
