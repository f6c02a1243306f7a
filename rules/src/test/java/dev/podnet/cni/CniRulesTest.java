package dev.podnet.cni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failing and passing inputs for every CNI010-CNI064 rule (other inputs than the documentation examples, to reach
 * the other branches), plus exact positions and messages for a few.
 */
class CniRulesTest {

    /** A conflist around one plugin object (JSON text). */
    static String list(String version, String... plugins) {
        return "{\"cniVersion\": \"" + version + "\", \"name\": \"net\", \"plugins\": [\n" + String.join(",\n", plugins)
                + "\n]}\n";
    }

    static String ptp(String ipam) {
        return "{\"type\": \"ptp\", \"ipMasq\": true, \"ipam\": " + ipam + "}";
    }

    static String hostLocal(String ranges) {
        return ptp("{\"type\": \"host-local\", \"ranges\": " + ranges + "}");
    }

    static String bridge(String extra) {
        return "{\"type\": \"bridge\", \"bridge\": \"cni0\", \"isGateway\": true, \"ipMasq\": true" + extra
                + ", \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"10.22.0.0/16\"}]]}}";
    }

    static final String PORTMAP = "{\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}";

    static List<Diagnostic> lint(String file, String text) {
        return new LintEngine(List.of(new CniRules())).lint(List.of(InputFile.of(file, text))).diagnostics();
    }

