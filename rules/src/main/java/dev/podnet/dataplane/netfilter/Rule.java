package dev.podnet.dataplane.netfilter;

import java.util.List;

/**
 * One rule of a chain.
 *
 * @param table   table name
 * @param chain   chain name
 * @param number  1-based position in the chain (as {@code iptables -L --line-numbers})
 * @param line    1-based line in the iptables-save text
 * @param text    the rule as written ({@code -A CHAIN ...}, without a leading counter)
 * @param matches its conditions in order
 * @param target  its target
 * @param packets packet counter ({@code [p:b]} prefix or {@code -c}), 0 when absent
 * @param bytes   byte counter, 0 when absent
 */
public record Rule(String table, String chain, int number, int line, String text, List<Match> matches,
                   Target target, long packets, long bytes) {
    public Rule {
        matches = List.copyOf(matches);
    }
}
