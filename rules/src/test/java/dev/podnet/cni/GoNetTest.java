package dev.podnet.cni;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GoNet} accepts what Go's net.ParseCIDR / net.ParseIP accept and nothing more. */
class GoNetTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/24", "0.0.0.0/0", "::/0", "fd00:10::/64", "2001:db8::1/128", "10.1.0.7/24",
        "::ffff:10.1.0.0/120"})
    void acceptsGoCidrs(String s) {
        assertThat(GoNet.parseCidr(s)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0", "10.1.0.0/33", "010.1.0.0/24", "10.1/16", "10.1.0.*/24", "10.1.0.0-5/24",
        "10.1.0.0/255.255.255.0", "fe80::1%eth0/64", " 10.1.0.0/24", "10.1.0.0/24 ", "", "/24", "usePodCidr",
        "10.256.0.0/16", "::/129"})
    void rejectsWhatGoRejects(String s) {
        assertThat(GoNet.parseCidr(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.1/24", "10.1.0", "0x0a.1.0.1", "10.1.0.01", "fe80::1%eth0", "1.2.3.4 ", "*"})
    void rejectsNonAddresses(String s) {
        assertThat(GoNet.parseIp(s)).isNull();
    }

    @Test
    void hostBitsAndNetworkAddress() {
        GoNet.Cidr c = GoNet.parseCidr("10.1.0.7/24");
        assertThat(c.hostBitsSet()).isTrue();
        assertThat(c).hasToString("10.1.0.0/24");
        assertThat(c.lastAddress().toCanonicalString()).isEqualTo("10.1.0.255");
        assertThat(c.contains(GoNet.parseIp("10.1.0.200"))).isTrue();
        assertThat(c.contains(GoNet.parseIp("10.1.1.0"))).isFalse();
        assertThat(c.contains(GoNet.parseIp("::a01:1"))).isFalse();
        assertThat(GoNet.parseCidr("10.1.0.0/24").hostBitsSet()).isFalse();
        assertThat(c.contains(GoNet.parseIp("::ffff:10.1.0.9"))).isTrue();
    }

    /** For every IPv4 address and prefix, the network is the address masked to the prefix (Go's IP.Mask). */
    @Property(tries = 500)
    void networkIsTheMaskedAddress(@ForAll int address, @ForAll @IntRange(min = 0, max = 32) int prefix) {
        String ip = ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
                + (address & 255);
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long net = (address & 0xFFFFFFFFL) & mask;
        String expected = ((net >>> 24) & 255) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "."
                + (net & 255);
        GoNet.Cidr c = GoNet.parseCidr(ip + "/" + prefix);
        assertThat(c).isNotNull();
        assertThat(c.networkAddress().toCanonicalString()).isEqualTo(expected);
        assertThat(c.hostBitsSet()).isEqualTo(net != (address & 0xFFFFFFFFL));
        assertThat(c.prefix()).isEqualTo(prefix);
    }
}
