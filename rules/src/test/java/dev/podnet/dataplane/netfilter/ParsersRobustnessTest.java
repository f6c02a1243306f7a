package dev.podnet.dataplane.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Bad input never throws: it becomes parse problems with line numbers, or UNKNOWN verdicts. */
class ParsersRobustnessTest {

    static final List<String> WORDS = List.of("*filter", "*nat", "COMMIT", ":FORWARD", "ACCEPT", "DROP", "-", "[0:0]",
            "[x:y]", "-A", "-I", "FORWARD", "X", "-j", "-g", "-m", "set", "--match-set", "src,dst", "!", "-s",
            "10.0.0.0/8", "10.0.0.300", "-p", "tcp", "--dport", "80:", "abc", "\"", "\"a b\"", "multiport",
            "--dports", "1,2:3", "MARK", "--set-xmark", "0x1/0x1", "zz/0x1", "DNAT", "--to-destination", "1.2.3.4:80",
            "1.2.3.4-1.2.3.9", "[fd00::1", "[fd00::1]:80", "fd00::1", "physdev", "--physdev-in", "veth+", "conntrack", "--ctstate", "NEW,DNAT", "\n",
            "\n", "\n", "create", "add", "hash:ip", "hash:net", "hash:ip,port", "list:set", "1.2.3.4,tcp:x",
            "nomatch", "netmask", "24");

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.of(WORDS).list().ofMaxSize(60).map(l -> String.join(" ", l));
    }

    @Property(tries = 500)
    void iptablesSaveParserNeverThrows(@ForAll("junk") String text) {
        Ruleset rs = IptablesSaveParser.parse(text);
        assertThat(rs.problems()).allSatisfy(p -> assertThat(p.line()).isPositive());
        Netfilter nf = new Netfilter(rs, new MatchContext(IpsetModel.parse(text), null));
        for (Netfilter.Hook h : Netfilter.Hook.values()) {
            nf.hook(h, Packet.of("10.0.0.1", "10.0.0.2", "tcp", 1, 80).withInterfaces("a", "b"),
                    new java.util.ArrayList<>());
        }
    }

    @Property(tries = 500)
    void ipsetParserNeverThrows(@ForAll("junk") String text) {
        IpsetModel m = IpsetModel.parse(text);
        for (IpsetModel.IpSet s : m.sets()) {
            String[] why = new String[1];
            m.test(s.name(), List.of("src", "dst"), Packet.of("10.0.0.1", "10.0.0.2", "tcp", 1, 80), why);
        }
    }

    @Test
    void ipsetProblemsNameTheLine() {
        IpsetModel m = IpsetModel.parse("""
                create A hash:ip family inet
                add A 10.0.0.1
                add B 10.0.0.2
                add A not-an-ip
                create P hash:ip,port
                add P 10.0.0.1,tcp:http
                create M hash:ip netmask 24
                add M 10.0.0.0
                create T hash:mac
                frobnicate
                """);
        assertThat(m.problems()).extracting(ParseProblem::line).containsExactly(3, 4, 6, 10);
        assertThat(m.problems().get(0).message()).isEqualTo("add to undeclared set B");
        String[] why = new String[1];
        Packet p = Packet.of("10.0.0.1", "10.0.0.2", "tcp", 1, 80);
        assertThat(m.test("A", List.of("src"), p, why)).isEqualTo(Truth.YES);
        assertThat(m.test("M", List.of("src"), p, why)).isEqualTo(Truth.UNKNOWN);
        assertThat(why[0]).contains("netmask");
        assertThat(m.test("T", List.of("src"), p, why)).isEqualTo(Truth.UNKNOWN);
        assertThat(why[0]).contains("hash:mac");
    }
}
