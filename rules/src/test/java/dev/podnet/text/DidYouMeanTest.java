package dev.podnet.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    // ---- the policy on its own

    @ParameterizedTest(name = "{0} in [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            hairpinmode       | hairpinMode promiscMode                   | hairpinMode
            RANGES            | ranges rangeStart rangeEnd               | ranges
            rangeStrat        | rangeStart rangeEnd ranges               | rangeStart
            TPC               | TCP UDP SCTP                              | TCP
            subnett           | subnet gateway routes                     | subnet
            kitten            | sitting                                   | -
            hairpin           | hairpinMode promiscMode                   | hairpinMode
            kube              | kube-system kube-public kube-node-lease   | -
            ab                | mtu ad                                    | -
            Ab                | ab                                        | ab
            owner             | type subnet rangeStart gateway            | -
            zzz               | podSelector namespaceSelector ipBlock     | -
            abcd              | abce abcf                                 | abce
            portt             | sport port                                | port
            """)
    void policy(String word, String candidates, String expected) {
        assertThat(DidYouMean.closest(word, List.of(candidates.split(" ")))).isEqualTo(
                java.util.Optional.ofNullable(expected));
    }

    @Test
    void limitGrowsWithTheTypedWord() {
        assertThat(List.of("ab", "abc", "abcde", "abcdef", "abcdefghi", "abcdefghijkl"))
                .extracting(DidYouMean::limit).containsExactly(0, 1, 1, 2, 3, 4);
        assertThat(DidYouMean.limit("x".repeat(DidYouMean.MAX_LENGTH + 1))).isZero();
    }

    @Test
    void distanceCountsAnAdjacentTranspositionOnce() {
        assertThat(DidYouMean.distance("rangestrat", "rangestart")).isEqualTo(1);
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("same", "same")).isZero();
        assertThat(DidYouMean.distance("Same", "same")).isEqualTo(1);
    }

    @Test
    void hugeWordsAreComparedOnlyIgnoringCase() {
        String big = "a".repeat(1_000_000);
        assertThat(DidYouMean.closest(big, List.of(big.toUpperCase()))).contains(big.toUpperCase());
        assertThat(DidYouMean.closest(big + "b", List.of(big))).isEmpty();
        assertThat(DidYouMean.distance(big, big + "b")).isEqualTo(1_000_001);
    }

    @Test
    void isCloseAppliesCaseAndDistanceButNotPrefix() {
        assertThat(DidYouMean.isClose("kube-sytem", "kube-system")).isTrue();
        assertThat(DidYouMean.isClose("Default", "default")).isTrue();
        assertThat(DidYouMean.isClose("prod", "prod-eu")).isFalse();
        assertThat(DidYouMean.isClose("v1", "v2")).isFalse();
    }

    // ---- every former caller, end to end through the standard lint engine

    private static final String BRIDGE = "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"plugins\": [{\"type\": \"%s\", "
            + "\"bridge\": \"cni0\", \"isGateway\": true, \"hairpinMode\": true, %s \"ipam\": {\"type\": \"%s\", "
            + "\"subnet\": \"10.22.0.0/16\" %s}}]}";

    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [%s]
              ingress:
              - from:
                - %s: {matchLabels: {app: api}}
                - podSelector:
                    matchExpressions: [{key: tier, operator: %s, values: [a]}]
                ports: [{port: 80, protocol: %s}]
            """;

    /**
     * {@code where} says what the typo replaces: {@code key} a bridge plugin key, {@code ipam} a host-local key,
     * {@code top} a conflist top-level key, {@code type} the plugin type, {@code ipamtype} the IPAM type,
     * {@code peer} a NetworkPolicy peer field, {@code policyType}, {@code operator}, {@code protocol},
     * {@code cfgtop} a top-level key of .podnet.yaml, {@code cluster} a key of its cluster section, {@code rule} a
     * rule id under rules, {@code setting} a rule setting.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            key        | hairpinmod       | hairpinMode
            key        | isDefaultGatway  | isDefaultGateway
            key        | promiscmode      | promiscMode
            key        | hairpin          | hairpinMode
            key        | mtuu             | mtu
            key        | colour           | -
            ipam       | rangeStrat       | rangeStart
            ipam       | gatway           | gateway
            ipam       | owner            | -
            top        | cniversion       | cniVersion
            top        | disableCheck     | disableCheck
            type       | brige            | bridge
            type       | macvlam          | macvlan
            type       | frobnicator      | -
            ipamtype   | host_local       | host-local
            ipamtype   | dhpc             | dhcp
            peer       | namespaceselector | namespaceSelector
            peer       | podSelecter      | podSelector
            peer       | ipblok           | ipBlock
            peer       | selector         | -
            policyType | ingres           | Ingress
            policyType | Egres            | Egress
            operator   | in               | In
            operator   | Exist            | Exists
            operator   | NotInn           | NotIn
            operator   | Between          | -
            protocol   | tcp              | TCP
            protocol   | UPD              | UDP
            protocol   | ICMP             | -
            cfgtop     | exlude           | exclude
            cfgtop     | inclde           | include
            cfgtop     | colour           | -
            cluster    | podCidr          | podCIDR
            cluster    | serviceCdir      | serviceCIDR
            rule       | SYN01            | SYN001
            rule       | WHATEVER         | -
            setting    | warn             | warning
            setting    | eror             | error
            setting    | loud             | -
            """)
    void everyCallerUsesThePolicy(String where, String typo, String expected) {
        List<Diagnostic> ds = lintWithTypo(where, typo);
        String messages = ds.stream().map(Diagnostic::message).collect(Collectors.joining("\n"));
        if (expected == null) {
            assertThat(messages).as("no suggestion expected").doesNotContain("did you mean");
            assertThat(messages).as("the typo is still reported").contains(typo);
        } else if (expected.equals(typo)) {
            assertThat(messages).as("a correct word is not reported").doesNotContain("did you mean");
        } else {
            assertThat(messages).containsPattern("did you mean [\"']?" + Pattern.quote(expected) + "[\"']?\\?");
        }
    }

    private static List<Diagnostic> lintWithTypo(String where, String typo) {
        return switch (where) {
            case "key" -> lint("10-net.conflist", BRIDGE.formatted("bridge", "\"" + typo + "\": 1,", "host-local", ""));
            case "ipam" -> lint("10-net.conflist", BRIDGE.formatted("bridge", "", "host-local",
                    ", \"" + typo + "\": \"10.22.0.1\""));
            case "top" -> lint("10-net.conflist", BRIDGE.formatted("bridge", "", "host-local", "")
                    .replaceFirst("\\{", "{\"" + typo + "\": false, "));
            case "type" -> lint("10-net.conflist", BRIDGE.formatted(typo, "", "host-local", ""));
            case "ipamtype" -> lint("10-net.conflist", BRIDGE.formatted("bridge", "", typo, ""));
            case "peer" -> lint("np.yaml", POLICY.formatted("Ingress", typo, "In", "TCP"));
            case "policyType" -> lint("np.yaml", POLICY.formatted(typo, "podSelector", "In", "TCP"));
            case "operator" -> lint("np.yaml", POLICY.formatted("Ingress", "podSelector", typo, "TCP"));
            case "protocol" -> lint("np.yaml", POLICY.formatted("Ingress", "podSelector", "In", typo));
            case "cfgtop" -> lint(".podnet.yaml", typo + ": []\n");
            case "cluster" -> lint(".podnet.yaml", "cluster:\n  " + typo + ": 10.0.0.0/16\n");
            case "rule" -> lint(".podnet.yaml", "rules:\n  " + typo + ": off\n");
            case "setting" -> lint(".podnet.yaml", "rules:\n  SYN001: " + typo + "\n");
            default -> throw new IllegalArgumentException(where);
        };
    }

    private static List<Diagnostic> lint(String file, String text) {
        return LintEngine.standard().lint(List.of(InputFile.of(file, text))).diagnostics();
    }
}
