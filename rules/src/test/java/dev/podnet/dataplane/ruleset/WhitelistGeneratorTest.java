package dev.podnet.dataplane.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import dev.podnet.dataplane.netfilter.IpsetModel;
import dev.podnet.dataplane.netfilter.IptablesSaveParser;
import dev.podnet.dataplane.netfilter.Packet;
import dev.podnet.dataplane.netfilter.PacketPath;
import dev.podnet.dataplane.netfilter.Ruleset;
import dev.podnet.dataplane.netfilter.Verdict;
import dev.podnet.dataplane.ruleset.AllowPolicy.Allow;
import dev.podnet.dataplane.ruleset.AllowPolicy.Block;
import dev.podnet.dataplane.ruleset.AllowPolicy.PortSpec;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The generated whitelist, walked by the evaluator, gives the verdicts of a direct reading of the allow
 * entries (the oracle below), for hand-picked and random pods and policies.
 */
class WhitelistGeneratorTest {

    static final String BASE = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD %s [0:0]
            :OUTPUT ACCEPT [0:0]
            COMMIT
            """;

    static IPAddress ip(String s) {
        return Addresses.address(s);
    }

    static NodeNetwork node(List<IPAddress> pods) {
        List<Link> links = new ArrayList<>(List.of(Link.of("eth0", "device", "192.0.2.11/24"),
                Link.of("cni0", "bridge", "10.88.0.1/24")));
        for (int i = 0; i < pods.size(); i++) {
            links.add(Link.port("veth" + i, "cni0", true, Addresses.text(pods.get(i))));
        }
        return new NodeNetwork("node-a", links, Map.of(), List.of(Route.of("default", "eth0")));
    }

    static PacketPath path(List<IPAddress> pods, List<AllowPolicy> policies, String forwardPolicy) {
        WhitelistGenerator.Output out = WhitelistGenerator.generate(pods, policies);
        Ruleset rs = IptablesSaveParser.parse(List.of(BASE.formatted(forwardPolicy), out.iptablesRestore()));
        assertThat(rs.problems()).as(out.iptablesRestore()).isEmpty();
        IpsetModel sets = IpsetModel.parse(out.ipsetRestore());
        assertThat(sets.problems()).isEmpty();
        return new PacketPath(node(pods), rs, sets);
    }

    // ---------------------------------------------------------------- oracle

    static boolean peer(Allow a, IPAddress peer) {
        if (a.anyPeer() || a.pods().contains(peer)) {
            return true;
        }
        for (Block b : a.blocks()) {
            if (Addresses.contains(b.cidr(), peer) && b.except().stream().noneMatch(e -> Addresses.contains(e, peer))) {
                return true;
            }
        }
        return false;
    }

    static boolean port(Allow a, IPAddress podWithPort, String proto, int port) {
        if (a.ports().isEmpty()) {
            return true;
        }
        for (PortSpec ps : a.ports()) {
            if (!ps.protocol().equals(proto)) {
                continue;
            }
            if (ps.namedPort() != null) {
                Integer n = ps.namedPort().get(podWithPort);
                if (n != null && n == port) {
                    return true;
                }
            } else if (ps.port() < 0 || (port >= ps.port() && port <= ps.endPort())) {
                return true;
            }
        }
        return false;
    }

    static boolean allowed(List<AllowPolicy> policies, List<IPAddress> local, IPAddress src, IPAddress dst,
                           String proto, int port) {
        if (local.contains(src)) {
            List<AllowPolicy> sel = policies.stream().filter(p -> p.egress() && p.selectedPods().contains(src))
                    .toList();
            if (!sel.isEmpty() && sel.stream().flatMap(p -> p.egressRules().stream())
                    .noneMatch(a -> peer(a, dst) && port(a, dst, proto, port))) {
                return false;
            }
        }
        if (local.contains(dst)) {
            List<AllowPolicy> sel = policies.stream().filter(p -> p.ingress() && p.selectedPods().contains(dst))
                    .toList();
            return sel.isEmpty() || sel.stream().flatMap(p -> p.ingressRules().stream())
                    .anyMatch(a -> peer(a, src) && port(a, dst, proto, port));
        }
        return true;
    }

    // ---------------------------------------------------------------- hand-picked

    static final IPAddress WEB = ip("10.88.0.2");
    static final IPAddress CLIENT = ip("10.88.0.3");
    static final IPAddress DB = ip("10.88.0.4");
    static final List<IPAddress> PODS = List.of(WEB, CLIENT, DB);

    static final List<AllowPolicy> POLICIES = List.of(
            // web: ingress from client on named port http (web maps it to 8080), and from 192.0.2.0/24 except .66
            new AllowPolicy("shop/web", List.of(WEB), true, false, List.of(
                    new Allow(false, List.of(CLIENT), List.of(), List.of(new PortSpec("tcp", -1, -1,
                            Map.of(WEB, 8080)))),
                    new Allow(false, List.of(), List.of(new Block(Addresses.block("192.0.2.0/24"),
                            List.of(Addresses.block("192.0.2.66/32")))), List.of(PortSpec.of("tcp", 443)))),
                    List.of()),
            // db: deny all ingress; egress only DNS anywhere
            new AllowPolicy("shop/db", List.of(DB), true, true, List.of(), List.of(
                    new Allow(true, List.of(), List.of(), List.of(PortSpec.of("udp", 53))))));

    @Test
    void handPickedVerdictsWithTraces() {
        PacketPath path = path(PODS, POLICIES, "ACCEPT");
        Verdict named = path.walk(Packet.of("10.88.0.3", "10.88.0.2", "tcp", 40000, 8080));
        assertThat(named.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(named.trace()).anySatisfy(t -> assertThat(t.text()).contains("dst,dst"));
        assertThat(path.walk(Packet.of("10.88.0.3", "10.88.0.2", "tcp", 40000, 80)).outcome())
                .isEqualTo(Verdict.Outcome.REJECT);
        assertThat(path.walk(Packet.of("192.0.2.50", "10.88.0.2", "tcp", 40000, 443)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        Verdict except = path.walk(Packet.of("192.0.2.66", "10.88.0.2", "tcp", 40000, 443));
        assertThat(except.outcome()).isEqualTo(Verdict.Outcome.REJECT);
        assertThat(except.reason()).startsWith("filter PODNET-I-");
        assertThat(path.walk(Packet.of("10.88.0.4", "203.0.113.7", "udp", 40000, 53)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(path.walk(Packet.of("10.88.0.4", "203.0.113.7", "tcp", 40000, 443)).outcome())
                .isEqualTo(Verdict.Outcome.REJECT);
        // db's egress to the node itself goes through INPUT
        assertThat(path.walk(Packet.of("10.88.0.4", "10.88.0.1", "tcp", 40000, 10250)).outcome())
                .isEqualTo(Verdict.Outcome.REJECT);
        // the node reaches every pod; established replies pass
        assertThat(path.walk(Packet.of("10.88.0.1", "10.88.0.4", "tcp", 40000, 5432)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(path.walk(Packet.of("10.88.0.3", "10.88.0.4", "tcp", 40000, 5432)
                .withCtState(dev.podnet.dataplane.netfilter.CtState.ESTABLISHED)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
    }

    @Test
    void finalAcceptKeepsAllowedTrafficOnADockerStyleDropForward() {
        PacketPath path = path(PODS, POLICIES, "DROP");
        assertThat(path.walk(Packet.of("10.88.0.3", "10.88.0.2", "tcp", 40000, 8080)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        // traffic no policy is about is left to the node's own FORWARD rules
        Verdict v = path.walk(Packet.of("10.88.0.2", "10.88.0.3", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(v.reason()).isEqualTo("filter FORWARD policy DROP");
    }

    @Test
    void ruleCountGrowsWithPoliciesNotPodsSquared() {
        List<IPAddress> pods = new ArrayList<>();
        for (int i = 2; i < 202; i++) {
            pods.add(ip("10.88." + (i / 250) + "." + (i % 250 + 2)));
        }
        AllowPolicy all = new AllowPolicy("ns/all", pods, true, false,
                List.of(new Allow(false, pods, List.of(), List.of(PortSpec.of("tcp", 80)))), List.of());
        WhitelistGenerator.Output out = WhitelistGenerator.generate(pods, List.of(all));
        // per pod: 1 jump + 4 chain rules; the policy chain has 2 rules; fixed: 6 top + 2 accept + 3 entry jumps
        assertThat(out.ruleCount()).isEqualTo(200 * 5 + 2 + 6 + 2 + 3);
        assertThat(out.setCount()).isEqualTo(1);
        assertThat(out.ipsetRestore().lines().filter(l -> l.startsWith("add "))).hasSize(200);
    }

    @Test
    void zeroBlockIsSplitForHashNet() {
        AllowPolicy p = new AllowPolicy("ns/p", List.of(WEB), false, true, List.of(), List.of(
                new Allow(false, List.of(), List.of(new Block(Addresses.block("0.0.0.0/0"),
                        List.of(Addresses.block("10.0.0.0/8")))), List.of())));
        WhitelistGenerator.Output out = WhitelistGenerator.generate(List.of(WEB), List.of(p));
        assertThat(out.ipsetRestore()).contains(" 0.0.0.0/1\n", " 128.0.0.0/1\n", " 10.0.0.0/8 nomatch\n");
        PacketPath path = path(List.of(WEB), List.of(p), "ACCEPT");
        assertThat(path.walk(Packet.of("10.88.0.2", "203.0.113.7", "tcp", 1, 443)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(path.walk(Packet.of("10.88.0.2", "10.1.2.3", "tcp", 1, 443)).outcome())
                .isEqualTo(Verdict.Outcome.REJECT);
    }

    // ---------------------------------------------------------------- random

    static final String[][] PROBES = {{"tcp", "80"}, {"tcp", "8080"}, {"tcp", "8050"}, {"udp", "53"}};
    static final List<IPAddress> REMOTES = List.of(ip("192.0.2.50"), ip("192.0.2.66"), ip("203.0.113.7"));

    static List<IPAddress> subset(Random r, List<IPAddress> from) {
        List<IPAddress> out = new ArrayList<>();
        for (IPAddress a : from) {
            if (r.nextBoolean()) {
                out.add(a);
            }
        }
        return out;
    }

    static Allow randomAllow(Random r, List<IPAddress> pods) {
        boolean any = r.nextInt(4) == 0;
        List<IPAddress> peerPods = any ? List.of() : subset(r, pods);
        List<Block> blocks = new ArrayList<>();
        if (!any && r.nextBoolean()) {
            List<String> cidrs = List.of("192.0.2.0/24", "0.0.0.0/0", "10.88.0.0/24", "203.0.113.0/25");
            IPAddress cidr = Addresses.block(cidrs.get(r.nextInt(cidrs.size())));
            List<IPAddress> except = new ArrayList<>();
            if (r.nextBoolean()) {
                List<IPAddress> cands = new ArrayList<>(pods);
                cands.addAll(REMOTES);
                IPAddress e = cands.get(r.nextInt(cands.size()));
                if (Addresses.contains(cidr, e)) {
                    except.add(e.toPrefixBlock(32));
                }
            }
            blocks.add(new Block(cidr, except));
        }
        List<PortSpec> ports = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(5)) {
                case 0 -> ports.add(PortSpec.of("tcp", 80));
                case 1 -> ports.add(new PortSpec("tcp", 8000, 8100, null));
                case 2 -> ports.add(PortSpec.of("udp", 53));
                case 3 -> ports.add(new PortSpec("tcp", -1, -1, null));
                default -> {
                    Map<IPAddress, Integer> named = new HashMap<>();
                    for (IPAddress p : pods) {
                        if (r.nextBoolean()) {
                            named.put(p, r.nextBoolean() ? 80 : 8080);
                        }
                    }
                    ports.add(new PortSpec("tcp", -1, -1, named));
                }
            }
        }
        return new Allow(any, peerPods, blocks, ports);
    }

    @Property(tries = 60)
    void generatedRulesetAgreesWithTheAllowEntries(@ForAll long seed) {
        Random r = new Random(seed);
        List<IPAddress> pods = new ArrayList<>();
        int np = 2 + r.nextInt(5);
        for (int i = 0; i < np; i++) {
            pods.add(ip("10.88.0." + (2 + i)));
        }
        List<AllowPolicy> policies = new ArrayList<>();
        int npol = r.nextInt(5);
        for (int i = 0; i < npol; i++) {
            List<Allow> in = new ArrayList<>();
            List<Allow> eg = new ArrayList<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                in.add(randomAllow(r, pods));
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                eg.add(randomAllow(r, pods));
            }
            boolean ingress = r.nextInt(3) > 0;
            boolean egress = r.nextInt(2) > 0;
            policies.add(new AllowPolicy("ns/p" + i, subset(r, pods), ingress, egress, in, eg));
        }
        PacketPath path = path(pods, policies, "ACCEPT");
        List<IPAddress> all = new ArrayList<>(pods);
        all.addAll(REMOTES);
        for (IPAddress src : all) {
            for (IPAddress dst : all) {
                if (src.equals(dst) || (!pods.contains(src) && !pods.contains(dst))) {
                    continue;
                }
                for (String[] probe : PROBES) {
                    int port = Integer.parseInt(probe[1]);
                    Verdict v = path.walk(Packet.of(Addresses.text(src), Addresses.text(dst), probe[0], 40000, port));
                    boolean expect = allowed(policies, pods, src, dst, probe[0], port);
                    assertThat(v.outcome())
                            .as("seed %d: %s -> %s %s/%d\n%s", seed, src, dst, probe[0], port, v.traceText())
                            .isEqualTo(expect ? Verdict.Outcome.ACCEPT : Verdict.Outcome.REJECT);
                }
            }
        }
    }
}
