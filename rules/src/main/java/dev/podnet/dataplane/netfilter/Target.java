package dev.podnet.dataplane.netfilter;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * The target of a rule ({@code -j NAME [options]} or {@code -g CHAIN}), interpreted at parse time.
 *
 * @param kind        what it does
 * @param name        the target or chain name as written ("" for a rule without target)
 * @param options     its options as written
 * @param markAnd     MARK: the mark becomes {@code (mark & markAnd) ^ markXor}
 * @param markXor     MARK: see markAnd
 * @param natAddress  SNAT/DNAT: the new address (null to keep it)
 * @param natPort     SNAT/DNAT/MASQUERADE: the new port, -1 to keep it
 * @param unsupported for {@link Kind#UNSUPPORTED}: why
 */
public record Target(Kind kind, String name, List<Option> options, long markAnd, long markXor, IPAddress natAddress,
                     int natPort, String unsupported) {

    /** Target kinds the evaluator models. */
    public enum Kind {
        /** No {@code -j}: the rule only counts. */
        NONE, ACCEPT, DROP, REJECT, RETURN, JUMP, GOTO, MARK, MASQUERADE, SNAT, DNAT, LOG, NFLOG, UNSUPPORTED
    }

    public Target {
        options = List.copyOf(options);
    }

    /** True when the target ends the traversal of the current table (or the packet). */
    public boolean terminal() {
        return switch (kind) {
            case ACCEPT, DROP, REJECT, MASQUERADE, SNAT, DNAT -> true;
            default -> false;
        };
    }

    /** The target as written, e.g. {@code -j MARK --set-xmark 0x4000/0x4000}. */
    public String text() {
        if (kind == Kind.NONE) {
            return "";
        }
        StringBuilder b = new StringBuilder(kind == Kind.GOTO ? "-g " : "-j ").append(name);
        for (Option o : options) {
            b.append(' ').append(o.text());
        }
        return b.toString();
    }
}
