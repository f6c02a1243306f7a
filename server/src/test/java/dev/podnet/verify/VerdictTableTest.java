package dev.podnet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The conformance table format: parsing, printing, expectations; probes. */
class VerdictTableTest {

    @Test
    void parsesAConformanceTableAndPrintsItBackLineForLine() {
        String text = Conformance.resource("037-sctp-allow-does-not-allow-tcp/expected.txt");
        VerdictTable t = VerdictTable.parse("expected.txt", text);
        assertThat(t.probes()).containsExactly(new Probe(81, "TCP"), new Probe(81, "SCTP"), new Probe(80, "SCTP"));
        assertThat(t.pods()).hasSize(9).startsWith("x/a", "x/b", "x/c", "y/a");
        assertThat(t.expect("x/b", "x/a", 81, "TCP")).isEqualTo(Verdict.DENY);
        assertThat(t.expect("x/b", "x/a", 81, "SCTP")).isEqualTo(Verdict.ALLOW);
        assertThat(t.expect("x/b", "x/a", 82, "TCP")).isNull();
        String body = text.substring(text.indexOf("[81/TCP]"));
        assertThat(t.format(List.of())).isEqualTo(body);
    }

    @Test
    void podsSortByNamespaceThenName() {
        VerdictTable t = new VerdictTable("k");
        Probe p = new Probe(80, "TCP");
        for (String a : List.of("y/a", "kube-system/coredns", "x/b", "x/a")) {
            t.put(p, a, a, Verdict.ALLOW);
        }
        assertThat(t.pods()).containsExactly("kube-system/coredns", "x/a", "x/b", "y/a");
        t.markNotProbed(new Probe(81, "SCTP"), "no SCTP");
        assertThat(t.format(List.of("kernel"))).isEqualTo("""
                # kernel

                [80/TCP]
                kube-system/coredns kube-system/coredns allow
                x/a x/a allow
                x/b x/b allow
                y/a y/a allow

                # [81/SCTP] not probed: no SCTP
                """);
        assertThat(t.get(new Probe(81, "SCTP"), "x/a", "x/a")).isEqualTo(Verdict.NOT_PROBED);
        assertThat(t.expect("x/a", "x/a", 81, "SCTP")).isNull();
    }

    @Test
    void badLinesNameTheLine() {
        assertThatThrownBy(() -> VerdictTable.parse("e.txt", "# c\n[80/TCP]\nx/a x/b maybe\n"))
                .hasMessageStartingWith("e.txt:3: expected 'namespace/pod namespace/pod allow|deny'");
        assertThatThrownBy(() -> VerdictTable.parse("e.txt", "x/a x/b allow\n"))
                .hasMessage("e.txt:1: a pair line before the first [PORT/PROTOCOL] header");
        assertThatThrownBy(() -> VerdictTable.parse("e.txt", "[80/ICMP]\n"))
                .hasMessage("e.txt:1: protocol 'ICMP' is not TCP, UDP or SCTP");
    }

    @Test
    void probes() {
        assertThat(Probe.parse("53/udp")).isEqualTo(new Probe(53, "UDP"));
        assertThat(Probe.parse("8080")).isEqualTo(new Probe(8080, "TCP"));
        assertThat(Probe.parse("81/SCTP").toString()).isEqualTo("81/SCTP");
        assertThatThrownBy(() -> Probe.parse("http/TCP")).hasMessageContaining("is not PORT/PROTOCOL");
        assertThatThrownBy(() -> Probe.parse("70000/TCP")).hasMessageContaining("outside 1-65535");
    }
}
