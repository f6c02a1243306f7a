package dev.podnet.dataplane.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Packet paths on whole nodes: the node-level situations of corpus cases 011, 015 and 024, plus bridged
 * pod-to-pod with and without br_netfilter, pod to node (INPUT) and node to pod (OUTPUT).
 */
class NodeCasesTest {

    static String resource(String name) {
        try (InputStream in = NodeCasesTest.class.getResourceAsStream("/dataplane/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Ruleset rules(String name) {
        Ruleset rs = IptablesSaveParser.parse(resource(name));
        assertThat(rs.problems()).isEmpty();
        return rs;
    }

    // ---- case 011: flannel without a policy agent

    static final NodeNetwork NODE_011 = new NodeNetwork("node-a", List.of(
            Link.of("eth0", "device", "192.0.2.11/24"),
            Link.of("flannel.1", "vxlan", "10.42.1.0/32"),
            Link.of("cni0", "bridge", "10.42.1.1/24"),
            Link.port("veth-web0", "cni0", true, "10.42.1.10")),
            Map.of(), List.of(Route.of("10.42.0.0/16", "flannel.1"), Route.of("default", "eth0")));

    @Test
    void case011FlannelAloneDoesNotEnforceThePolicy() {
        PacketPath path = new PacketPath(NODE_011, rules("case011-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.2.11", "10.42.1.10", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.trace()).anySatisfy(t -> {
            assertThat(t.chain()).isEqualTo("FLANNEL-FWD");
            assertThat(t.rule()).isEqualTo(1);
            assertThat(t.effect()).isEqualTo("ACCEPT");
        });
        assertThat(v.packet().inInterface()).isEqualTo("flannel.1");
        assertThat(v.packet().outInterface()).isEqualTo("cni0");
    }

    @Test
    void case011WithAnEnforcingAgentRejects() {
        PacketPath path = new PacketPath(NODE_011, rules("case011-node-a-enforced.iptables"), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.2.11", "10.42.1.10", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.REJECT);
        assertThat(v.reason()).startsWith("filter KUBE-POD-FW-WEB0 rule 5");
        assertThat(v.trace()).filteredOn(t -> t.rule() > 0).extracting(t -> t.chain() + "#" + t.rule())
                .containsExactly("FORWARD#1", "KUBE-ROUTER-FORWARD#1", "KUBE-POD-FW-WEB0#1",
                        "KUBE-POD-FW-WEB0#3", "KUBE-POD-FW-WEB0#4", "KUBE-POD-FW-WEB0#5");
        // replies of connections the node itself opened are let through by the COMMON chain
        Verdict est = path.walk(Packet.of("10.42.2.11", "10.42.1.10", "tcp", 40000, 80)
                .withCtState(CtState.ESTABLISHED));
        assertThat(est.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        // the node can always reach its pods (addrtype LOCAL)
        Verdict fromNodeAddr = path.walk(Packet.of("10.42.1.1", "10.42.1.10", "tcp", 40000, 80));
        assertThat(fromNodeAddr.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
    }

    // ---- case 015: bridge port without hairpin, pod to its own Service

    static NodeNetwork node015(boolean hairpin, int brnf) {
        return new NodeNetwork("node-a", List.of(
                Link.of("eth0", "device", "192.0.2.11/24"),
                Link.of("cni0", "bridge", "10.42.0.1/24"),
                Link.port("veth-web0", "cni0", hairpin, "10.42.0.15"),
                Link.port("veth-client", "cni0", hairpin, "10.42.0.16")),
                Map.of(NodeNetwork.BRIDGE_NF_CALL_IPTABLES, String.valueOf(brnf)), List.of(Route.of("default",
                "eth0")));
    }

    static final Packet SELF_VIA_SERVICE = Packet.of("10.42.0.15", "10.43.20.30", "tcp", 40000, 80);

    @Test
    void case015HairpinOffDropsPodReachingItselfThroughItsService() {
        PacketPath path = new PacketPath(node015(false, 1), rules("case015-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(SELF_VIA_SERVICE);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(v.reason()).contains("hairpin mode off").contains("veth-web0");
        assertThat(v.trace()).anySatisfy(t -> assertThat(t.effect()).isEqualTo("DNAT 10.43.20.30:80 -> 10.42.0.15:80"));
        assertThat(v.trace()).noneMatch(t -> t.chain().equals("FORWARD"));
    }

    @Test
    void case015HairpinOnDeliversMasqueradedToTheBridgeAddress() {
        PacketPath path = new PacketPath(node015(true, 1), rules("case015-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(SELF_VIA_SERVICE);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.packet().src().toString()).isEqualTo("10.42.0.1");
        assertThat(v.packet().physdevIn()).isEqualTo("veth-web0");
        assertThat(v.packet().physdevOut()).isEqualTo("veth-web0");
        assertThat(v.trace()).extracting(TraceStep::effect).contains("MASQUERADE 10.42.0.15 -> 10.42.0.1");
    }

    @Test
    void case015OtherPodReachesTheServiceWithHairpinOff() {
        PacketPath path = new PacketPath(node015(false, 1), rules("case015-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.0.16", "10.43.20.30", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.packet().src().toString()).isEqualTo("10.42.0.16");
        assertThat(v.packet().dst().toString()).isEqualTo("10.42.0.15");
    }

    @Test
    void case015WithoutBrNetfilterTheServicePacketIsRoutedThroughTheBridgeDevice() {
        PacketPath path = new PacketPath(node015(false, 0), rules("case015-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(SELF_VIA_SERVICE);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.packet().physdevIn()).isNull();
        assertThat(v.packet().src().toString()).isEqualTo("10.42.0.1");
    }

    // ---- case 024: ip_forward=0

    static NodeNetwork node024(int ipForward) {
        return new NodeNetwork("node-a", List.of(
                Link.of("eth0", "device", "192.0.2.61/24"),
                Link.port("lxc-client0", null, false, "10.0.1.20")),
                Map.of(NodeNetwork.IP_FORWARD, String.valueOf(ipForward)),
                List.of(Route.of("10.0.2.0/24", "eth0"), Route.of("default", "eth0")));
    }

    @Test
    void case024IpForwardOffDropsRoutedPodTraffic() {
        PacketPath path = new PacketPath(node024(0), rules("case024-node-a.iptables"), new IpsetModel());
        for (Packet p : List.of(Packet.of("10.0.1.20", "10.0.2.30", "tcp", 40000, 80),
                Packet.of("10.0.1.20", "203.0.113.7", "tcp", 40000, 443))) {
            Verdict v = path.walk(p);
            assertThat(v.outcome()).isEqualTo(Verdict.Outcome.DROP);
            assertThat(v.reason()).contains("net.ipv4.ip_forward=0 on node-a");
        }
        PacketPath on = new PacketPath(node024(1), rules("case024-node-a.iptables"), new IpsetModel());
        Verdict ok = on.walk(Packet.of("10.0.1.20", "10.0.2.30", "tcp", 40000, 80));
        assertThat(ok.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(ok.packet().inInterface()).isEqualTo("lxc-client0");
        assertThat(ok.packet().outInterface()).isEqualTo("eth0");
    }

    @Test
    void case024PodToItsNodeStillWorks() {
        PacketPath path = new PacketPath(node024(0), rules("case024-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.0.1.20", "192.0.2.61", "tcp", 40000, 10250));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.trace()).anySatisfy(t -> assertThat(t.chain()).isEqualTo("INPUT"));
    }

    // ---- bridged pod-to-pod, pod to node, node to pod

    static final String BRIDGED_POLICY = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -s 10.42.0.16/32 -m physdev --physdev-in veth-client -p tcp --dport 10250 -j DROP
            -A FORWARD -m physdev --physdev-is-bridged -d 10.42.0.15/32 -p tcp --dport 80 -j REJECT
            -A OUTPUT -o cni0 -d 10.42.0.15/32 -p tcp --dport 8080 -j DROP
            COMMIT
            """;

    @Test
    void bridgedPodToPodSeesBridgeAsInterfacesAndVethsAsPhysdev() {
        Ruleset rs = IptablesSaveParser.parse(BRIDGED_POLICY);
        PacketPath path = new PacketPath(node015(false, 1), rs, new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.0.16", "10.42.0.15", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.REJECT);
        assertThat(v.packet().inInterface()).isEqualTo("cni0");
        assertThat(v.packet().outInterface()).isEqualTo("cni0");
        assertThat(v.packet().physdevIn()).isEqualTo("veth-client");
        assertThat(v.packet().physdevOut()).isEqualTo("veth-web0");
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void bridgeNfCallIptablesOffSkipsIptablesWithAWarning() {
        Ruleset rs = IptablesSaveParser.parse(BRIDGED_POLICY);
        PacketPath path = new PacketPath(node015(false, 0), rs, new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.0.16", "10.42.0.15", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.warnings()).singleElement().asString().contains("net.bridge.bridge-nf-call-iptables=0");
        assertThat(v.trace()).noneMatch(t -> t.rule() > 0);
    }

    @Test
    void podToNodeTraversesInputAndNodeToPodTraversesOutput() {
        Ruleset rs = IptablesSaveParser.parse(BRIDGED_POLICY);
        PacketPath path = new PacketPath(node015(false, 1), rs, new IpsetModel());
        Verdict in = path.walk(Packet.of("10.42.0.16", "10.42.0.1", "tcp", 40000, 10250));
        assertThat(in.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(in.reason()).startsWith("filter INPUT rule 1");
        Verdict out = path.walk(Packet.of("10.42.0.1", "10.42.0.15", "tcp", 40000, 8080));
        assertThat(out.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(out.reason()).startsWith("filter OUTPUT rule 1");
        assertThat(path.walk(Packet.of("10.42.0.1", "10.42.0.15", "tcp", 40000, 80)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
    }

    @Test
    void natOnlyForNewConnections() {
        PacketPath path = new PacketPath(node015(true, 1), rules("case015-node-a.iptables"), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.42.0.16", "10.43.20.30", "tcp", 40000, 80)
                .withCtState(CtState.ESTABLISHED));
        assertThat(v.trace()).noneMatch(t -> t.table().equals("nat"));
    }

    // ---- table order per hook, NAT targets

    /** A LOG rule in every built-in chain of raw, mangle, nat and filter. */
    static String everywhere() {
        StringBuilder b = new StringBuilder();
        Map<String, List<String>> chains = Map.of(
                "raw", List.of("PREROUTING", "OUTPUT"),
                "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
                "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
                "filter", List.of("INPUT", "FORWARD", "OUTPUT"));
        for (String t : List.of("raw", "mangle", "nat", "filter")) {
            b.append('*').append(t).append('\n');
            for (String c : chains.get(t)) {
                b.append(':').append(c).append(" ACCEPT [0:0]\n");
            }
            for (String c : chains.get(t)) {
                b.append("-A ").append(c).append(" -j LOG --log-prefix \"").append(t).append(' ').append(c)
                        .append("\"\n");
            }
            b.append("COMMIT\n");
        }
        return b.toString();
    }

    static List<String> tablesSeen(Verdict v) {
        return v.trace().stream().filter(t -> t.rule() > 0).map(t -> t.table() + " " + t.chain()).toList();
    }

    @Test
    void tablesAreVisitedInKernelOrderOnEachPath() {
        PacketPath path = new PacketPath(node015(false, 1), IptablesSaveParser.parse(everywhere()), new IpsetModel());
        assertThat(tablesSeen(path.walk(Packet.of("10.42.0.16", "10.42.0.15", "tcp", 1, 80)))).containsExactly(
                "raw PREROUTING", "mangle PREROUTING", "nat PREROUTING", "mangle FORWARD", "filter FORWARD",
                "mangle POSTROUTING", "nat POSTROUTING");
        assertThat(tablesSeen(path.walk(Packet.of("10.42.0.16", "10.42.0.1", "tcp", 1, 80)))).containsExactly(
                "raw PREROUTING", "mangle PREROUTING", "nat PREROUTING", "mangle INPUT", "filter INPUT",
                "nat INPUT");
        assertThat(tablesSeen(path.walk(Packet.of("10.42.0.1", "10.42.0.15", "tcp", 1, 80)))).containsExactly(
                "raw OUTPUT", "mangle OUTPUT", "nat OUTPUT", "filter OUTPUT", "mangle POSTROUTING",
                "nat POSTROUTING");
        assertThat(tablesSeen(path.walk(Packet.of("10.42.0.16", "10.42.0.15", "tcp", 1, 80)
                .withCtState(CtState.ESTABLISHED)))).containsExactly(
                "raw PREROUTING", "mangle PREROUTING", "mangle FORWARD", "filter FORWARD", "mangle POSTROUTING");
    }

    @Test
    void dnatToTheNodeGoesToInputAndSnatRewritesTheSource() {
        Ruleset rs = IptablesSaveParser.parse("""
                *nat
                :PREROUTING ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                -A PREROUTING -d 10.43.0.1/32 -p tcp --dport 443 -j DNAT --to-destination 192.0.2.11:6443
                -A POSTROUTING -o eth0 -s 10.42.0.0/16 -j SNAT --to-source 192.0.2.11
                COMMIT
                *filter
                :INPUT DROP [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A INPUT -d 192.0.2.11/32 -p tcp --dport 6443 -j ACCEPT
                COMMIT
                """);
        PacketPath path = new PacketPath(node015(false, 1), rs, new IpsetModel());
        Verdict api = path.walk(Packet.of("10.42.0.16", "10.43.0.1", "tcp", 40000, 443));
        assertThat(api.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(api.reason()).contains("to the node");
        assertThat(api.packet().dport()).isEqualTo(6443);
        Verdict out = path.walk(Packet.of("10.42.0.16", "203.0.113.7", "tcp", 40000, 443));
        assertThat(out.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(out.packet().src().toString()).isEqualTo("192.0.2.11");
        assertThat(out.packet().outInterface()).isEqualTo("eth0");
    }

    @Test
    void masqueradeWithoutAnInterfaceAddressIsUnknown() {
        NodeNetwork node = new NodeNetwork("node-a", List.of(Link.of("eth0", "device"),
                Link.of("cni0", "bridge", "10.42.0.1/24"), Link.port("veth-a", "cni0", false, "10.42.0.16")),
                Map.of(), List.of(Route.of("default", "eth0")));
        Ruleset rs = IptablesSaveParser.parse("""
                *nat
                :POSTROUTING ACCEPT [0:0]
                -A POSTROUTING -o eth0 -j MASQUERADE
                COMMIT
                """);
        Verdict v = new PacketPath(node, rs, new IpsetModel()).walk(Packet.of("10.42.0.16", "203.0.113.7", "tcp", 1,
                443));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.UNKNOWN);
        assertThat(v.reason()).contains("nat POSTROUTING rule 1").contains("MASQUERADE needs an address on output "
                + "interface eth0");
    }
}