    static List<String> rules(String file, String text) {
        return lint(file, text).stream().map(Diagnostic::rule).toList();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // rule, file name, failing input, passing input
                Arguments.of("CNI010", "a.conflist", "{\"name\": \"n\", \"plugins\": [" + ptp("{}") + "]}",
                        list("1.0.0", ptp("{}"))),
                Arguments.of("CNI011", "a.conflist", list("1.0.0", ptp("{}")).replace("\"1.0.0\"", "1.0"),
                        list("1.0.0", ptp("{}"))),
                Arguments.of("CNI011", "a.conflist", list("v1.0.0", ptp("{}")), list("1.0.0", ptp("{}"))),
                Arguments.of("CNI012", "a.conflist", list("2.0.0", ptp("{}")), list("0.4.0", ptp("{}"))),
                Arguments.of("CNI013", "a.conflist", list("0.2.0", ptp("{}"), "{\"type\": \"bandwidth\", "
                        + "\"capabilities\": {\"bandwidth\": true}}"), list("0.3.0", ptp("{}"),
                        "{\"type\": \"bandwidth\", \"capabilities\": {\"bandwidth\": true}}")),
                Arguments.of("CNI013", "a.conflist", list("0.3.0", ptp("{}"), "{\"type\": \"vrf\", \"vrfname\": "
                        + "\"blue\"}"), list("0.3.1", ptp("{}"), "{\"type\": \"vrf\", \"vrfname\": \"blue\"}")),
                Arguments.of("CNI014", "a.conflist", list("1.1.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": \"1.1.0\", \"name\""), list("1.1.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": [\"1.1.0\"], \"name\"")),
                Arguments.of("CNI014", "a.conflist", list("1.1.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": [\"1.1.0\", \"3.0.0\"], \"name\""), list("1.1.0", ptp("{}"))),
                Arguments.of("CNI015", "a.conflist", list("1.1.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": [\"1.0.0\"], \"name\""), list("1.1.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": [\"1.0.0\", \"1.1.0\"], \"name\"")),
                Arguments.of("CNI016", "a.conflist", list("1.0.0", ptp("{}")).replace("\"name\"",
                        "\"cniVersions\": [\"1.0.0\", \"1.1.0\"], \"name\""), list("1.0.0", ptp("{}"))
                        .replace("\"name\"", "\"cniVersions\": [\"0.4.0\", \"1.0.0\"], \"name\"")),
                Arguments.of("CNI017", "a.conflist", list("1.0.0", ptp("{}"), PORTMAP.replace("{\"type\"",
                        "{\"cniVersion\": \"0.4.0\", \"type\"")), list("1.0.0", ptp("{}"), PORTMAP.replace(
                        "{\"type\"", "{\"cniVersion\": \"1.0.0\", \"type\""))),
                Arguments.of("CNI020", "a.conf", "{\"cniVersion\": \"1.0.0\", \"type\": \"ptp\"}",
                        "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": \"ptp\"}"),
                Arguments.of("CNI021", "a.conflist", list("1.0.0", ptp("{}")).replace("\"net\"", "\"-net\""),
                        list("1.0.0", ptp("{}")).replace("\"net\"", "\"net_1.a-b\"")),
                Arguments.of("CNI021", "a.conflist", list("1.0.0", ptp("{}")).replace("\"net\"", "7"),
                        list("1.0.0", ptp("{}")).replace("\"net\"", "\"7\"")),
                Arguments.of("CNI022", "a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": "
                        + "{\"type\": \"ptp\"}}", list("1.0.0", ptp("{}"))),
                Arguments.of("CNI022", "a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\"}",
                        list("1.0.0", ptp("{}"))),
                Arguments.of("CNI023", "10-a.json", list("1.0.0", ptp("{}")), list("1.0.0", ptp("{}"))),
                Arguments.of("CNI024", "99-lo.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"lo\", "
                        + "\"type\": \"loopback\"}", list("1.0.0", "{\"type\": \"loopback\"}")),
                Arguments.of("CNI025", "a.conflist", list("1.0.0", ptp("{}").replace("\"ptp\"",
                        "\"/opt/cni/bin/ptp\"")), list("1.0.0", ptp("{}"))),
                Arguments.of("CNI025", "a.conflist", list("1.0.0", ptp("{}"), "\"portmap\""),
                        list("1.0.0", ptp("{}"), PORTMAP)),
                Arguments.of("CNI030", "a.conflist", list("1.0.0", ptp("{\"type\": \"static\", \"addresses\": "
                        + "[{\"address\": \"10.1.0.7\"}]}")), list("1.0.0", ptp("{\"type\": \"static\", "
                        + "\"addresses\": [{\"address\": \"10.1.0.7/24\"}]}"))),
                Arguments.of("CNI030", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/24\", "
                        + "\"gateway\": \"10.1.0.1/24\"}]]")), list("1.0.0", hostLocal("[[{\"subnet\": "
                        + "\"10.1.0.0/24\", \"gateway\": \"10.1.0.1\"}]]"))),
                Arguments.of("CNI030", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"usePodCidr\"}]]")),
                        list("1.0.0", "{\"type\": \"calico\", \"ipam\": {\"type\": \"host-local\", \"subnet\": "
                        + "\"usePodCidr\"}}")),
                Arguments.of("CNI031", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"fd00:10::1/64\"}]]")),
                        list("1.0.0", hostLocal("[[{\"subnet\": \"fd00:10::/64\"}]]"))),
                Arguments.of("CNI032", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/24\", "
                        + "\"rangeEnd\": \"fd00::9\"}]]")), list("1.0.0", hostLocal("[[{\"subnet\": "
                        + "\"10.1.0.0/24\", \"rangeEnd\": \"10.1.0.9\"}]]"))),
                Arguments.of("CNI033", "a.conflist", list("1.0.0", ptp("{\"type\": \"static\", \"addresses\": "
                        + "[{\"address\": \"192.0.2.10/24\", \"gateway\": \"198.51.100.1\"}]}")), list("1.0.0",
                        ptp("{\"type\": \"static\", \"addresses\": [{\"address\": \"192.0.2.10/24\", "
                        + "\"gateway\": \"192.0.2.1\"}]}"))),
                Arguments.of("CNI034", "a.conflist", list("1.0.0", ptp("{\"type\": \"host-local\", \"subnet\": "
                        + "\"10.1.0.0/16\", \"rangeStart\": \"10.1.2.0\", \"rangeEnd\": \"10.1.1.255\"}")),
                        list("1.0.0", ptp("{\"type\": \"host-local\", \"subnet\": \"10.1.0.0/16\", \"rangeStart\": "
                        + "\"10.1.1.255\", \"rangeEnd\": \"10.1.2.0\"}"))),
                Arguments.of("CNI035", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/24\", "
                        + "\"rangeStart\": \"10.1.0.0\"}]]")), list("1.0.0", hostLocal("[[{\"subnet\": "
                        + "\"10.1.0.0/24\", \"rangeStart\": \"10.1.0.1\", \"rangeEnd\": \"10.1.0.254\"}]]"))),
                Arguments.of("CNI036", "a.conflist", list("1.0.0", ptp("{\"type\": \"host-local\", \"subnet\": "
                        + "\"10.1.0.0/16\", \"routes\": [{\"dst\": \"::/0\", \"gw\": \"10.1.0.1\"}]}")),
                        list("1.0.0", ptp("{\"type\": \"host-local\", \"subnet\": \"10.1.0.0/16\", \"routes\": "
                        + "[{\"dst\": \"0.0.0.0/0\", \"gw\": \"10.1.0.1\"}]}"))),
                Arguments.of("CNI037", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/24\", "
                        + "\"rangeEnd\": \"10.1.0.128\"}, {\"subnet\": \"10.1.0.0/24\", \"rangeStart\": "
                        + "\"10.1.0.128\"}]]")), list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/24\", "
                        + "\"rangeEnd\": \"10.1.0.127\"}, {\"subnet\": \"10.1.0.0/24\", \"rangeStart\": "
                        + "\"10.1.0.128\"}], [{\"subnet\": \"fd00::/64\"}]]"))),
                Arguments.of("CNI038", "a.conflist", list("1.0.0", ptp("{\"type\": \"static\", \"addresses\": []}")),
                        list("1.0.0", ptp("{\"type\": \"static\"}").replace("\"ipMasq\"",
                        "\"capabilities\": {\"ips\": true}, \"ipMasq\""))),
                Arguments.of("CNI039", "a.conflist", list("1.0.0", hostLocal("[[{\"rangeStart\": \"10.1.0.5\"}]]")),
                        list("1.0.0", "{\"type\": \"flannel\", \"ipam\": {\"type\": \"host-local\"}, \"delegate\": "
                        + "{\"hairpinMode\": true}}")),
                Arguments.of("CNI040", "a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"fd00::/127\"}]]")),
                        list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/30\"}]]"))),
                Arguments.of("CNI045", "a.conf", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": \"bridge\","
                        + " \"hairpinMode\": false}", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": "
                        + "\"bridge\", \"promiscMode\": true}"),
                Arguments.of("CNI046", "a.conflist", list("1.0.0", bridge(", \"hairpinMode\": true, \"promiscMode\":"
                        + " true")), list("1.0.0", bridge(", \"hairpinMode\": true, \"promiscMode\": false"))),
                Arguments.of("CNI047", "a.conflist", list("1.0.0", bridge(", \"isDefaultGateway\": true")
                        .replace("\"isGateway\": true, ", "")), list("1.0.0", bridge(", \"isDefaultGateway\": true"))),
                Arguments.of("CNI048", "a.conflist", list("1.0.0", "{\"type\": \"flannel\", \"ipam\": {\"routes\": "
                        + "[{\"dst\": \"0.0.0.0/0\"}]}, \"delegate\": {\"hairpinMode\": true, \"isDefaultGateway\": "
                        + "true}}"), list("1.0.0", "{\"type\": \"flannel\", \"ipam\": {\"routes\": [{\"dst\": "
                        + "\"10.96.0.0/12\"}]}, \"delegate\": {\"hairpinMode\": true, \"isDefaultGateway\": true}}")),
                Arguments.of("CNI049", "a.conflist", list("1.0.0", "{\"type\": \"macvlan\", \"master\": \"eth0:1\", "
                        + "\"ipam\": {}}"), list("1.0.0", "{\"type\": \"macvlan\", \"master\": \"eth0.100\", "
                        + "\"ipam\": {}}")),
                Arguments.of("CNI049", "a.conflist", list("1.0.0", bridge(", \"hairpinMode\": true").replace("cni0",
                        "brücke-für-pods")), list("1.0.0", bridge(", \"hairpinMode\": true").replace("cni0",
                        "brücke-pods0"))),
                Arguments.of("CNI050", "a.conflist", list("1.0.0", "{\"type\": \"flannel\", \"delegate\": "
                        + "{\"hairpinMode\": true, \"mtu\": 67}}"), list("1.0.0", "{\"type\": \"flannel\", "
                        + "\"delegate\": {\"hairpinMode\": true, \"mtu\": 0}}")),
                Arguments.of("CNI051", "a.conf", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": "
                        + "\"bridge\", \"hairpinMode\": true, \"ipam\": {\"type\": \"dhcp\"}}", "{\"cniVersion\": "
                        + "\"1.0.0\", \"name\": \"n\", \"type\": \"bridge\", \"hairpinMode\": true, \"ipam\": {}}"),
                Arguments.of("CNI039", "a.conflist", list("1.0.0", hostLocal("[[]]")), list("1.0.0",
                        hostLocal("[[{\"subnet\": \"10.9.0.0/24\"}]]"))),
                Arguments.of("CNI051", "a.conflist", list("1.0.0", bridge(", \"hairpinMode\": true")
                        .replace(", \"ipMasq\": true", "")), list("1.0.0", bridge(", \"hairpinMode\": true")
                        .replace("\"ipMasq\": true", "\"ipMasq\": false"))),
                Arguments.of("CNI055", "a.conflist", list("1.0.0", "{\"type\": \"flannel\"}"),
                        list("1.0.0", "{\"type\": \"flannel\", \"delegate\": {\"type\": \"calico\"}}")),
                Arguments.of("CNI055", "a.conflist", list("1.0.0", "{\"type\": \"flannel\", \"delegate\": "
                        + "{\"hairpinMode\": false}}"), list("1.0.0", "{\"type\": \"flannel\", \"delegate\": "
                        + "{\"hairpinMode\": true}}")),
                Arguments.of("CNI056", "a.conflist", list("1.0.0", "{\"type\": \"flannel\", \"delegate\": "
                        + "{\"hairpinMode\": true, \"mtu\": 1400}}"), list("1.0.0", "{\"type\": \"flannel\", "
                        + "\"delegate\": {\"hairpinMode\": true}}")),
                Arguments.of("CNI057", "a.conflist", list("1.0.0", "{\"type\": \"flannel\", \"delegate\": "
                        + "{\"hairpinMode\": true, \"ipam\": {\"type\": \"host-local\"}}}"), list("1.0.0",
                        "{\"type\": \"flannel\", \"ipam\": {\"type\": \"host-local\"}, \"delegate\": "
                        + "{\"hairpinMode\": true}}")),
                Arguments.of("CNI060", "a.conflist", list("1.0.0", ptp("{}"), "{\"type\": \"portmap\", "
                        + "\"capabilities\": {\"portMappings\": false}}"), list("1.0.0", ptp("{}"), PORTMAP)),
                Arguments.of("CNI061", "a.conflist", list("1.0.0", ptp("{}"), "{\"type\": \"bandwidth\", "
                        + "\"capabilities\": {}}"), list("1.0.0", ptp("{}"), "{\"type\": \"bandwidth\", "
                        + "\"egressRate\": 1000000, \"egressBurst\": 100000}")),
                Arguments.of("CNI062", "a.conf", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": "
                        + "\"tuning\"}", list("1.0.0", ptp("{}"), "{\"type\": \"tuning\"}")),
                Arguments.of("CNI063", "a.conflist", list("1.0.0", ptp("{}"), ptp("{}")), list("1.0.0", ptp("{}"),
                        "{\"type\": \"loopback\"}")),
                Arguments.of("CNI064", "a.conflist", list("1.0.0", ptp("{}"), "{\"type\": \"firewall\", "
                        + "\"backend\": \"IPTables\"}"), list("1.0.0", ptp("{}"), "{\"type\": \"firewall\", "
                        + "\"backend\": \"firewalld\"}")));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void firesOnFailingInputAndNotOnPassingInput(String rule, String file, String bad, String good) {
        assertThat(rules(file, bad)).as(rule + " on failing input:\n" + bad).contains(rule);
        String goodFile = rule.equals("CNI023") ? file.replace(".json", ".conflist") : file;
        assertThat(rules(goodFile, good)).as(rule + " on passing input:\n" + good).doesNotContain(rule);
    }

    @Test
    void everyRuleOfTheFamilyHasATestCase() {
        List<String> tested = cases().map(a -> (String) a.get()[0]).distinct().toList();
        List<String> documented = dev.podnet.lint.RuleRegistry.get().all().stream()
                .map(dev.podnet.lint.RuleInfo::id)
                .filter(id -> id.startsWith("CNI") && id.compareTo("CNI010") >= 0 && id.compareTo("CNI070") < 0)
                .toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void hostBitsFindingSitsOnTheSubnetValueAndNamesTheNetworkAddress() {
        String text = """
                {
                  "cniVersion": "1.0.0",
                  "name": "net",
                  "plugins": [
                    {
                      "type": "ptp",
                      "ipMasq": true,
                      "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.1.0.7/24"}]]}
                    }
                  ]
                }
                """;
        Diagnostic d = only(lint("a.conflist", text), "CNI031");
        assertThat(d.range().startLine()).isEqualTo(7);
        assertThat(d.range().startChar()).isEqualTo(60);
        assertThat(d.range().endChar()).isEqualTo(73);
        assertThat(d.message()).contains("For a subnet mask of length 24 the network address is 10.1.0.0")
                .contains("write \"10.1.0.0/24\"");
    }

    @Test
    void metaPluginFirstIsReportedOnItsTypeValue() {
        String text = """
                {"cniVersion": "1.0.0", "name": "net", "plugins": [
                  {"type": "firewall", "backend": "iptables"},
                  {"type": "bridge", "bridge": "cni0", "hairpinMode": true, "ipMasq": true, "ipam": {}}
                ]}
                """;
        Diagnostic d = only(lint("a.conflist", text), "CNI062");
        assertThat(d.range()).isEqualTo(new dev.podnet.source.Range(1, 11, 1, 21));
        assertThat(d.message()).contains("\"missing prevResult from earlier plugin\"");
    }

    @Test
    void missingNameOfAListIsReportedAtTheTopLevelObject() {
        Diagnostic d = only(lint("a.conflist", "{\"cniVersion\": \"1.0.0\",\n \"plugins\": [{\"type\": \"ptp\"}]}"),
                "CNI020");
        assertThat(d.range().startLine()).isZero();
        assertThat(d.range().startChar()).isZero();
        assertThat(d.message()).contains("error parsing configuration list: no name");
    }

    @Test
    void firewallOnOldVersionNamesTheSupportedVersions() {
        Diagnostic d = only(lint("a.conflist", list("0.3.1", ptp("{}"), "{\"type\": \"firewall\"}")), "CNI013");
        assertThat(d.message()).contains("plugin \"firewall\" supports cniVersion 0.4.0 and newer")
                .contains("set cniVersion to \"0.4.0\" or newer");
    }

    @Test
    void legacySubnetRepeatedInRangesIsAnOverlapBetweenRangeSets() {
        Diagnostic d = only(lint("a.conflist", list("1.0.0", ptp("{\"type\": \"host-local\", \"subnet\": "
                + "\"10.1.0.0/24\", \"ranges\": [[{\"subnet\": \"10.1.0.0/24\"}]]}"))), "CNI037");
        assertThat(d.message()).contains("range set 0 overlaps with 1");
    }

    @Test
    void oneBadAddressGivesOneFindingNotACascade() {
        List<String> found = rules("a.conflist", list("1.0.0", hostLocal("[[{\"subnet\": \"10.1.0.0/33\", "
                + "\"gateway\": \"10.1.0.1\", \"rangeStart\": \"10.1.0.10\"}]]")));
        assertThat(found).containsExactly("CNI030");
    }

    @Test
    void wrongJsonTypesNeverCrashTheCheck() {
        String text = "{\"cniVersion\": [], \"cniVersions\": {}, \"name\": null, \"plugins\": [1, \"x\", null, "
                + "{\"type\": 5, \"ipam\": {\"type\": \"host-local\", \"subnet\": 7, \"ranges\": [5, [7, {\"subnet\":"
                + " []}]], \"routes\": [3, {\"dst\": 1, \"gw\": true}]}, \"capabilities\": 3, \"delegate\": 4},"
                + "{\"type\": \"flannel\", \"delegate\": [1]}, {\"type\": \"static\", \"ipam\": {\"type\": "
                + "\"static\", \"addresses\": [3, {\"address\": 4, \"gateway\": []}]}},"
                + "{\"type\": \"bridge\", \"bridge\": 3, \"mtu\": \"big\", \"hairpinMode\": \"yes\"}]}";
        List<Diagnostic> ds = lint("a.conflist", text);
        assertThat(ds).extracting(Diagnostic::rule).doesNotContain("SYN900").contains("CNI011", "CNI014", "CNI025",
                "CNI030", "CNI036");
    }

    @Test
    void overlapsAmongManyRangesAreFoundOncePerOverlappingRange() {
        StringBuilder sets = new StringBuilder("[");
        for (int i = 0; i < 5_000; i++) {
            sets.append(i == 0 ? "" : ",").append("[{\"subnet\": \"10.").append(i / 16384).append('.')
                    .append(i / 64 % 256).append('.').append(i % 64 * 4).append("/30\"}]");
        }
        sets.append(",[{\"subnet\": \"10.0.0.0/29\"}], [{\"subnet\": \"fd00::/64\"}], [{\"subnet\": "
                + "\"fd00::/120\"}]]");
        List<Diagnostic> ds = lint("a.conflist", list("1.0.0", hostLocal(sets.toString())));
        assertThat(ds).filteredOn(d -> d.rule().equals("CNI037")).extracting(Diagnostic::message)
                .hasSize(3)
                .anyMatch(m -> m.contains("overlaps 10.0.0.0/30") && m.contains("range set 0 overlaps with 5000"))
                .anyMatch(m -> m.contains("overlaps 10.0.0.4/30") && m.contains("range set 1 overlaps with 5000"))
                .anyMatch(m -> m.contains("range fd00::/120") && m.contains("range set 5001 overlaps with 5002"));
    }

    @Test
    void yamlFilesAreNotTreatedAsCniConfigs() {
        assertThat(rules("values.yaml", "name: web\ntype: ClusterIP\n")).isEmpty();
        assertThat(rules("net.conf", "{\"name\": \"web\", \"type\": \"ptp\"}")).contains("CNI010");
    }

    private static Diagnostic only(List<Diagnostic> ds, String rule) {
        List<Diagnostic> of = ds.stream().filter(d -> d.rule().equals(rule)).toList();
        assertThat(of).as(rule + " in " + ds).hasSize(1);
        return of.get(0);
    }
}
