package dev.podnet.dataplane.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.dataplane.Addresses;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generator's output and what the real iptables-save / ipset save printed after loading it give the same
 * verdicts (see test resources dataplane/README.md for how the saved files were made).
 */
class WhitelistRoundTripTest {

    static String resource(String name) {
        try (InputStream in = WhitelistRoundTripTest.class.getResourceAsStream("/dataplane/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final IPAddress WEB = Addresses.address("10.88.0.2");
    static final IPAddress CLIENT = Addresses.address("10.88.0.3");

    static final List<AllowPolicy> POLICY = List.of(new AllowPolicy("shop/web", List.of(WEB), true, true,
            List.of(new Allow(false, List.of(CLIENT), List.of(new Block(Addresses.block("0.0.0.0/0"),
                    List.of(Addresses.block("10.0.0.0/8")))), List.of(PortSpec.of("tcp", 80),
                    new PortSpec("tcp", 8000, 8100, null), new PortSpec("tcp", -1, -1, Map.of(WEB, 8080)),
                    new PortSpec("udp", -1, -1, null)))),
            List.of(new Allow(true, List.of(), List.of(), List.of(PortSpec.of("udp", 53))))));

    @Test
    void committedRestoreFilesAreTheGeneratorOutput() {
        WhitelistGenerator.Output out = WhitelistGenerator.generate(List.of(WEB, CLIENT), POLICY);
        assertThat(out.iptablesRestore()).isEqualTo(resource("generated-roundtrip.iptables-restore"));
        assertThat(out.ipsetRestore()).isEqualTo(resource("generated-roundtrip.ipset-restore"));
    }

    @Test
    void savedFormGivesTheSameVerdicts() {
        String base = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
        Ruleset generated = IptablesSaveParser.parse(List.of(base, resource("generated-roundtrip.iptables-restore")));
        Ruleset saved = IptablesSaveParser.parse(resource("generated-roundtrip.iptables-save"));
        IpsetModel genSets = IpsetModel.parse(resource("generated-roundtrip.ipset-restore"));
        IpsetModel savedSets = IpsetModel.parse(resource("generated-roundtrip.ipset-save"));
        assertThat(saved.problems()).isEmpty();
        assertThat(savedSets.problems()).isEmpty();
        assertThat(saved.ruleCount()).isEqualTo(generated.ruleCount());
        PacketPath a = new PacketPath(WhitelistGeneratorTest.node(List.of(WEB, CLIENT)), generated, genSets);
        PacketPath b = new PacketPath(WhitelistGeneratorTest.node(List.of(WEB, CLIENT)), saved, savedSets);
        List<String> peers = List.of("10.88.0.2", "10.88.0.3", "10.1.2.3", "203.0.113.7", "192.0.2.50");
        List<Verdict.Outcome> seen = new ArrayList<>();
        for (String src : peers) {
            for (String dst : peers) {
                if (src.equals(dst)) {
                    continue;
                }
                for (Object[] probe : new Object[][] {{"tcp", 80}, {"tcp", 8080}, {"tcp", 8050}, {"tcp", 22},
                        {"udp", 53}, {"udp", 123}}) {
                    Packet p = Packet.of(src, dst, (String) probe[0], 40000, (Integer) probe[1]);
                    Verdict va = a.walk(p);
                    Verdict vb = b.walk(p);
                    assertThat(vb.outcome()).as("%s\n%s", p, vb.traceText()).isEqualTo(va.outcome());
                    assertThat(va.outcome()).isNotEqualTo(Verdict.Outcome.UNKNOWN);
                    seen.add(va.outcome());
                }
            }
        }
        assertThat(seen).contains(Verdict.Outcome.ACCEPT, Verdict.Outcome.REJECT);
    }
}
