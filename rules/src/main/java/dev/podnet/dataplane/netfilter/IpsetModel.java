package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ipsets of a node, parsed from {@code ipset save} text ({@code create NAME TYPE [options]} and
 * {@code add NAME ENTRY [options]} lines), with the membership test {@code -m set --match-set} performs.
 *
 * <p>Modelled types (ipset(8)): {@code hash:ip} (single addresses, ranges and CIDRs expand to their addresses),
 * {@code hash:net} (most specific matching entry wins; an entry flagged {@code nomatch} makes the test fail),
 * {@code hash:ip,port}, {@code hash:net,port} (port entries {@code [proto:]port[-port]}, protocol defaults to tcp)
 * and {@code list:set} (a member of any listed set, in order; a nomatch in one member set moves on to the next,
 * as the kernel's {@code ip_set_test} turns nomatch into "not found"). Other types and create options that change
 * matching (e.g. {@code netmask}) make tests on that set {@link Truth#UNKNOWN}.
 */
public final class IpsetModel {

    /** One set. */
    public static final class IpSet {
        private final String name;
        private final String type;
        private final String unsupported;
        private final Set<IPAddress> ips = new HashSet<>();
        private final List<NetEntry> nets = new ArrayList<>();
        private final List<PortEntry> ports = new ArrayList<>();
        private final List<String> members = new ArrayList<>();
        private int entries;

        IpSet(String name, String type, String unsupported) {
            this.name = name;
            this.type = type;
            this.unsupported = unsupported;
        }

        /** Set name. */
        public String name() {
            return name;
        }

        /** Set type, e.g. {@code hash:ip}. */
        public String type() {
            return type;
        }

        /** Number of {@code add} lines taken in. */
        public int size() {
            return entries;
        }

        /** Why tests on this set are UNKNOWN, or null when modelled. */
        public String unsupported() {
            return unsupported;
        }

        /** Member set names of a list:set. */
        public List<String> members() {
            return List.copyOf(members);
        }
    }

    private record NetEntry(IPAddress block, boolean nomatch) {
    }

    private record PortEntry(IPAddress block, String proto, int lo, int hi, boolean nomatch) {
    }

    private final Map<String, IpSet> sets = new LinkedHashMap<>();
    private final List<ParseProblem> problems = new ArrayList<>();

    /** An empty model (no sets). */
    public IpsetModel() {
    }

    /** Parses {@code ipset save} output; bad lines become {@link #problems()} and are skipped. */
    public static IpsetModel parse(String text) {
        IpsetModel m = new IpsetModel();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                m.line(line);
            } catch (IllegalArgumentException e) {
                m.problems.add(new ParseProblem(i + 1, e.getMessage()));
            }
        }
        for (IpSet s : m.sets.values()) {
            s.nets.sort(Comparator.comparingInt((NetEntry n) -> -prefix(n.block)));
            s.ports.sort(Comparator.comparingInt((PortEntry n) -> -prefix(n.block)));
        }
        return m;
    }

    /** The set named {@code name}. */
    public Optional<IpSet> set(String name) {
        return Optional.ofNullable(sets.get(name));
    }

    /** All sets in input order. */
    public List<IpSet> sets() {
        return List.copyOf(sets.values());
    }

    /** Lines that were skipped. */
    public List<ParseProblem> problems() {
        return List.copyOf(problems);
    }

    private static final Set<String> NEUTRAL_CREATE_OPTS = Set.of("family", "hashsize", "maxelem", "timeout",
            "counters", "comment", "skbinfo", "forceadd", "bucketsize", "initval", "size");
    private static final Set<String> VALUED_CREATE_OPTS = Set.of("family", "hashsize", "maxelem", "timeout",
            "bucketsize", "initval", "size", "netmask", "markmask", "range");

    private void line(String line) {
        String[] t = line.split("\\s+");
        switch (t[0]) {
            case "create", "-N", "-exist" -> create(t);
            case "add", "-A" -> add(t);
            default -> throw new IllegalArgumentException("unknown ipset command '" + t[0] + "'");
        }
    }

    private void create(String[] t) {
        if (t.length < 3) {
            throw new IllegalArgumentException("create needs a name and a type");
        }
        String name = t[1];
        String type = t[2].toLowerCase(Locale.ROOT);
        String unsupported = null;
        if (!Set.of("hash:ip", "hash:net", "hash:ip,port", "hash:net,port", "list:set").contains(type)) {
            unsupported = "set type " + type + " is not modelled";
        }
        for (int i = 3; i < t.length; i++) {
            String o = t[i];
            if (!NEUTRAL_CREATE_OPTS.contains(o) && unsupported == null) {
                unsupported = "create option '" + o + "' is not modelled";
            }
            if (VALUED_CREATE_OPTS.contains(o)) {
                i++;
            }
        }
        if (sets.containsKey(name)) {
            throw new IllegalArgumentException("set " + name + " created twice");
        }
        sets.put(name, new IpSet(name, type, unsupported));
    }

    private void add(String[] t) {
        if (t.length < 3) {
            throw new IllegalArgumentException("add needs a set name and an entry");
        }
        IpSet s = sets.get(t[1]);
        if (s == null) {
            throw new IllegalArgumentException("add to undeclared set " + t[1]);
        }
        boolean nomatch = false;
        for (int i = 3; i < t.length; i++) {
            if (t[i].equals("nomatch")) {
                nomatch = true;
            }
        }
        String e = t[2];
        s.entries++;
        switch (s.type) {
            case "hash:ip" -> {
                for (IPAddress a : expand(e)) {
                    s.ips.add(a);
                }
            }
            case "hash:net" -> s.nets.add(new NetEntry(Addresses.block(e), nomatch));
            case "hash:ip,port", "hash:net,port" -> {
                int comma = e.indexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException("entry '" + e + "' of " + s.type + " set " + s.name
                            + " needs ip,port");
                }
                String ipPart = e.substring(0, comma);
                String portPart = e.substring(comma + 1);
                String proto = "tcp";
                int colon = portPart.indexOf(':');
                if (colon >= 0) {
                    proto = portPart.substring(0, colon).toLowerCase(Locale.ROOT);
                    portPart = portPart.substring(colon + 1);
                }
                int[] range = portRange(portPart, e);
                if (s.type.equals("hash:ip,port")) {
                    for (IPAddress a : expand(ipPart)) {
                        s.ports.add(new PortEntry(a.toPrefixBlock(a.getBitCount()), proto, range[0], range[1],
                                false));
                    }
                } else {
                    s.ports.add(new PortEntry(Addresses.block(ipPart), proto, range[0], range[1], nomatch));
                }
            }
            case "list:set" -> s.members.add(e);
            default -> {
                // unsupported type: entries are counted but not interpreted
            }
        }
    }

    private static int prefix(IPAddress block) {
        Integer p = block.getNetworkPrefixLength();
        return p == null ? block.getBitCount() : p;
    }

    private static int[] portRange(String p, String entry) {
        try {
            int dash = p.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
            if (lo < 0 || hi > 65535 || lo > hi) {
                throw new NumberFormatException();
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("port '" + p + "' in entry '" + entry + "' is not a number or range");
        }
    }

    private static List<IPAddress> expand(String e) {
        List<IPAddress> out = new ArrayList<>();
        int dash = e.indexOf('-');
        if (dash > 0 && !e.contains(":")) {
            IPAddress lo = Addresses.address(e.substring(0, dash));
            IPAddress hi = Addresses.address(e.substring(dash + 1));
            for (IPAddress a : lo.toSequentialRange(hi).getIterable()) {
                out.add(Addresses.plain(a));
                if (out.size() > 65536) {
                    throw new IllegalArgumentException("range " + e + " is too large for hash:ip");
                }
            }
            return out;
        }
        if (e.contains("/")) {
            IPAddress b = Addresses.block(e);
            if (b.getCount().longValue() > 65536) {
                throw new IllegalArgumentException("CIDR " + e + " is too large for hash:ip");
            }
            for (IPAddress a : b.getIterable()) {
                out.add(Addresses.plain(a));
            }
            return out;
        }
        out.add(Addresses.address(e));
        return out;
    }

    /**
     * The {@code --match-set NAME FLAGS} test.
     *
     * @param name  set name
     * @param flags dimension flags, each {@code src} or {@code dst}, as given after the set name
     * @param p     the packet
     * @return YES/NO, or UNKNOWN (with {@code why[0]} set) when the set is missing or not modelled
     */
    public Truth test(String name, List<String> flags, Packet p, String[] why) {
        return test(name, flags, p, why, 0);
    }

    private Truth test(String name, List<String> flags, Packet p, String[] why, int depth) {
        IpSet s = sets.get(name);
        if (s == null) {
            why[0] = "ipset " + name + " is not in the ipset model";
            return Truth.UNKNOWN;
        }
        if (s.unsupported != null) {
            why[0] = "ipset " + name + ": " + s.unsupported;
            return Truth.UNKNOWN;
        }
        if (flags.isEmpty()) {
            why[0] = "--match-set " + name + " has no src/dst flags";
            return Truth.UNKNOWN;
        }
        IPAddress ip = flags.get(0).equals("src") ? p.src() : p.dst();
        switch (s.type) {
            case "hash:ip" -> {
                return Truth.of(s.ips.contains(ip));
            }
            case "hash:net" -> {
                for (NetEntry n : s.nets) {
                    if (Addresses.contains(n.block, ip)) {
                        return Truth.of(!n.nomatch);
                    }
                }
                return Truth.NO;
            }
            case "hash:ip,port", "hash:net,port" -> {
                if (flags.size() < 2) {
                    // the kernel takes the missing dimension from the last flag given
                    flags = List.of(flags.get(0), flags.get(0));
                }
                if (!p.hasPorts()) {
                    why[0] = "ipset " + name + ": port dimension for protocol " + p.protocol() + " is not modelled";
                    return Truth.UNKNOWN;
                }
                int port = flags.get(1).equals("src") ? p.sport() : p.dport();
                for (PortEntry e : s.ports) {
                    if (Addresses.contains(e.block, ip) && e.proto.equals(p.protocol()) && port >= e.lo
                            && port <= e.hi) {
                        return Truth.of(!e.nomatch);
                    }
                }
                return Truth.NO;
            }
            case "list:set" -> {
                if (depth > 8) {
                    why[0] = "list:set " + name + " nests too deep";
                    return Truth.UNKNOWN;
                }
                for (String m : s.members) {
                    Truth t = test(m, flags, p, why, depth + 1);
                    if (t != Truth.NO) {
                        return t;
                    }
                }
                return Truth.NO;
            }
            default -> {
                why[0] = "ipset " + name + " type " + s.type + " is not modelled";
                return Truth.UNKNOWN;
            }
        }
    }
}
