package dev.podnet.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CidrsAndNamesTest {

    @Test
    void parsesLikeParseCidrSloppy() {
        assertThat(Cidrs.parse("10.244.0.0/16").warnings()).isEmpty();
        assertThat(Cidrs.parse("2001:db8::/64").canonical()).isEqualTo("2001:db8::/64");
        assertThat(Cidrs.parse("10.0.0.1/24").warnings()).singleElement().asString().contains("10.0.0.0/24",
                "10.0.0.1/32");
        assertThat(Cidrs.parse("010.0.0.0/08").warnings()).anyMatch(w -> w.contains("leading zeros"));
        for (String bad : List.of("10.0.0.1", "10.0.0.0/33", "10.0.0.256/8", "::/129", "a.b.c.d/8", "10.0.0.0/8/8",
                "", "10.0.0.0/-1", "1-2.0.0.0/8", "*.0.0.0/8")) {
            assertThat(Cidrs.parse(bad)).as(bad).isNull();
        }
    }

    @Property
    void minusNeverContainsAnExceptedAddress(@ForAll @IntRange(min = 0, max = 255) int a,
                                             @ForAll @IntRange(min = 9, max = 32) int exceptPrefix) {
        IPAddress block = Cidrs.parse("10.0.0.0/8").block();
        IPAddress except = Cidrs.parse("10." + a + ".0.0/" + exceptPrefix).block();
        List<IPAddress> left = Cidrs.minus(block, List.of(except));
        assertThat(Cidrs.contains(left, except.getLower())).isFalse();
        assertThat(Cidrs.contains(left, Cidrs.ip("10." + ((a + 1) % 256) + ".0.0"))).isEqualTo(
                !except.contains(Cidrs.ip("10." + ((a + 1) % 256) + ".0.0")));
        assertThat(PolicySemantics.covers(left, block)).isFalse();
    }

    @Test
    void apimachineryNameChecks() {
        assertThat(K8sNames.portName("http-metrics")).isEmpty();
        assertThat(K8sNames.portName("80")).contains("must contain at least one letter (a-z)");
        assertThat(K8sNames.portName("a-very-long-port-name")).contains("must be no more than 15 characters");
        assertThat(K8sNames.portName("-web")).contains("must not begin or end with a hyphen");
        assertThat(K8sNames.qualifiedName("kubernetes.io/metadata.name")).isEmpty();
        assertThat(K8sNames.qualifiedName("a/b/c")).isNotEmpty();
        assertThat(K8sNames.qualifiedName("/name")).contains("prefix part must be non-empty");
        assertThat(K8sNames.labelValue("")).isEmpty();
        assertThat(K8sNames.labelValue("v1.2_3-x")).isEmpty();
        assertThat(K8sNames.labelValue("x".repeat(64))).contains("must be no more than 63 characters");
        assertThat(K8sNames.dns1123Label("kube-system")).isEmpty();
        assertThat(K8sNames.dns1123Label("a.b")).isNotEmpty();
        assertThat(K8sNames.dns1123Subdomain("a.b-c")).isEmpty();
    }
}
