package dev.podnet.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.cni.CniConfig;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import dev.podnet.dataplane.netfilter.CtState;
import dev.podnet.dataplane.netfilter.IpsetModel;
import dev.podnet.dataplane.netfilter.IptablesSaveParser;
import dev.podnet.dataplane.netfilter.Packet;
import dev.podnet.dataplane.netfilter.PacketPath;
import dev.podnet.dataplane.netfilter.Ruleset;
import dev.podnet.dataplane.netfilter.Verdict;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.node.NodeFacts;
import dev.podnet.ruleset.RulesetGenerator;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes what the data plane does with a connection: every pod is placed on a node, each node gets the ruleset
 * {@link RulesetGenerator} generates for its pods (filter table, ipsets and the kube-proxy-style nat rules for
 * Services), merged after the node's own {@code iptables-save}/{@code ipset save} when node facts give them, and the
 * first packet of the connection (ctstate NEW, source port {@value #SOURCE_PORT}) is walked through netfilter by
 * {@link PacketPath}: on the source node, then, when it was accepted and its (possibly DNATed) destination is a pod
 * of another node, on that node (arriving on its uplink, the mark cleared as on the wire).
 *
 * <p>Placement: a pod's {@code spec.nodeName}; without one, the node whose facts' {@code podCIDR} contains its IP,
 * else one node per /24 of pod IPs (named {@code node-10-244-1} for 10.244.1.0/24). In single-node mode every pod is
 * on one node (the conformance setting). Pods without an IPv4 address and hostNetwork pods are not placed.
 *
 * <p>A node without facts is the built-in healthy node: uplink {@code eth0} 192.168.0.(10+i)/24 with the default
 * route, bridge {@value #BRIDGE} holding the .1 (or the first address no pod uses) of every /24 of its pods, one veth port per pod (hairpin on in
 * {@link #healthy}/{@link #healthySingleNode}; as given to {@link #build}), {@code net.ipv4.ip_forward=1} and
 * {@code net.bridge.bridge-nf-call-iptables=1} (br_netfilter loaded), no other
 * iptables rules. A node with facts takes its interfaces, sysctls and routes (a default route via the first
 * non-bridge interface when no route is listed) from them; its pods are attached to its first bridge interface
 * ({@value #BRIDGE} added with the gateway addresses when there is none). podnet's own chains and sets in the node's
 * saved state ({@code PODNET-} names and jumps to them) are replaced by the generated ones; everything else (Docker's
 * {@code FORWARD} policy DROP, kube-proxy, other CNIs) stays in the walk.
 *
 * <p>Verdicts: {@code allow} when every hop delivered the packet, {@code deny} on DROP or REJECT anywhere,
 * {@code unknown} when a rule the evaluator does not model decided. Immutable after construction; not thread-safe
 * (the evaluator indexes chains lazily).
 */
public final class DataPlaneSimulator {
    /** Bridge of the built-in healthy node. */
    public static final String BRIDGE = "cni0";
    /** Source port of simulated connections. */
    public static final int SOURCE_PORT = 40000;

    /**
     * The simulated state of one node.
     *
     * @param name      node name
     * @param network   its links (with one veth per placed pod), sysctls and routes
     * @param generated what {@link RulesetGenerator} generated for its pods
     * @param iptables  the node's own rules (when known) followed by the generated ones, as walked
     * @param ipsets    the node's own sets (when known) and the generated ones
     * @param pods      the pods placed on it
     * @param fromFacts true when the node comes from a node-facts document, false for the built-in healthy node
     */
    public record SimNode(String name, NodeNetwork network, dev.podnet.ruleset.Ruleset generated, Ruleset iptables,
                          IpsetModel ipsets, List<PodInfo> pods, boolean fromFacts) {
    }

    /**
     * A connection to simulate.
     *
     * @param source      {@code namespace/name} of a pod, or an IP address
     * @param destination {@code namespace/name} of a pod, {@code svc:namespace/name} of a Service (its ClusterIP), or
     *                    an IP address
     * @param port        destination port (1-65535)
     * @param protocol    TCP, UDP or SCTP (any case)
     */
    public record Connection(String source, String destination, int port, String protocol) {
        @Override
        public String toString() {
            return source + " -> " + destination + " " + port + "/" + protocol.toUpperCase(Locale.ROOT);
        }
    }

    /**
     * The walk of one packet on one node.
     *
     * @param node    node name
     * @param verdict the evaluator's verdict with its trace
     */
    public record Hop(String node, Verdict verdict) {
    }

    /**
     * The result of one connection.
     *
     * @param connection the connection
     * @param verdict    {@code allow}, {@code deny} or {@code unknown}
     * @param reason     what decided (the last hop's reason), or why the connection could not be walked
     * @param hops       the walks, source node first (empty when the connection could not be walked)
     */
    public record Result(Connection connection, String verdict, String reason, List<Hop> hops) {
        public Result {
            hops = List.copyOf(hops);
        }

        /** True for {@code allow}. */
        public boolean allowed() {
            return verdict.equals("allow");
        }

        /** Warnings of every hop (e.g. bridged traffic skipping iptables). */
        public List<String> warnings() {
            List<String> out = new ArrayList<>();
            hops.forEach(h -> out.addAll(h.verdict().warnings()));
            return out;
        }

        /**
         * The rule-level trace as text: a header line, then per hop the node, its outcome and reason, and each
         * trace step (hook entered, rule matched with table, chain, number and text, path event) indented.
         */
        public String trace() {
            StringBuilder b = new StringBuilder(connection.toString()).append(": ").append(verdict).append('\n');
            if (hops.isEmpty()) {
                b.append("  ").append(reason).append('\n');
            }
            for (Hop h : hops) {
                b.append("node ").append(h.node()).append(": ").append(h.verdict().outcome()).append(" (")
                        .append(h.verdict().reason()).append(")\n");
                for (var s : h.verdict().trace()) {
                    b.append("  ").append(s).append('\n');
                }
                for (String w : h.verdict().warnings()) {
                    b.append("  warning: ").append(w).append('\n');
                }
            }
            return b.toString();
        }
    }

    private final Inventory inv;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<String, PacketPath> paths = new HashMap<>();
    private final Map<String, PodInfo> podByKey = new LinkedHashMap<>();
    private final Map<IPAddress, String> nodeOfPodIp = new HashMap<>();
    /** Per node with facts: its own iptables-save and ipset save text without podnet's chains and sets. */
    private final Map<String, String> foreign = new HashMap<>();

    private DataPlaneSimulator(Inventory inv) {
        this.inv = inv;
    }

    /** Every pod on built-in healthy nodes, placed by {@code spec.nodeName} or per /24. */
    public static DataPlaneSimulator healthy(Inventory inv) {
        return build(inv, List.of(), false, true);
    }

    /** Every pod on one built-in healthy node named {@code node} (the conformance setting). */
    public static DataPlaneSimulator healthySingleNode(Inventory inv) {
        return build(inv, List.of(), true, true);
    }

    /**
     * Builds the simulation.
     *
     * @param inv        the inventory (pods with IPs, policies, Services)
     * @param facts      node-facts documents; pods placed on a node with facts use that node's network and rules
     * @param singleNode place every pod on one node: the first facts' node, or {@code node} without facts
     * @param hairpin    hairpin mode of the pods' bridge ports (what the bridge plugin's {@code hairpinMode} sets;
     *                   see {@link #hairpinFromConfigs})
     */
    public static DataPlaneSimulator build(Inventory inv, List<NodeFacts> facts, boolean singleNode,
                                           boolean hairpin) {
        Map<String, NodeFacts> factsByName = new LinkedHashMap<>();
        facts.forEach(f -> factsByName.putIfAbsent(f.name(), f));
        List<PodInfo> placed = new ArrayList<>();
        Map<String, List<PodInfo>> byNode = new LinkedHashMap<>();
        for (PodInfo p : inv.pods()) {
            IPAddress ip = ipv4(p);
            if (ip == null || p.hostNetwork()) {
                placed.add(p);
                continue;
            }
            String node = singleNode ? (facts.isEmpty() ? "node" : facts.get(0).name()) : placeOf(p, ip, facts);
            PodInfo q = new PodInfo(p.namespace(), p.name(), p.kind(), p.labels(), p.ips(), p.ports(), node,
                    p.hostNetwork(), p.source(), p.labelsPointer());
            placed.add(q);
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(q);
        }
        for (String n : factsByName.keySet()) {
            if (!singleNode || n.equals(facts.get(0).name())) {
                byNode.computeIfAbsent(n, k -> new ArrayList<>());
            }
        }
        Inventory placedInv = new Inventory(inv.facts(), inv.namespaces(), placed, inv.workloads(), inv.services(),
                inv.nodes(), inv.policies());
        DataPlaneSimulator sim = new DataPlaneSimulator(placedInv);
        int index = 0;
        for (Map.Entry<String, List<PodInfo>> e : byNode.entrySet()) {
            NodeFacts f = factsByName.get(e.getKey());
            SimNode n = sim.node(e.getKey(), e.getValue(), f, index++, hairpin);
            sim.nodes.put(n.name(), n);
            sim.paths.put(n.name(), new PacketPath(n.network(), n.iptables(), n.ipsets()));
            for (PodInfo p : e.getValue()) {
                sim.podByKey.put(p.key(), p);
                sim.nodeOfPodIp.put(ipv4(p), n.name());
            }
        }
        for (PodInfo p : placed) {
            sim.podByKey.putIfAbsent(p.key(), p);
        }
        return sim;
    }

    /**
     * Hairpin mode the CNI configs give bridge ports: the {@code hairpinMode} of the first {@code bridge} plugin, or
     * of a {@code flannel} plugin's delegate (both default false: plugins/main/bridge/bridge.go, flannel-io/cni-plugin
     * flannel_linux.go); empty when no config uses a bridge.
     */
    public static Optional<Boolean> hairpinFromConfigs(List<CniConfig> configs) {
        for (CniConfig c : configs) {
            for (CniConfig.Plugin p : c.plugins()) {
                if (p.type().equals("bridge")) {
                    return Optional.of(p.node().path("hairpinMode").asBoolean(false));
                }
                if (p.type().equals("flannel")) {
                    return Optional.of(p.node().path("delegate").path("hairpinMode").asBoolean(false));
                }
            }
        }
        return Optional.empty();
    }

    private static String placeOf(PodInfo p, IPAddress ip, List<NodeFacts> facts) {
        if (p.nodeName() != null && !p.nodeName().isEmpty()) {
            return p.nodeName();
        }
        for (NodeFacts f : facts) {
            IPAddress cidr = new IPAddressString(f.podCIDR().value()).getAddress();
            if (cidr != null && cidr.isIPv4() && cidr.toPrefixBlock().contains(ip)) {
                return f.name();
            }
        }
        String t = Addresses.text(ip);
        return "node-" + t.substring(0, t.lastIndexOf('.')).replace('.', '-');
    }

    static IPAddress ipv4(PodInfo p) {
        for (String s : p.ips()) {
            IPAddress a = new IPAddressString(s).getAddress();
            if (a != null && a.isIPv4()) {
                return Addresses.plain(a);
            }
        }
        return null;
    }

    /**
     * The gateway address of each /24 of the pods: {@code a.b.c.1/24}, or the first host address of that /24 that
     * no pod uses (Calico and others give pods .1 addresses; the bridge must not take a pod's address).
     */
    private static List<String> gateways(List<PodInfo> pods) {
        Set<String> used = new java.util.HashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        for (PodInfo p : pods) {
            String t = Addresses.text(ipv4(p));
            used.add(t);
            prefixes.add(t.substring(0, t.lastIndexOf('.')));
        }
        List<String> out = new ArrayList<>();
        for (String prefix : prefixes) {
            for (int host = 1; host < 255; host++) {
                if (!used.contains(prefix + "." + host)) {
                    out.add(prefix + "." + host + "/24");
                    break;
                }
            }
        }
        return out;
    }

    private SimNode node(String name, List<PodInfo> pods, NodeFacts facts, int index, boolean hairpin) {
        NodeNetwork base = facts == null ? healthyBase(name, index) : networkOf(facts);
        List<Link> links = new ArrayList<>(base.links());
        String bridge = null;
        for (Link l : links) {
            if (l.kind().equals("bridge") && (bridge == null || l.name().equals(BRIDGE))) {
                bridge = l.name();
            }
        }
        if (bridge == null) {
            bridge = BRIDGE;
            List<String> gw = gateways(pods);
            links.add(Link.of(BRIDGE, "bridge", gw.toArray(String[]::new)));
        }
        for (int i = 0; i < pods.size(); i++) {
            links.add(Link.port("veth" + Integer.toHexString(i), bridge, hairpin, Addresses.text(ipv4(pods.get(i)))));
        }
        NodeNetwork network = new NodeNetwork(name, links, base.sysctls(), base.routes());
        dev.podnet.ruleset.Ruleset gen = RulesetGenerator.generate(inv, name);
        List<String> texts = new ArrayList<>();
        if (facts != null && !facts.iptablesSave().isBlank()) {
            texts.add(withoutPodnet(facts.iptablesSave()));
        }
        if (facts != null) {
            foreign.put(name, String.join("\n", texts) + "\n" + withoutPodnetSets(facts.ipsetSave()));
        }
        texts.add(gen.filterRulesWithJumps());
        if (!gen.natRules().isEmpty()) {
            texts.add(gen.natRules());
        }
        Ruleset iptables = IptablesSaveParser.parse(texts);
        String sets = (facts == null ? "" : withoutPodnetSets(facts.ipsetSave())) + gen.ipsetRules();
        return new SimNode(name, network, gen, iptables, IpsetModel.parse(sets), List.copyOf(pods), facts != null);
    }

    /**
     * The built-in healthy node before pods are attached: uplink {@code eth0} 192.168.0.(10+index)/24 with the
     * default route, {@code net.ipv4.ip_forward=1}, {@code net.bridge.bridge-nf-call-iptables=1}, no bridge yet.
     */
    public static NodeNetwork healthyBase(String name, int index) {
        return new NodeNetwork(name, List.of(Link.of("eth0", "device", "192.168.0." + (10 + index % 240) + "/24")),
                Map.of(NodeNetwork.IP_FORWARD, "1", NodeNetwork.BRIDGE_NF_CALL_IPTABLES, "1"),
                List.of(Route.of("default", "eth0")));
    }

    /**
     * A node's network from its facts: links from {@code interfaces} (kind "device" when not given; unparsable
     * addresses left out), sysctls from {@code sysctl}, routes from {@code routes} (those with a {@code dev}); when no
     * route is listed, a default route via the first non-bridge interface with an address.
     */
    public static NodeNetwork networkOf(NodeFacts facts) {
        List<Link> links = new ArrayList<>();
        Map<String, String> sysctls = new LinkedHashMap<>();
        List<Route> routes = new ArrayList<>();
        String uplink = null;
        for (NodeFacts.Interface i : facts.interfaces()) {
            List<Addresses.IfAddress> addrs = new ArrayList<>();
            for (String a : i.addresses()) {
                try {
                    addrs.add(Addresses.ifAddress(a));
                } catch (IllegalArgumentException e) {
                    // an unparsable address is left out; the node rules report bad facts
                }
            }
            String kind = i.kind().isEmpty() ? "device" : i.kind();
            links.add(new Link(i.name(), kind, addrs, null, false, List.of()));
            if (uplink == null && !kind.equals("bridge") && !i.name().equals("lo") && !addrs.isEmpty()) {
                uplink = i.name();
            }
        }
        JsonNode sys = facts.root().path("sysctl");
        sys.fields().forEachRemaining(e -> sysctls.put(e.getKey(), e.getValue().asText()));
        for (NodeFacts.Route r : facts.routes()) {
            if (!r.dev().isEmpty()) {
                try {
                    routes.add(Route.of(r.dst(), r.dev()));
                } catch (IllegalArgumentException e) {
                    // unparsable destination: left out
                }
            }
        }
        if (facts.routes().isEmpty() && uplink != null) {
            routes.add(Route.of("default", uplink));
        }
        return new NodeNetwork(facts.name(), links, sysctls, routes);
    }

    /** iptables-save text without podnet's chains, rules and jumps (the generated ruleset replaces them). */
    static String withoutPodnet(String save) {
        StringBuilder b = new StringBuilder();
        for (String l : save.split("\\R")) {
            String t = l.trim();
            if (t.startsWith(":" + RulesetGenerator.PREFIX) || t.matches("-[AI] " + RulesetGenerator.PREFIX + ".*")
                    || t.matches("-[AI] \\S+.* -[jg] " + RulesetGenerator.PREFIX + "\\S*$")) {
                continue;
            }
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /** ipset save text without podnet's sets. */
    static String withoutPodnetSets(String save) {
        StringBuilder b = new StringBuilder();
        for (String l : save.split("\\R")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 2 && f[1].startsWith(RulesetGenerator.PREFIX)) {
                continue;
            }
            if (!l.isBlank()) {
                b.append(l).append('\n');
            }
        }
        return b.toString();
    }

    /** The nodes, in placement order. */
    public List<SimNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node a pod ({@code namespace/name}) is placed on. */
    public Optional<String> nodeOf(String podKey) {
        PodInfo p = podByKey.get(podKey);
        return p == null || ipv4(p) == null ? Optional.empty() : Optional.ofNullable(nodeOfPodIp.get(ipv4(p)));
    }

    /** The placed pods with an IPv4 address, in inventory order. */
    public List<PodInfo> pods() {
        return podByKey.values().stream().filter(p -> ipv4(p) != null && nodeOfPodIp.containsKey(ipv4(p)))
                .toList();
    }

    private IPAddress resolve(String who) {
        if (who.startsWith("svc:")) {
            String key = who.substring(4);
            for (ServiceInfo s : inv.services()) {
                if ((s.namespace() + "/" + s.name()).equals(key)) {
                    for (String ip : s.clusterIPs()) {
                        IPAddress a = new IPAddressString(ip).getAddress();
                        if (a != null && a.isIPv4()) {
                            return Addresses.plain(a);
                        }
                    }
                    throw new IllegalArgumentException("Service " + key + " has no IPv4 ClusterIP");
                }
            }
            throw new IllegalArgumentException("no Service " + key + " in the inputs");
        }
        PodInfo p = podByKey.get(who);
        if (p != null) {
            IPAddress a = ipv4(p);
            if (a == null) {
                throw new IllegalArgumentException("pod " + who + " has no IPv4 address (status.podIP)");
            }
            return a;
        }
        IPAddress a = new IPAddressString(who).getAddress();
        if (a == null || !a.isIPv4() || a.isPrefixed() && a.getNetworkPrefixLength() != 32) {
            throw new IllegalArgumentException("\"" + who + "\" is neither a pod (namespace/name) nor an IPv4 address");
        }
        return Addresses.plain(a.withoutPrefixLength());
    }

    private String nodeOfAddress(IPAddress a) {
        String n = nodeOfPodIp.get(a);
        if (n != null) {
            return n;
        }
        for (SimNode s : nodes.values()) {
            if (!a.isLoopback() && s.network().isLocal(a)) {
                return s.name();
            }
        }
        return null;
    }

    /**
     * Walks the first packet of a connection.
     *
     * @throws IllegalArgumentException when an end names no pod, Service or address, or the protocol/port is invalid
     */
    public Result connect(Connection c) {
        String proto = c.protocol().toLowerCase(Locale.ROOT);
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
            throw new IllegalArgumentException("protocol " + c.protocol() + ": expected TCP, UDP or SCTP");
        }
        if (c.port() < 1 || c.port() > 65535) {
            throw new IllegalArgumentException("port " + c.port() + " is outside 1-65535");
        }
        return walk(c, resolve(c.source()), resolve(c.destination()), proto, true);
    }

    /**
     * Walks the first packet of a connection whose ends are already resolved to addresses ({@code proto} in lower
     * case, port already checked): what {@link #connect} does after resolving, used by {@link DataPlaneTable}. With
     * {@code traced} false the hops carry no trace (see {@link PacketPath#walk(Packet, boolean)}).
     */
    Result walk(Connection c, IPAddress src, IPAddress dst, String proto, boolean traced) {
        Packet p = new Packet(src, dst, proto, SOURCE_PORT, c.port(), null, null, null, null, false, CtState.NEW, 0);
        String first = nodeOfAddress(src);
        if (first == null) {
            first = nodeOfAddress(dst);
        }
        if (first == null) {
            return new Result(c, "unknown", "neither " + Addresses.text(src) + " nor " + Addresses.text(dst)
                    + " is on a simulated node", List.of());
        }
        List<Hop> hops = new ArrayList<>();
        Verdict v = paths.get(first).walk(p, traced);
        hops.add(new Hop(first, v));
        if (v.outcome() == Verdict.Outcome.ACCEPT) {
            String next = nodeOfPodIp.get(v.packet().dst());
            if (next != null && !next.equals(first)) {
                Packet q = new Packet(v.packet().src(), v.packet().dst(), proto, v.packet().sport(),
                        v.packet().dport(), null, null, null, null, false, CtState.NEW, 0);
                v = paths.get(next).walk(q, traced);
                hops.add(new Hop(next, v));
            }
        }
        String verdict = switch (v.outcome()) {
            case ACCEPT -> "allow";
            case DROP, REJECT -> "deny";
            case UNKNOWN -> "unknown";
        };
        return new Result(c, verdict, v.reason(), hops);
    }

    /**
     * The verdict table in the conformance format ({@code expected.txt}): per probe ({@code 80/TCP}) a section
     * {@code [80/TCP]} followed by one line {@code from to verdict} for every ordered pair of placed pods, sorted
     * by namespace, then name; sections separated by a blank line. Computed on equivalence classes by
     * {@link DataPlaneTable}, with no walk budget.
     *
     * @param probes {@code PORT/PROTOCOL} strings
     * @throws IllegalArgumentException for a malformed probe
     */
    public String table(List<String> probes) {
        StringBuilder b = new StringBuilder();
        DataPlaneTable.compute(this, probes, Long.MAX_VALUE, null).write(b);
        return b.toString();
    }

    /** The inventory with every placed pod's node. */
    Inventory inventory() {
        return inv;
    }

    /**
     * The node's own rules and sets as walked, without podnet's (iptables-save text, then ipset save text); empty for
     * a built-in healthy node.
     */
    String foreignRules(String node) {
        return foreign.getOrDefault(node, "");
    }
}
