package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.NodeNetwork;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The match conditions the evaluator models, compiled from rule options. Semantics follow iptables(8) and
 * iptables-extensions(8); the physdev logic follows the kernel's {@code net/netfilter/xt_physdev.c}.
 * Anything else compiles to an {@link #unsupported} match that tests UNKNOWN.
 */
public final class Matches {
    private Matches() {
    }

    private record Simple(String text, Tester tester) implements Match {
        @Override
        public Truth test(Packet p, MatchContext ctx, String[] why) {
            return tester.test(p, ctx, why);
        }
    }

    /**
     * A non-negated {@code -s}/{@code -d} of one IPv4 host address (/32): the evaluator indexes runs of rules that
     * start with such a match, so long per-pod dispatch chains are not scanned linearly.
     *
     * @param text   the option as written
     * @param source true for {@code -s}
     * @param value  the address as an unsigned 32-bit value
     */
    public record HostAddressMatch(String text, boolean source, long value) implements Match {
        @Override
        public Truth test(Packet p, MatchContext ctx, String[] why) {
            IPAddress a = source ? p.src() : p.dst();
            return Truth.of(a.isIPv4() && a.toIPv4().longValue() == value);
        }
    }

    @FunctionalInterface
    private interface Tester {
        Truth test(Packet p, MatchContext ctx, String[] why);
    }

    /** A match that always tests UNKNOWN with {@code reason}. */
    public static Match unsupported(String text, String reason) {
        return new Simple(text, (p, c, why) -> {
            why[0] = reason;
            return Truth.UNKNOWN;
        });
    }

    private static Match neg(Option o, String text, Tester t) {
        return new Simple(text, o.negated() ? (p, c, w) -> t.test(p, c, w).not() : t);
    }

    /** {@code [!] -s/-d addr[/mask][,addr...]}: list entries are alternatives. */
    static Match address(Option o, boolean source) {
        List<IPAddress> blocks = new ArrayList<>();
        for (String part : o.arg().split(",")) {
            blocks.add(parseMaskedBlock(part));
        }
        if (blocks.size() == 1 && blocks.get(0).isIPv4() && !o.negated()
                && blocks.get(0).getCount().intValue() == 1) {
            return new HostAddressMatch(o.text(), source, blocks.get(0).getLower().toIPv4().longValue());
        }
        if (blocks.size() == 1 && blocks.get(0).isIPv4()) {
            // fast path: one IPv4 block as a numeric range
            long lo = blocks.get(0).getLower().toIPv4().longValue();
            long hi = blocks.get(0).getUpper().toIPv4().longValue();
            return neg(o, o.text(), (p, c, w) -> {
                IPAddress a = source ? p.src() : p.dst();
                if (!a.isIPv4()) {
                    return Truth.NO;
                }
                long v = a.toIPv4().longValue();
                return Truth.of(v >= lo && v <= hi);
            });
        }
        return neg(o, o.text(), (p, c, w) -> {
            IPAddress a = source ? p.src() : p.dst();
            for (IPAddress b : blocks) {
                if (Addresses.contains(b, a)) {
                    return Truth.YES;
                }
            }
            return Truth.NO;
        });
    }

    private static IPAddress parseMaskedBlock(String s) {
        int slash = s.indexOf('/');
        if (slash > 0 && s.substring(slash + 1).contains(".")) {
            // dotted netmask: 10.0.0.0/255.255.0.0
            IPAddress mask = Addresses.address(s.substring(slash + 1));
            Integer len = mask.getBlockMaskPrefixLength(true);
            if (len == null) {
                throw new IllegalArgumentException("non-contiguous netmask " + s);
            }
            return Addresses.block(s.substring(0, slash) + "/" + len);
        }
        return Addresses.block(s);
    }

    /** {@code [!] -i/-o name}: {@code +} at the end matches any name with that prefix. */
    static Match iface(Option o, boolean in) {
        String pattern = o.arg();
        return neg(o, o.text(), (p, c, w) -> {
            String name = in ? p.inInterface() : p.outInterface();
            return Truth.of(name != null && ifaceMatches(pattern, name));
        });
    }

    static boolean ifaceMatches(String pattern, String name) {
        if (pattern.endsWith("+")) {
            return name.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return name.equals(pattern);
    }

    /** {@code [!] -p proto} (name or number; {@code all}/0 matches every protocol). */
    static Match protocol(Option o) {
        String proto = protocolName(o.arg());
        return neg(o, o.text(), (p, c, w) -> Truth.of(proto.equals("all") || proto.equals(p.protocol())));
    }

    /** Protocol name for a number or name (6 = tcp, 17 = udp, 1 = icmp, 58 = ipv6-icmp, 132 = sctp). */
    public static String protocolName(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "0", "all" -> "all";
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "58", "icmpv6" -> "ipv6-icmp";
            case "132" -> "sctp";
            case "136" -> "udplite";
            default -> v;
        };
    }

    /**
     * Compiles the options of match module {@code module} (as loaded by {@code -m module}, or implicitly by
     * {@code -p tcp/udp/sctp}).
     */
    static List<Match> module(String module, List<Option> opts) {
        List<Match> out = new ArrayList<>();
        String m = module.toLowerCase(Locale.ROOT);
        if (opts.isEmpty() && Set.of("tcp", "udp", "sctp", "udplite", "comment", "limit", "icmp").contains(m)) {
            return out;
        }
        for (Option o : opts) {
            String text = "-m " + module + " " + o.text();
            Match x = switch (m) {
                case "tcp", "udp", "sctp", "udplite" -> portOption(m, o, text);
                case "multiport" -> multiport(o, text);
                case "set" -> set(o, text);
                case "conntrack" -> o.name().equals("--ctstate") ? ctstate(o, text) : null;
                case "state" -> o.name().equals("--state") ? ctstate(o, text) : null;
                case "physdev" -> physdev(o, text);
                case "mark" -> o.name().equals("--mark") ? mark(o, text) : null;
                case "comment" -> o.name().equals("--comment") ? new Simple(text, (p, c, w) -> Truth.YES) : null;
                case "limit" -> Set.of("--limit", "--limit-burst").contains(o.name()) && !o.negated()
                        ? new Simple(text, (p, c, w) -> Truth.YES) : null;
                case "addrtype" -> addrtype(o, text);
                default -> unsupported(text, "match module '" + module + "' is not modelled");
            };
            out.add(x != null ? x : unsupported(text, "option " + o.name() + " of match '" + module
                    + "' is not modelled"));
        }
        return out;
    }

    private static Match portOption(String proto, Option o, String text) {
        boolean src = Set.of("--sport", "--source-port").contains(o.name());
        boolean dst = Set.of("--dport", "--destination-port").contains(o.name());
        if (!src && !dst) {
            return null;
        }
        int[] r = portRange(o.arg());
        return neg(o, text, (p, c, w) -> {
            if (!p.protocol().equals(proto)) {
                return Truth.NO;
            }
            int port = src ? p.sport() : p.dport();
            return Truth.of(port >= r[0] && port <= r[1]);
        });
    }

    /** {@code N}, {@code N:M}, {@code :M}, {@code N:} (iptables port range syntax). */
    static int[] portRange(String s) {
        try {
            int colon = s.indexOf(':');
            if (colon < 0) {
                int v = Integer.parseInt(s);
                return new int[] {v, v};
            }
            String a = s.substring(0, colon);
            String b = s.substring(colon + 1);
            return new int[] {a.isEmpty() ? 0 : Integer.parseInt(a), b.isEmpty() ? 65535 : Integer.parseInt(b)};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s + "' is not a number or range");
        }
    }

    private static Match multiport(Option o, String text) {
        String n = o.name();
        boolean src = Set.of("--sports", "--source-ports").contains(n);
        boolean dst = Set.of("--dports", "--destination-ports").contains(n);
        boolean any = n.equals("--ports");
        if (!src && !dst && !any) {
            return null;
        }
        List<int[]> ranges = new ArrayList<>();
        for (String part : o.arg().split(",")) {
            ranges.add(portRange(part));
        }
        return neg(o, text, (p, c, w) -> {
            if (!p.hasPorts()) {
                return Truth.NO;
            }
            for (int[] r : ranges) {
                boolean s = p.sport() >= r[0] && p.sport() <= r[1];
                boolean d = p.dport() >= r[0] && p.dport() <= r[1];
                if ((src && s) || (dst && d) || (any && (s || d))) {
                    return Truth.YES;
                }
            }
            return Truth.NO;
        });
    }

    private static Match set(Option o, String text) {
        if (!o.name().equals("--match-set") || o.args().size() != 2) {
            return null;
        }
        String name = o.args().get(0);
        List<String> flags = Arrays.asList(o.args().get(1).split(","));
        for (String f : flags) {
            if (!f.equals("src") && !f.equals("dst")) {
                return unsupported(text, "--match-set flag '" + f + "' is not src or dst");
            }
        }
        return neg(o, text, (p, c, w) -> c.ipsets().test(name, flags, p, w));
    }

    private static Match ctstate(Option o, String text) {
        List<String> states = Arrays.asList(o.arg().toUpperCase(Locale.ROOT).split(","));
        for (String s : states) {
            if (!Set.of("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED").contains(s)) {
                return unsupported(text, "conntrack state " + s + " is not modelled");
            }
        }
        return neg(o, text, (p, c, w) -> Truth.of(states.contains(p.ctState().name())));
    }

    private static Match physdev(Option o, String text) {
        String n = o.name();
        boolean inv = o.negated();
        switch (n) {
            case "--physdev-in", "--physdev-out", "--physdev-is-in", "--physdev-is-out", "--physdev-is-bridged" -> {
            }
            default -> {
                return null;
            }
        }
        return new Simple(text, (p, c, w) -> {
            boolean bridgeInfo = p.physdevIn() != null || p.physdevOut() != null;
            if (!bridgeInfo) {
                // xt_physdev: without bridge info only inverted options match
                return Truth.of(inv);
            }
            return switch (n) {
                case "--physdev-is-bridged" -> Truth.of((p.physdevOut() != null && p.physdevBridged()) != inv);
                case "--physdev-is-in" -> Truth.of((p.physdevIn() != null) != inv);
                case "--physdev-is-out" -> Truth.of((p.physdevOut() != null) != inv);
                case "--physdev-in" -> p.physdevIn() == null ? Truth.YES
                        : Truth.of(ifaceMatches(o.arg(), p.physdevIn()) != inv);
                default -> p.physdevOut() == null ? Truth.YES
                        : Truth.of(ifaceMatches(o.arg(), p.physdevOut()) != inv);
            };
        });
    }

    /** {@code value[/mask]} in hex or decimal as a pair {value, mask}; mask defaults to 0xffffffff. */
    static long[] valueMask(String s) {
        try {
            int slash = s.indexOf('/');
            long v = Long.decode(slash < 0 ? s : s.substring(0, slash));
            long m = slash < 0 ? 0xffffffffL : Long.decode(s.substring(slash + 1));
            return new long[] {v & 0xffffffffL, m & 0xffffffffL};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mark '" + s + "' is not value[/mask]");
        }
    }

    private static Match mark(Option o, String text) {
        long[] vm = valueMask(o.arg());
        return neg(o, text, (p, c, w) -> Truth.of((p.mark() & vm[1]) == vm[0]));
    }

    private static Match addrtype(Option o, String text) {
        boolean src = o.name().equals("--src-type");
        if (!src && !o.name().equals("--dst-type")) {
            return null;
        }
        List<String> types = Arrays.asList(o.arg().toUpperCase(Locale.ROOT).split(","));
        for (String t : types) {
            if (!Set.of("LOCAL", "UNICAST", "BROADCAST", "MULTICAST").contains(t)) {
                return unsupported(text, "address type " + t + " is not modelled");
            }
        }
        return neg(o, text, (p, c, w) -> {
            NodeNetwork node = c.node();
            if (node == null) {
                w[0] = "addrtype needs the node's addresses, which were not given";
                return Truth.UNKNOWN;
            }
            String type = addressType(node, src ? p.src() : p.dst());
            return Truth.of(types.contains(type));
        });
    }

    /** The routing type of {@code a} on {@code node}: LOCAL, BROADCAST, MULTICAST or UNICAST. */
    static String addressType(NodeNetwork node, IPAddress a) {
        if (node.isLocal(a)) {
            return "LOCAL";
        }
        if (a.isMulticast()) {
            return "MULTICAST";
        }
        if (node.isBroadcast(a)) {
            return "BROADCAST";
        }
        return "UNICAST";
    }
}
