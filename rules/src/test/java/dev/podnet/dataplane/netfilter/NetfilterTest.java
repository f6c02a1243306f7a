package dev.podnet.dataplane.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import dev.podnet.dataplane.netfilter.Netfilter.Hook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each modelled match and target on small hand-written iptables-save inputs. */
class NetfilterTest {

    static final NodeNetwork NODE = new NodeNetwork("node-a", List.of(
            Link.of("eth0", "device", "192.0.2.11/24"),
            Link.of("cni0", "bridge", "10.88.0.1/24"),
            Link.port("veth-a", "cni0", false, "10.88.0.2"),
            Link.port("veth-b", "cni0", false, "10.88.0.3")),
            Map.of(), List.of(Route.of("default", "eth0")));

    /** A filter table whose FORWARD chain holds {@code rules} and ends in DROP policy. */
    static String filter(String... rules) {
        StringBuilder b = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        for (String r : rules) {
            if (r.startsWith(":")) {
                b.append(r).append('\n');
            }
        }
        for (String r : rules) {
            if (!r.startsWith(":")) {
                b.append(r).append('\n');
            }
        }
        return b.append("COMMIT\n").toString();
    }

    static Verdict forward(String save, Packet p) {
        return forward(save, "", p);
    }

    static Verdict forward(String save, String ipset, Packet p) {
        Ruleset rs = IptablesSaveParser.parse(save);
        assertThat(rs.problems()).isEmpty();
        IpsetModel sets = IpsetModel.parse(ipset);
        assertThat(sets.problems()).isEmpty();
        return new PacketPath(NODE, rs, sets).walkHooks(p, List.of(Hook.FORWARD));
    }

    static Packet tcp(String src, String dst, int dport) {
        return Packet.of(src, dst, "tcp", 40000, dport).withInterfaces("cni0", "cni0");
    }

