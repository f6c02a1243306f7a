package dev.podnet.dataplane.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.cni.CniConfig;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import dev.podnet.dataplane.ipam.IpamStore;
import dev.podnet.dataplane.netfilter.IpsetModel;
import dev.podnet.dataplane.netfilter.IptablesSaveParser;
import dev.podnet.dataplane.netfilter.Packet;
import dev.podnet.dataplane.netfilter.PacketPath;
import dev.podnet.dataplane.netfilter.Verdict;
import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetnsPlannerTest {

    static CniConfig cni(String name, String json) {
        List<Diagnostic> diags = new ArrayList<>();
        SourceFile f = LintEngine.read(InputFile.of(name, json), diags);
        assertThat(diags).isEmpty();
        List<CniConfig> all = CniConfig.from(new Workspace(List.of(f)));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    static final String BRIDGE = """
            {"cniVersion": "1.0.0", "name": "podnet", "plugins": [
              {"type": "bridge", "bridge": "cni0", "isGateway": true, "isDefaultGateway": true, "ipMasq": true,
               "hairpinMode": true,
               "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/24"}]],
                        "routes": [{"dst": "192.0.2.0/24"}]}},
              {"type": "portmap", "capabilities": {"portMappings": true},
               "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}},
              {"type": "bandwidth", "ingressRate": 1000000, "ingressBurst": 100000, "egressRate": 2000000,
               "egressBurst": 200000},
              {"type": "firewall"},
              {"type": "tuning", "sysctl": {"net.core.somaxconn": "1024"}, "mtu": 1400}
            ]}
            """;

    static NodeNetwork bareNode() {
        return new NodeNetwork("node-a", List.of(Link.of("eth0", "device", "192.0.2.11/24")), Map.of(),
                List.of(Route.of("default", "eth0")));
    }

    @Test
    void bridgeOnAFreshNode() {
        NetnsPlanner planner = new NetnsPlanner(bareNode(), new IpamStore());
        NetnsPlan p = planner.plan(PodRef.of("shop", "web-0"), cni("10-podnet.conflist", BRIDGE));
        assertThat(p.failed()).isFalse();
        assertThat(p.steps()).extracting(s -> s.getClass().getSimpleName()).startsWith(
                "CreateNetns", "EnsureBridge", "CreateVeth", "AttachToBridge", "SetHairpin", "Ipam", "AddAddress",
                "LinkUp", "AddRoute", "AddRoute", "AddAddress", "Sysctl", "Iptables");
        String script = p.script();
        String veth = p.hostLink();
        assertThat(veth).matches("veth[0-9a-f]{8}");
        assertThat(script).contains(
                "ip netns add cni-shop-web-0",
                "ip link add name cni0 type bridge",
                "ip -n cni-shop-web-0 link add eth0 type veth peer name " + veth,
                "ip -n cni-shop-web-0 link set " + veth + " netns 1",
                "ip link set " + veth + " master cni0",
                "bridge link set dev " + veth + " hairpin on",
                "ip -n cni-shop-web-0 addr add 10.88.0.2/24 dev eth0",
                "ip -n cni-shop-web-0 route add 192.0.2.0/24 via 10.88.0.1 dev eth0",
                "ip -n cni-shop-web-0 route add default via 10.88.0.1 dev eth0",
                "ip addr add 10.88.0.1/24 dev cni0",
                "sysctl -w net.ipv4.ip_forward=1",
                "! -d 224.0.0.0/4",
                "-j DNAT --to-destination 10.88.0.2:80",
                "tc qdisc add dev " + veth + " root tbf rate 1000000bit burst 100000b latency 25ms",
                "iptables -A CNI-FORWARD -s 10.88.0.2 -j ACCEPT",
                "ip netns exec cni-shop-web-0 sysctl -w net.core.somaxconn=1024",
                "ip -n cni-shop-web-0 link set eth0 mtu 1400");
        NetnsStep.Iptables masq = (NetnsStep.Iptables) p.steps().stream()
                .filter(s -> s instanceof NetnsStep.Iptables i && i.purpose().startsWith("ipMasq")).findFirst()
                .orElseThrow();
        assertThat(masq.rules().get(0)).matches("iptables -t nat -N CNI-[0-9a-f]{24}");
        NodeNetwork node = planner.node();
        assertThat(node.link("cni0").orElseThrow().addresses()).extracting(Object::toString)
                .containsExactly("10.88.0.1/24");
        assertThat(node.link(veth).orElseThrow().master()).isEqualTo("cni0");
        assertThat(node.ipForward()).isTrue();
    }

    @Test
    void secondPodReusesTheBridgeAndGetsTheNextAddress() {
        NetnsPlanner planner = new NetnsPlanner(bareNode(), new IpamStore());
        CniConfig c = cni("10-podnet.conflist", BRIDGE);
        planner.plan(PodRef.of("shop", "web-0"), c);
        NetnsPlan p = planner.plan(PodRef.of("shop", "client-0"), c);
        assertThat(p.steps().get(1)).isEqualTo(new NetnsStep.EnsureBridge("bridge", "cni0", false, 0, false));
        assertThat(p.podAddresses()).extracting(Object::toString).containsExactly("10.88.0.3/24");
        assertThat(p.script()).doesNotContain("ip addr add 10.88.0.1/24 dev cni0");
    }

    @Test
    void nameTakenByANonBridgeLinkFails() {
        NodeNetwork node = new NodeNetwork("node-a", List.of(Link.of("cni0", "dummy", "10.1.0.1/24")), Map.of(),
                List.of());
        NetnsPlan p = new NetnsPlanner(node, new IpamStore()).plan(PodRef.of("shop", "web-0"),
                cni("10-podnet.conflist", BRIDGE));
        assertThat(p.failed()).isTrue();
        assertThat(p.steps()).last().isEqualTo(new NetnsStep.Fail("bridge",
                "\"cni0\" already exists but is not a bridge"));
    }

    @Test
    void bridgeHoldingAnotherAddressFailsUnlessForceAddress() {
        NodeNetwork node = new NodeNetwork("node-a", List.of(Link.of("cni0", "bridge", "10.88.0.254/24")),
                Map.of(), List.of());
        IpamStore store = new IpamStore();
        NetnsPlan p = new NetnsPlanner(node, store).plan(PodRef.of("shop", "web-0"),
                cni("10-podnet.conflist", BRIDGE));
        assertThat(p.steps()).last().isEqualTo(new NetnsStep.Fail("bridge",
                "\"cni0\" already has an IP address different from 10.88.0.1/24"));
        assertThat(store.allocated()).as("IPAM allocation released on failure").isEmpty();
        NetnsPlan forced = new NetnsPlanner(node, store).plan(PodRef.of("shop", "web-0"),
                cni("10-podnet.conflist", BRIDGE.replace("\"hairpinMode\": true", "\"forceAddress\": true")));
        assertThat(forced.failed()).isFalse();
        assertThat(forced.script()).contains("ip addr del 10.88.0.254/24 dev cni0", "ip addr add 10.88.0.1/24 dev cni0",
                "bridge link set dev " + forced.hostLink() + " hairpin off");
    }

    @Test
    void ipamExhaustionFailsWithThePluginText() {
        String conf = BRIDGE.replace("10.88.0.0/24", "10.88.0.0/30");
        NetnsPlanner planner = new NetnsPlanner(bareNode(), new IpamStore());
        CniConfig c = cni("10-podnet.conflist", conf);
        assertThat(planner.plan(PodRef.of("shop", "a"), c).failed()).isFalse();
        NetnsPlan p = planner.plan(PodRef.of("shop", "b"), c);
        assertThat(p.steps()).last().isEqualTo(new NetnsStep.Fail("host-local",
                "failed to allocate for range 0: no IP addresses available in range set: 10.88.0.1-10.88.0.2"));
    }

    @Test
    void requestedIpIsHonoured() {
        NetnsPlan p = new NetnsPlanner(bareNode(), new IpamStore()).plan(
                PodRef.of("shop", "web-0").withRequestedIp("10.88.0.77"), cni("10-podnet.conflist", BRIDGE));
        assertThat(p.podAddresses()).extracting(Object::toString).containsExactly("10.88.0.77/24");
    }

    @Test
    void ptpOutline() {
        NetnsPlanner planner = new NetnsPlanner(bareNode(), new IpamStore());
        NetnsPlan p = planner.plan(PodRef.of("shop", "web-0"), cni("10-ptp.conf", """
                {"cniVersion": "0.4.0", "name": "ptpnet", "type": "ptp", "ipMasq": true,
                 "ipam": {"type": "host-local", "subnet": "10.1.1.0/24", "routes": [{"dst": "0.0.0.0/0"}]}}
                """));
        assertThat(p.failed()).isFalse();
        String v = p.hostLink();
        assertThat(p.script()).contains("ip -n cni-shop-web-0 addr add 10.1.1.2/32 dev eth0",
                "ip -n cni-shop-web-0 route add 10.1.1.1/32 dev eth0",
                "ip -n cni-shop-web-0 route add default via 10.1.1.1 dev eth0",
                "ip addr add 10.1.1.1/32 dev " + v, "ip route add 10.1.1.2/32 dev " + v);
        assertThat(planner.node().portForPod(dev.podnet.dataplane.Addresses.address("10.1.1.2")))
                .hasValueSatisfying(l -> assertThat(l.master()).isNull());
    }

    @Test
    void macvlanOutlineAndMissingMaster() {
        String conf = """
                {"cniVersion": "1.0.0", "name": "mv", "type": "macvlan", "master": "%s", "mode": "bridge",
                 "ipam": {"type": "static", "addresses": [{"address": "192.0.2.50/24", "gateway": "192.0.2.1"}],
                          "routes": [{"dst": "0.0.0.0/0"}]}}
                """;
        NetnsPlan ok = new NetnsPlanner(bareNode(), new IpamStore()).plan(PodRef.of("shop", "web-0"),
                cni("10-mv.conf", conf.formatted("eth0")));
        assertThat(ok.script()).contains("type macvlan mode bridge", "ip -n cni-shop-web-0 addr add 192.0.2.50/24 dev eth0",
                "ip -n cni-shop-web-0 route add default via 192.0.2.1 dev eth0");
        NetnsPlan bad = new NetnsPlanner(bareNode(), new IpamStore()).plan(PodRef.of("shop", "web-0"),
                cni("10-mv.conf", conf.formatted("eth9")));
        assertThat(bad.steps()).last().isEqualTo(new NetnsStep.Fail("macvlan",
                "failed to lookup master \"eth9\": Link not found"));
    }

    @Test
    void unknownPluginIsNamedNotGuessed() {
        NetnsPlan p = new NetnsPlanner(bareNode(), new IpamStore()).plan(PodRef.of("shop", "web-0"), cni(
                "10-flannel.conflist", """
                        {"cniVersion": "0.3.1", "name": "cbr0", "plugins": [{"type": "flannel", "delegate": {}}]}
                        """));
        assertThat(p.steps()).last().isInstanceOf(NetnsStep.NotModelled.class);
        assertThat(p.steps().get(p.steps().size() - 1).describe()).contains("flannel");
    }

    @Test
    void plannedNodeFeedsThePacketPath() {
        NetnsPlanner planner = new NetnsPlanner(bareNode(), new IpamStore());
        CniConfig c = cni("10-podnet.conflist", BRIDGE);
        NetnsPlan a = planner.plan(PodRef.of("shop", "a"), c);
        NetnsPlan b = planner.plan(PodRef.of("shop", "b"), c);
        PacketPath path = new PacketPath(planner.node(), IptablesSaveParser.parse("""
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD DROP [0:0]
                :OUTPUT ACCEPT [0:0]
                -A FORWARD -m physdev --physdev-is-bridged -j ACCEPT
                COMMIT
                """), new IpsetModel());
        Verdict v = path.walk(Packet.of("10.88.0.2", "10.88.0.3", "tcp", 40000, 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.packet().physdevIn()).isEqualTo(a.hostLink());
        assertThat(v.packet().physdevOut()).isEqualTo(b.hostLink());
    }
}
