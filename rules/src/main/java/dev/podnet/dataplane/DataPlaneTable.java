package dev.podnet.dataplane;

import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data-plane truth table of a {@link DataPlaneSimulator}: the verdict of the first packet of every ordered pair of
 * placed pods (self pairs included), per probe, computed by walking one representative packet per pair of
 * <em>data-plane equivalence classes</em> and expanding the verdict to every pod pair of the two classes.
 *
 * <p>The walk of a connection depends only on its source and destination addresses (plus port and protocol), so
 * two pods are interchangeable when nothing the walk consults tells their addresses apart. A class therefore groups
 * the placed pods that have the same node, the same /24 (the bridge gateway subnet), the same namespace name and
 * labels, the same pod labels and the same declared container ports (what the generated selector ipsets, per-pod
 * chains and named-port sets are built from) and the same membership in every address block the walk can test
 * without naming the pod: each NetworkPolicy ipBlock {@code cidr} and {@code except}, every link address and subnet
 * and route destination of every node, every Service ClusterIP, and, for nodes with node facts, every IPv4 address,
 * prefix or range written in the node's own {@code iptables-save} and {@code ipset save} text. A pod whose address
 * another placed pod shares is a class of its own. Per probe this takes C&times;C + C2 walks (C classes, C2 of them
 * with more than one pod) instead of N&times;N: one per ordered class pair, one self walk per class and, for classes
 * of several pods, one walk between two distinct members. The test suite compares the result with the pair-by-pair
 * walk on random clusters, node facts included.
 *
 * <p>A walk budget ({@code maxWalks}) bounds the work: probes are computed in order, and a probe whose walks would
 * exceed the budget is skipped as a whole (listed in {@link #skipped()}), so every table section that is printed is
 * complete.
 */
public final class DataPlaneTable {
    /** The default walk budget of {@code podnet simulate --data-plane} ({@code --max-pairs}). */
    public static final long DEFAULT_MAX_WALKS = 3_000_000;
    private static final byte ALLOW = 0;
    private static final byte DENY = 1;
    private static final byte UNKNOWN = 2;
    private static final String[] NAMES = {"allow", "deny", "unknown"};
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?(?:-(\\d{1,3}(?:\\.\\d{1,3}){3}))?(?![\\d])");

    /** Receives progress: walks done so far for the probe being computed, out of that probe's walks. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param probe {@code PORT/PROTOCOL} being computed
         * @param done  walks done for it
         * @param total walks it needs
         */
        void walked(String probe, long done, long total);
    }

    /**
     * A probe left out because its walks would have exceeded the budget.
     *
     * @param probe {@code PORT/PROTOCOL}
     * @param walks the walks it needed
     */
    public record Skipped(String probe, long walks) {
    }

    private final List<PodInfo> pods;
    private final int[] classOf;
    private final int[] classSize;
    private final int classes;
    private final List<String> probes = new ArrayList<>();
    private final List<byte[]> pair = new ArrayList<>();
    private final List<byte[]> self = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private long walks;

    private DataPlaneTable(List<PodInfo> pods, int[] classOf, int[] classSize) {
        this.pods = pods;
        this.classOf = classOf;
        this.classSize = classSize;
        this.classes = classSize.length;
    }

    /**
     * Computes the table.
     *
     * @param sim      the simulator
     * @param probes   {@code PORT/PROTOCOL} strings (protocol TCP, UDP or SCTP in any case, port 1-65535); duplicates
     *                 are computed once
     * @param maxWalks walk budget over all probes ({@link Long#MAX_VALUE}: none)
     * @param progress progress receiver, or null
     * @throws IllegalArgumentException for a malformed probe (before anything is walked)
     */
    public static DataPlaneTable compute(DataPlaneSimulator sim, List<String> probes, long maxWalks,
                                         Progress progress) {
        List<Object[]> parsed = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String probe : probes) {
            String[] pp = probe.split("/");
            if (pp.length != 2 || !pp[0].matches("\\d{1,5}")) {
                throw new IllegalArgumentException("probe " + probe + ": expected PORT/PROTOCOL such as 80/TCP");
            }
            int port = Integer.parseInt(pp[0]);
            String proto = pp[1].toUpperCase(Locale.ROOT);
            if (!Set.of("TCP", "UDP", "SCTP").contains(proto)) {
                throw new IllegalArgumentException("probe " + probe + ": protocol " + pp[1]
                        + ": expected TCP, UDP or SCTP");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("probe " + probe + ": port " + port + " is outside 1-65535");
            }
            if (seen.add(port + "/" + proto)) {
                parsed.add(new Object[] {port, proto});
            }
        }
        List<PodInfo> pods = sim.pods();
        IPAddress[] ips = new IPAddress[pods.size()];
        String[] keys = new String[pods.size()];
        for (int i = 0; i < ips.length; i++) {
            ips[i] = DataPlaneSimulator.ipv4(pods.get(i));
            keys[i] = pods.get(i).key();
        }
        int[] classOf = new int[pods.size()];
        List<Integer> sizes = new ArrayList<>();
        List<int[]> members = new ArrayList<>();
        classify(sim, pods, classOf, sizes, members);
        int[] size = sizes.stream().mapToInt(Integer::intValue).toArray();
        DataPlaneTable t = new DataPlaneTable(pods, classOf, size);
        int c = size.length;
        long perProbe = (long) c * c;
        for (int s : size) {
            perProbe += s > 1 ? 1 : 0;
        }
        for (Object[] p : parsed) {
            int port = (Integer) p[0];
            String proto = (String) p[1];
            String name = port + "/" + proto;
            if (maxWalks - t.walks < perProbe) {
                t.skipped.add(new Skipped(name, perProbe));
                continue;
            }
            String lower = proto.toLowerCase(Locale.ROOT);
            byte[] pairV = new byte[c * c];
            byte[] selfV = new byte[c];
            long done = 0;
            for (int a = 0; a < c; a++) {
                int si = members.get(a)[0];
                selfV[a] = walk(sim, port, lower, keys[si], ips[si], keys[si], ips[si]);
                done++;
                for (int b = 0; b < c; b++) {
                    int di;
                    if (a == b) {
                        if (size[a] < 2) {
                            continue;
                        }
                        di = members.get(a)[1];
                    } else {
                        di = members.get(b)[0];
                    }
                    pairV[a * c + b] = walk(sim, port, lower, keys[si], ips[si], keys[di], ips[di]);
                    done++;
                }
                if (progress != null) {
                    progress.walked(name, done, perProbe);
                }
            }
            t.walks += done;
            t.probes.add(name);
            t.pair.add(pairV);
            t.self.add(selfV);
        }
        return t;
    }

    private static byte walk(DataPlaneSimulator sim, int port, String proto, String src, IPAddress srcIp,
                             String dst, IPAddress dstIp) {
        String v = sim.walk(new DataPlaneSimulator.Connection(src, dst, port, proto), srcIp, dstIp, proto, false)
                .verdict();
        return switch (v) {
            case "allow" -> ALLOW;
            case "deny" -> DENY;
            default -> UNKNOWN;
        };
    }

    private record ClassKey(String node, String subnet, String ns, Map<String, String> nsLabels,
                            Map<String, String> labels, Set<String> ports, BitSet blocks, String ownAddress) {
    }

    private static void classify(DataPlaneSimulator sim, List<PodInfo> pods, int[] classOf, List<Integer> sizes,
                                 List<int[]> members) {
        List<Block> blocks = blocks(sim);
        Map<IPAddress, Integer> ipCount = new HashMap<>();
        List<IPAddress> ips = new ArrayList<>(pods.size());
        for (PodInfo p : pods) {
            IPAddress ip = DataPlaneSimulator.ipv4(p);
            ips.add(ip);
            ipCount.merge(ip, 1, Integer::sum);
        }
        Map<ClassKey, Integer> ids = new HashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            IPAddress ip = ips.get(i);
            String text = Addresses.text(ip);
            BitSet sig = new BitSet();
            for (int b = 0; b < blocks.size(); b++) {
                if (blocks.get(b).contains(ip)) {
                    sig.set(b);
                }
            }
            Set<String> ports = new TreeSet<>();
            p.ports().forEach(cp -> ports.add(cp.name() + "|" + cp.port() + "|" + cp.protocol()));
            NamespaceInfo ns = sim.inventory().namespace(p.namespace());
            ClassKey key = new ClassKey(sim.nodeOf(p.key()).orElse(""), text.substring(0, text.lastIndexOf('.')),
                    p.namespace(), ns == null ? Map.of() : ns.labels(), p.labels(), ports, sig,
                    ipCount.get(ip) > 1 ? text : null);
            Integer id = ids.get(key);
            if (id == null) {
                id = sizes.size();
                ids.put(key, id);
                sizes.add(0);
                members.add(new int[] {i, -1});
            }
            int n = sizes.get(id);
            if (n == 1) {
                members.get(id)[1] = i;
            }
            sizes.set(id, n + 1);
            classOf[i] = id;
        }
    }

    /** An address block the walk can test: a prefix block or a range. */
    private record Block(IPAddress prefix, IPAddressSeqRange range) {
        boolean contains(IPAddress a) {
            return prefix != null ? prefix.contains(a) : range.contains(a);
        }
    }

    private static List<Block> blocks(DataPlaneSimulator sim) {
        Map<String, Block> out = new LinkedHashMap<>();
        for (PolicyInfo pi : sim.inventory().policies()) {
            NetworkPolicySpec spec = pi.policy() == null ? null : pi.policy().getSpec();
            if (spec == null) {
                continue;
            }
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            for (NetworkPolicyIngressRule r : spec.getIngress() == null ? List.<NetworkPolicyIngressRule>of()
                    : spec.getIngress()) {
                if (r != null && r.getFrom() != null) {
                    peers.addAll(r.getFrom());
                }
            }
            for (NetworkPolicyEgressRule r : spec.getEgress() == null ? List.<NetworkPolicyEgressRule>of()
                    : spec.getEgress()) {
                if (r != null && r.getTo() != null) {
                    peers.addAll(r.getTo());
                }
            }
            for (NetworkPolicyPeer peer : peers) {
                IPBlock b = peer == null ? null : peer.getIpBlock();
                if (b != null) {
                    addPrefix(out, b.getCidr());
                    if (b.getExcept() != null) {
                        b.getExcept().forEach(e -> addPrefix(out, e));
                    }
                }
            }
        }
        for (ServiceInfo s : sim.inventory().services()) {
            s.clusterIPs().forEach(ip -> addPrefix(out, ip));
        }
        for (DataPlaneSimulator.SimNode n : sim.nodes()) {
            for (NodeNetwork.Link l : n.network().links()) {
                for (Addresses.IfAddress a : l.addresses()) {
                    addPrefix(out, Addresses.text(a.host()));
                    out.putIfAbsent(a.network().toString(), new Block(a.network(), null));
                }
            }
            for (NodeNetwork.Route r : n.network().routes()) {
                out.putIfAbsent(r.destination().toString(), new Block(r.destination(), null));
            }
            String foreign = sim.foreignRules(n.name());
            Matcher m = IPV4.matcher(foreign);
            while (m.find()) {
                if (m.group(3) != null) {
                    IPAddress lo = new IPAddressString(m.group(1)).getAddress();
                    IPAddress hi = new IPAddressString(m.group(3)).getAddress();
                    if (lo != null && hi != null) {
                        out.putIfAbsent(m.group(), new Block(null, lo.spanWithRange(hi)));
                    }
                } else {
                    addPrefix(out, m.group(2) == null ? m.group(1) : m.group(1) + "/" + m.group(2));
                }
            }
        }
        return List.copyOf(out.values());
    }

    private static void addPrefix(Map<String, Block> out, String text) {
        if (text == null || out.containsKey(text)) {
            return;
        }
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        if (a != null && a.isIPv4()) {
            out.put(text, new Block(a.isPrefixed() ? a.toPrefixBlock() : a.withoutPrefixLength(), null));
        }
    }

    /** The placed pods, in inventory order (indices of {@link #verdict}; {@link #write} sorts its rows). */
    public List<PodInfo> pods() {
        return pods;
    }

    /** The computed probes ({@code PORT/PROTOCOL}, protocol upper case), in the order asked. */
    public List<String> probes() {
        return List.copyOf(probes);
    }

    /** The probes left out because of the walk budget, in the order asked. */
    public List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** The number of data-plane equivalence classes of the placed pods. */
    public int classCount() {
        return classes;
    }

    /** The number of packets walked. */
    public long walks() {
        return walks;
    }

    /**
     * The verdict of pod {@code i} to pod {@code j} (indexes into {@link #pods()}) for the computed probe at index
     * {@code probe}: {@code allow}, {@code deny} or {@code unknown}.
     */
    public String verdict(int probe, int i, int j) {
        return NAMES[code(probe, i, j)];
    }

    private byte code(int probe, int i, int j) {
        if (i == j) {
            return self.get(probe)[classOf[i]];
        }
        return pair.get(probe)[classOf[i] * classes + classOf[j]];
    }

    /** How many ordered pod pairs (self pairs included) of the computed probe have the verdict. */
    public long count(int probe, String verdict) {
        byte want = (byte) List.of(NAMES).indexOf(verdict);
        byte[] pv = pair.get(probe);
        byte[] sv = self.get(probe);
        long n = 0;
        for (int a = 0; a < classes; a++) {
            if (sv[a] == want) {
                n += classSize[a];
            }
            for (int b = 0; b < classes; b++) {
                if (pv[a * classes + b] == want) {
                    n += a == b ? (long) classSize[a] * (classSize[a] - 1) : (long) classSize[a] * classSize[b];
                }
            }
        }
        return n;
    }

    /**
     * Writes the computed probes in the conformance format ({@code expected.txt}): per probe a line
     * {@code [PORT/PROTOCOL]}, then {@code from to verdict} for every ordered pair, the pods sorted by namespace,
     * then name, then kind (the row order of {@code podnet simulate} without {@code --data-plane}, so the two tables
     * compare line by line); sections separated by a blank line.
     */
    public void write(Appendable out) {
        Integer[] order = new Integer[pods.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparing(pods::get, PodInfo.TABLE_ORDER));
        try {
            StringBuilder row = new StringBuilder();
            for (int p = 0; p < probes.size(); p++) {
                if (p > 0) {
                    out.append('\n');
                }
                out.append('[').append(probes.get(p)).append("]\n");
                for (int i : order) {
                    row.setLength(0);
                    String from = pods.get(i).key();
                    for (int j : order) {
                        row.append(from).append(' ').append(pods.get(j).key()).append(' ')
                                .append(NAMES[code(p, i, j)]).append('\n');
                    }
                    out.append(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