    @Test
    void sourceAndDestinationWithNegation() {
        String s = filter("-A FORWARD -s 10.88.0.2/32 ! -d 10.88.0.0/24 -j ACCEPT",
                "-A FORWARD -s 10.88.0.0/255.255.255.0 -d 10.88.0.3 -j ACCEPT");
        assertThat(forward(s, tcp("10.88.0.2", "192.0.2.50", 80)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        Verdict v = forward(s, tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.trace()).anySatisfy(t -> assertThat(t.rule()).isEqualTo(2));
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.4", 80)).outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void policyDropIsNamed() {
        Verdict v = forward(filter(), tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(v.reason()).isEqualTo("filter FORWARD policy DROP");
        assertThat(v.trace()).last().satisfies(t -> assertThat(t.text()).isEqualTo(":FORWARD DROP"));
    }

    @Test
    void interfacesWithWildcard() {
        String s = filter("-A FORWARD -i cni+ ! -o eth0 -j ACCEPT");
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80).withInterfaces("cni0", "eth0")).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80).withInterfaces("flannel.1", "cni0")).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void protocolAndPortRangesWithImplicitMatch() {
        String s = filter("-A FORWARD -p udp -m udp --dport 53 -j ACCEPT",
                "-A FORWARD -p tcp --dport 8000:8080 -j ACCEPT",
                "-A FORWARD -p 6 -m tcp ! --sport 1024: -j ACCEPT");
        assertThat(forward(s, Packet.of("10.88.0.2", "10.88.0.3", "udp", 5000, 53)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 53)).outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 8080)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, Packet.of("10.88.0.2", "10.88.0.3", "tcp", 999, 9000)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
    }

    @Test
    void multiport() {
        String s = filter("-A FORWARD -p tcp -m multiport --dports 80,443,9000:9100 -j ACCEPT",
                "-A FORWARD -p tcp -m multiport ! --sports 1:1023 -m multiport --ports 22 -j ACCEPT");
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 9050)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 22)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, Packet.of("10.88.0.2", "10.88.0.3", "tcp", 80, 22)).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 8080)).outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void ipsetHashIpAndHashNetWithNomatch() {
        String sets = """
                create PODS hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
                add PODS 10.88.0.2 timeout 0
                create BLOCK hash:net family inet hashsize 1024 maxelem 65536
                add BLOCK 10.88.0.0/16
                add BLOCK 10.88.0.3 nomatch
                """;
        String s = filter("-A FORWARD -m set --match-set PODS src -m set --match-set BLOCK dst -j ACCEPT",
                "-A FORWARD -m set ! --match-set PODS src -j REJECT --reject-with icmp-port-unreachable");
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.4", 80)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.3", 80)).outcome()).isEqualTo(Verdict.Outcome.DROP);
        Verdict v = forward(s, sets, tcp("10.88.0.5", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.REJECT);
        assertThat(v.reason()).contains("rule 2").contains("! --match-set PODS src");
    }

    @Test
    void ipsetWithPortsAndListSet() {
        String sets = """
                create NAMED hash:ip,port family inet
                add NAMED 10.88.0.3,tcp:8080
                add NAMED 10.88.0.3,udp:53
                create NETPORT hash:net,port family inet
                add NETPORT 10.88.0.0/24,tcp:9000-9010
                add NETPORT 10.88.0.9,tcp:9000-9010 nomatch
                create A hash:ip family inet
                add A 10.88.0.7
                create B hash:ip family inet
                add B 10.88.0.8
                create ALL list:set size 8
                add ALL A
                add ALL B
                """;
        String s = filter("-A FORWARD -m set --match-set NAMED dst,dst -j ACCEPT",
                "-A FORWARD -m set --match-set NETPORT dst,dst -j ACCEPT",
                "-A FORWARD -m set --match-set ALL src -j ACCEPT");
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.3", 8080)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.3", 53)).outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, sets, Packet.of("10.88.0.2", "10.88.0.3", "udp", 1, 53)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.4", 9005)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, sets, tcp("10.88.0.2", "10.88.0.9", 9005)).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, sets, tcp("10.88.0.8", "10.88.0.9", 1)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, sets, tcp("10.88.0.6", "10.88.0.9", 1)).outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void missingIpsetIsUnknown() {
        Verdict v = forward(filter("-A FORWARD -m set --match-set NOPE src -j ACCEPT"),
                tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.UNKNOWN);
        assertThat(v.reason()).contains("FORWARD rule 1").contains("NOPE");
    }

    @Test
    void conntrackAndState() {
        String s = filter("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -m state ! --state NEW -j ACCEPT",
                "-A FORWARD -m conntrack --ctstate INVALID -j DROP");
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80).withCtState(CtState.ESTABLISHED)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        Verdict inv = forward(s, tcp("10.88.0.2", "10.88.0.3", 80).withCtState(CtState.INVALID));
        assertThat(inv.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(inv.trace()).anySatisfy(t -> assertThat(t.rule()).isEqualTo(2));
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80)).outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void physdev() {
        String s = filter("-A FORWARD -m physdev --physdev-in veth-a --physdev-is-bridged -j ACCEPT",
                "-A FORWARD -m physdev ! --physdev-is-bridged -d 10.88.0.9 -j ACCEPT",
                "-A FORWARD -m physdev --physdev-out veth+ -s 10.88.0.5 -j ACCEPT");
        Packet bridged = tcp("10.88.0.2", "10.88.0.3", 80).withPhysdev("veth-a", "veth-b", true);
        assertThat(forward(s, bridged).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, bridged.withPhysdev("veth-b", "veth-a", true)).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
        // routed packet without bridge info: only the negated option matches
        assertThat(forward(s, tcp("192.0.2.50", "10.88.0.9", 80).withInterfaces("eth0", "cni0")).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, tcp("10.88.0.5", "10.88.0.3", 80).withPhysdev("veth-c", "veth-b", true)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
    }

    @Test
    void markMatchAndMarkTargets() {
        String s = filter("-A FORWARD -j MARK --set-xmark 0x10000/0x10000",
                "-A FORWARD -j MARK --or-mark 0x4000",
                "-A FORWARD -j MARK --xor-mark 0x1",
                "-A FORWARD -j MARK --and-mark 0xfffffffe",
                "-A FORWARD -m mark ! --mark 0x14000/0x14000 -j DROP",
                "-A FORWARD -m mark --mark 0x14000 -j ACCEPT");
        Verdict v = forward(s, tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.packet().mark()).isEqualTo(0x14000);
        assertThat(v.trace()).extracting(TraceStep::effect).contains("mark 0x0 -> 0x10000", "mark 0x10000 -> 0x14000");
        Verdict w = forward(filter("-A FORWARD -j MARK --set-mark 0x2/0xf", "-A FORWARD -m mark --mark 0x2 -j ACCEPT"),
                tcp("10.88.0.2", "10.88.0.3", 80).withMark(0xff));
        assertThat(w.packet().mark()).isEqualTo(0xf2);
        assertThat(w.outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void commentLimitLogAndNflogContinue() {
        String s = filter("-A FORWARD -m comment --comment \"kube-router netpol: -d 10.88.0.3\" -m limit --limit 10/min "
                        + "--limit-burst 5 -j LOG --log-prefix \"fw: \"",
                "-A FORWARD -j NFLOG --nflog-group 100",
                "-A FORWARD -m comment --comment allow -j ACCEPT");
        Verdict v = forward(s, tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(v.trace()).filteredOn(t -> t.rule() > 0).extracting(TraceStep::rule).containsExactly(1, 2, 3);
        assertThat(v.trace().get(1).text()).contains("\"kube-router netpol: -d 10.88.0.3\"");
    }

    @Test
    void addrtype() {
        String s = filter("-A FORWARD -m addrtype --src-type LOCAL -j ACCEPT",
                "-A FORWARD -m addrtype ! --dst-type UNICAST -j DROP",
                "-A FORWARD -m addrtype --dst-type UNICAST -j ACCEPT");
        assertThat(forward(s, tcp("10.88.0.1", "10.88.0.255", 80)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.255", 80)).outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, tcp("10.88.0.2", "224.0.0.5", 80)).outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(forward(s, tcp("10.88.0.2", "10.88.0.3", 80)).outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
    }

    @Test
    void jumpReturnAndGoto() {
        String s = filter(":A - [0:0]", ":B - [0:0]", ":C - [0:0]",
                "-A FORWARD -j A",
                "-A FORWARD -m mark --mark 0x1/0x1 -j ACCEPT",
                "-A A -d 10.88.0.3 -g B",
                "-A A -j MARK --set-xmark 0x2/0x2",
                "-A B -j C",
                "-A B -j MARK --set-xmark 0x1/0x1",
                "-A C -p udp -j RETURN",
                "-A C -j RETURN",
                "-A C -j DROP");
        Verdict v = forward(s, tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.ACCEPT);
        // goto B: returning from B goes back to FORWARD, skipping A's rule 2
        assertThat(v.packet().mark()).isEqualTo(0x1);
        assertThat(v.trace()).filteredOn(t -> t.rule() > 0).extracting(t -> t.chain() + "#" + t.rule())
                .containsExactly("FORWARD#1", "A#1", "B#1", "C#2", "B#2", "FORWARD#2");
        Verdict w = forward(s, tcp("10.88.0.2", "10.88.0.4", 80));
        assertThat(w.packet().mark()).isEqualTo(0x2);
        assertThat(w.outcome()).isEqualTo(Verdict.Outcome.DROP);
    }

    @Test
    void returnFromBuiltinAppliesPolicy() {
        Verdict v = forward(filter("-A FORWARD -j RETURN", "-A FORWARD -j ACCEPT"), tcp("10.88.0.2", "10.88.0.3", 1));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.DROP);
        assertThat(v.reason()).isEqualTo("filter FORWARD policy DROP");
    }

    @Test
    void unknownMatchAndTargetNameTheRule() {
        String s = filter("-A FORWARD -p udp -m recent --name x --rcheck -j DROP",
                "-A FORWARD -p tcp -m recent --name x --rcheck -j DROP");
        // rule 1 cannot match a tcp packet, whatever its unknown part: skipped; rule 2 is UNKNOWN
        Verdict v = forward(s, tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.UNKNOWN);
        assertThat(v.reason()).startsWith("filter FORWARD rule 2 (-A FORWARD -p tcp -m recent")
                .contains("match module 'recent' is not modelled");
        Verdict t = forward(filter("-A FORWARD -j TPROXY --on-port 1"), tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(t.outcome()).isEqualTo(Verdict.Outcome.UNKNOWN);
        assertThat(t.reason()).contains("rule 1").contains("TPROXY");
        Verdict u = forward(filter("-A FORWARD -p tcp --syn -j ACCEPT"), tcp("10.88.0.2", "10.88.0.3", 80));
        assertThat(u.outcome()).isEqualTo(Verdict.Outcome.UNKNOWN);
        assertThat(u.reason()).contains("--syn");
    }

    @Test
    void parserReportsBadLinesAndKeepsGoing() {
        Ruleset rs = IptablesSaveParser.parse("""
                # Generated by iptables-save
                *filter
                :INPUT ACCEPT [10:200]
                :FORWARD DROP [3:180]
                :KUBE-FORWARD - [0:0]
                [5:300] -A FORWARD -j KUBE-FORWARD
                -A NOCHAIN -j ACCEPT
                -A FORWARD -s 10.0.0.300 -j ACCEPT
                -A KUBE-FORWARD -m comment --comment "unterminated -j ACCEPT
                -A KUBE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                """);
        assertThat(rs.problems()).extracting(ParseProblem::line).containsExactly(7, 8, 9);
        Chain fwd = rs.table("filter").orElseThrow().chain("FORWARD").orElseThrow();
        assertThat(fwd.policy()).isEqualTo("DROP");
        assertThat(fwd.packets()).isEqualTo(3);
        assertThat(fwd.rules().get(0).packets()).isEqualTo(5);
        assertThat(fwd.rules().get(0).text()).isEqualTo("-A FORWARD -j KUBE-FORWARD");
        assertThat(fwd.rules().get(0).target().kind()).isEqualTo(Target.Kind.JUMP);
        assertThat(rs.ruleCount()).isEqualTo(2);
    }

    @Test
    void noflushRestoreFlushesRedeclaredChainsAndInserts() {
        Ruleset rs = IptablesSaveParser.parse(List.of(filter(":OLD - [0:0]", "-A FORWARD -j OLD", "-A OLD -j DROP"),
                """
                *filter
                :OLD - [0:0]
                :NEW - [0:0]
                -A OLD -s 10.88.0.2 -j RETURN
                -A NEW -j ACCEPT
                -I FORWARD 1 -s 10.88.0.9 -j NEW
                -I FORWARD -s 10.88.0.8 -j NEW
                COMMIT
                """));
        assertThat(rs.problems()).isEmpty();
        Chain fwd = rs.table("filter").orElseThrow().chain("FORWARD").orElseThrow();
        assertThat(fwd.rules()).extracting(Rule::number).containsExactly(1, 2, 3);
        assertThat(fwd.rules()).extracting(Rule::text).containsExactly("-I FORWARD -s 10.88.0.8 -j NEW",
                "-I FORWARD 1 -s 10.88.0.9 -j NEW", "-A FORWARD -j OLD");
        assertThat(rs.table("filter").orElseThrow().chain("OLD").orElseThrow().rules()).hasSize(1);
        PacketPath path = new PacketPath(NODE, rs, new IpsetModel());
        assertThat(path.walkHooks(tcp("10.88.0.9", "10.88.0.3", 80), List.of(Hook.FORWARD)).outcome())
                .isEqualTo(Verdict.Outcome.ACCEPT);
        assertThat(path.walkHooks(tcp("10.88.0.2", "10.88.0.3", 80), List.of(Hook.FORWARD)).outcome())
                .isEqualTo(Verdict.Outcome.DROP);
    }
}
