package dev.podnet.cni.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.source.Range;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class CniSchemaCheckTest {

    static List<Diagnostic> lint(String file, String content) {
        return new LintEngine(List.of(new CniSchemaCheck())).lint(List.of(InputFile.of(file, content)))
                .diagnostics().stream().filter(d -> d.rule().startsWith("CNI")).toList();
    }

    static List<Diagnostic> rule(List<Diagnostic> ds, String id) {
        return ds.stream().filter(d -> d.rule().equals(id)).toList();
    }

    static String conflist(String plugins) {
        return "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"plugins\": [" + plugins + "]}";
    }

    static final String BRIDGE_OK = "{\"type\": \"bridge\", \"bridge\": \"cni0\", \"isGateway\": true, "
            + "\"hairpinMode\": true, \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.22.0.0/16\"}}";

    // ---- realistic configs: no schema finding at all

    @TestFactory
    Stream<DynamicTest> realConfigsHaveNoSchemaFinding() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/cni-schema/real").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(lint(f.getFileName().toString(), text)).isEmpty();
        }));
    }

    /**
     * The CNI configs of the shared real-world cases 012, 015, 017 (semantic problems: versions, hairpin, file
     * extension) and 018 (a syntax error) have no schema problem; the schema check must stay silent on them.
     */
    @TestFactory
    Stream<DynamicTest> sharedCaseConfigsHaveNoSchemaFinding() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/cni-schema/cases").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSize(4);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String name = f.getFileName().toString().substring(4);
            assertThat(lint("net.d/" + name, Files.readString(f, StandardCharsets.UTF_8))).isEmpty();
        }));
    }

    // ---- CNI001 wrong type

    @Test
    void typeErrorOnStringBooleanPointsAtTheValue() {
        String text = "{\n  \"cniVersion\": \"1.0.0\",\n  \"name\": \"net\",\n  \"plugins\": [\n"
                + "    {\"type\": \"bridge\", \"hairpinMode\": \"true\"}\n  ]\n}\n";
        List<Diagnostic> ds = rule(lint("a.conflist", text), "CNI001");
        assertThat(ds).hasSize(1);
        Diagnostic d = ds.get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.message()).isEqualTo("plugins[0].hairpinMode must be true or false, not the string \"true\": "
                + "write true without quotes");
        // line 5 (0-based 4): `    {"type": "bridge", "hairpinMode": "true"}` - the value "true" at column 38..44
        assertThat(d.range()).isEqualTo(new Range(4, 38, 4, 44));
    }

    @Test
    void typeErrorsForQuotedNumberNumericVersionAndNonObjectPlugin() {
        List<Diagnostic> ds = lint("a.conflist", "{\"cniVersion\": 1.0, \"name\": \"n\", \"plugins\": ["
                + "{\"type\": \"ptp\", \"mtu\": \"1450\", \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.0.0.0/24\"}},"
                + " \"portmap\"]}");
        assertThat(rule(ds, "CNI001")).extracting(Diagnostic::message).containsExactlyInAnyOrder(
                "cniVersion must be a string, not the number 1.0: quote it: \"1.0\"",
                "plugins[0].mtu must be an integer, not the string \"1450\": write 1450 without quotes",
                "plugins[1] must be an object { }, not the string \"portmap\": change it to an object { }");
    }

    @Test
    void correctTypesPass() {
        assertThat(lint("a.conflist", conflist(BRIDGE_OK))).isEmpty();
    }

    // ---- CNI002 enum

    @Test
    void enumTypoGetsSuggestion() {
        List<Diagnostic> ds = lint("a.conflist", conflist(BRIDGE_OK + ", {\"type\": \"firewall\", \"backend\": \"iptable\"}"));
        assertThat(rule(ds, "CNI002")).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                "plugins[1].backend must be one of \"iptables\", \"firewalld\", not the string \"iptable\": "
                        + "did you mean \"iptables\"?"));
    }

    @Test
    void boolishStringIsAValueError() {
        List<Diagnostic> ds = lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"disableCheck\": \"yes\", "
                + "\"plugins\": [" + BRIDGE_OK + "]}");
        assertThat(rule(ds, "CNI002")).singleElement().satisfies(d -> assertThat(d.message())
                .startsWith("disableCheck must be true or false"));
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"disableCheck\": \"True\", "
                + "\"plugins\": [" + BRIDGE_OK + "]}")).isEmpty();
    }

    @Test
    void cniVersionAndNameSyntaxAreLeftToTheSemanticRules() {
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0\", \"name\": \"my net\", \"plugins\": [" + BRIDGE_OK + "]}"))
                .isEmpty();
    }

    // ---- CNI003 ranges

    @Test
    void mtuAnyOfBecomesOneRangeFinding() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinMode\": true, \"mtu\": 50}"));
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI003");
            assertThat(d.message()).isEqualTo("plugins[0].mtu is the number 50 but must be at most 0 or "
                    + "between 68 and 65535: change it to one of these");
        });
    }

    @Test
    void numbersOutsideTheirBounds() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinMode\": true, \"vlan\": 5000},"
                + "{\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}, \"markMasqBit\": 32}"));
        assertThat(rule(ds, "CNI003")).extracting(Diagnostic::message).containsExactly(
                "plugins[0].vlan is 5000 but must be between 0 and 4094: use a value in that range",
                "plugins[1].markMasqBit is 32 but must be between 0 and 31: use a value in that range");
    }

    @Test
    void conditionalBoundNamesItsCondition() {
        List<Diagnostic> ds = lint("a.conflist", conflist(BRIDGE_OK + ", {\"type\": \"bandwidth\", \"ingressRate\": 1000000, "
                + "\"ingressBurst\": 0}"));
        assertThat(rule(ds, "CNI003")).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                "plugins[1].ingressBurst is 0 but must be greater than 0 when ingressRate is set above 0: "
                        + "use a value in that range"));
    }

    @Test
    void emptyRangeSetButNotEmptyPluginsList() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinMode\": true, "
                + "\"ipam\": {\"type\": \"host-local\", \"ranges\": [[]]}}"));
        assertThat(rule(ds, "CNI003")).singleElement().satisfies(d -> assertThat(d.message())
                .startsWith("plugins[0].ipam.ranges[0] has 0 items but needs at least 1"));
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": []}")).isEmpty();
    }

    // ---- CNI004 required

    @Test
    void routeWithoutDst() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"ptp\", \"ipam\": {\"type\": \"host-local\", "
                + "\"subnet\": \"10.1.1.0/24\", \"routes\": [{\"gw\": \"10.1.1.1\"}]}}"));
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI004");
            assertThat(d.message()).startsWith("plugins[0].ipam.routes[0] lacks the required key \"dst\" (destination "
                    + "in CIDR notation").endsWith(": add it");
        });
    }

    @Test
    void burstRequiredWithRateAndTrunkRangePairs() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinMode\": true, "
                + "\"vlanTrunk\": [{\"minID\": 10}]}, {\"type\": \"bandwidth\", \"egressRate\": 1000}"));
        assertThat(rule(ds, "CNI004")).extracting(Diagnostic::message).hasSize(2).contains(
                "plugins[0].vlanTrunk[0] has \"minID\" but lacks \"maxID\" (last VLAN ID of a range): add \"maxID\" "
                        + "(the two go together)");
        assertThat(rule(ds, "CNI004").get(1).message()).startsWith("plugins[1] lacks the required key \"egressBurst\" (")
                .endsWith("needed when egressRate is set above 0: add it");
    }

    @Test
    void multusNeedsClusterNetworkOrDelegates() {
        String bad = "{\"cniVersion\": \"0.3.1\", \"name\": \"multus-cni-network\", \"type\": \"multus\", "
                + "\"kubeconfig\": \"/etc/cni/net.d/multus.d/multus.kubeconfig\"}";
        assertThat(rule(lint("00-multus.conf", bad), "CNI004")).singleElement().satisfies(d -> assertThat(d.message())
                .isEqualTo("the top level needs one of \"clusterNetwork\", \"delegates\": add one"));
    }

    @Test
    void missingTypeNameAndPluginsAreLeftToTheSemanticRules() {
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"plugins\": [{\"bridge\": \"cni0\"}]}")).isEmpty();
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"loadOnlyInlinedPlugins\": true, "
                + "\"plugins\": []}")).isEmpty();
    }

    // ---- CNI005 unknown keys

    @Test
    void misspeltIpamKeyWarnsOnTheKeyWithSuggestion() {
        String text = "{\n"
                + "  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"mynet\",\n"
                + "  \"plugins\": [\n"
                + "    {\n"
                + "      \"type\": \"bridge\",\n"
                + "      \"hairpinMode\": true,\n"
                + "      \"ipam\": {\n"
                + "        \"type\": \"host-local\",\n"
                + "        \"subnet\": \"10.22.0.0/16\",\n"
                + "        \"rangeStrat\": \"10.22.0.10\"\n"
                + "      }\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
        List<Diagnostic> ds = lint("10-mynet.conflist", text);
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI005");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.message()).isEqualTo("unknown key \"rangeStrat\" in plugins[0].ipam (host-local ignores it "
                    + "silently): did you mean \"rangeStart\"?");
            assertThat(d.range()).isEqualTo(new Range(10, 8, 10, 20)); // "rangeStrat" with its quotes
        });
    }

    @Test
    void caseOnlyDifferenceIsSuggestedFirst() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinmode\": true}"));
        assertThat(rule(ds, "CNI005")).singleElement().satisfies(d -> assertThat(d.message())
                .endsWith("did you mean \"hairpinMode\"?"));
    }

    @Test
    void unknownKeysInsideFlannelDelegateAndMultusDelegates() {
        String text = "{\"cniVersion\": \"0.3.1\", \"name\": \"multus-cni-network\", \"type\": \"multus\", "
                + "\"delegates\": [{\"cniVersion\": \"0.3.1\", \"name\": \"cbr0\", \"plugins\": ["
                + "{\"type\": \"flannel\", \"delegate\": {\"hairpinMode\": true, \"isDefaultGatway\": true}}]}]}";
        List<Diagnostic> ds = lint("00-multus.conf", text);
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                "unknown key \"isDefaultGatway\" in delegates[0].plugins[0].delegate (bridge ignores it silently): "
                        + "did you mean \"isDefaultGateway\"?"));
    }

    @Test
    void unknownTopLevelKeyWithoutSuggestion() {
        List<Diagnostic> ds = lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"owner\": \"ops\", "
                + "\"plugins\": [" + BRIDGE_OK + "]}");
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                "unknown key \"owner\" in the top level (libcni ignores it silently): remove it or "
                        + "correct its name"));
    }

    @Test
    void freeFormMapsAreNotChecked() {
        String calico = "{\"type\": \"calico\", \"policy\": {\"type\": \"k8s\", \"k8s_api_root\": \"https://10.96.0.1\"}, "
                + "\"kubernetes\": {\"kubeconfig\": \"/etc/cni/net.d/calico-kubeconfig\", \"whatever\": 1}, "
                + "\"ipam\": {\"type\": \"calico-ipam\"}}";
        String tuning = "{\"type\": \"tuning\", \"sysctl\": {\"net.core.somaxconn\": \"500\"}}";
        String bridge = "{\"type\": \"bridge\", \"hairpinMode\": true, \"args\": {\"cni\": {\"mac\": \"aa:bb:cc:dd:ee:ff\"}}}";
        assertThat(lint("a.conflist", conflist(calico + "," + tuning + "," + bridge))).isEmpty();
    }

    // ---- CNI006 / CNI007 unknown types

    @Test
    void unknownPluginTypeIsInfoAndItsKeysAreNotChecked() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"aws-cni\", \"vethPrefix\": \"eni\", "
                + "\"mtu\": \"9001\"}"));
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI006");
            assertThat(d.severity()).isEqualTo(Severity.INFO);
            assertThat(d.message()).isEqualTo("podnet has no schema for plugin \"aws-cni\"; the keys of plugins[0] are "
                    + "not checked");
        });
        assertThat(lint("a.conflist", conflist(BRIDGE_OK))).noneMatch(d -> d.rule().equals("CNI006"));
    }

    @Test
    void misspeltTypesGetASuggestion() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"brige\", \"hairpinMode\": true, "
                + "\"ipam\": {\"type\": \"host-local\"}}, {\"type\": \"ptp\", \"ipam\": {\"type\": \"host_local\"}}"));
        assertThat(ds).extracting(Diagnostic::message).containsExactly(
                "podnet has no schema for plugin \"brige\" (did you mean \"bridge\"?); the keys of plugins[0] are not "
                        + "checked",
                "podnet has no schema for IPAM plugin \"host_local\" (did you mean \"host-local\"?); the keys of "
                        + "plugins[1].ipam are not checked");
    }

    @Test
    void unknownIpamTypeIsInfo() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"macvlan\", \"master\": \"eth1\", "
                + "\"ipam\": {\"type\": \"whereabouts\", \"range\": \"192.168.2.225/28\"}}"));
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI007");
            assertThat(d.message()).contains("IPAM plugin \"whereabouts\"");
        });
    }

    // ---- CNI008 open maps

    @Test
    void unknownCapabilityIsInfoWithSuggestion() {
        List<Diagnostic> ds = lint("a.conflist", conflist(BRIDGE_OK
                + ", {\"type\": \"portmap\", \"capabilities\": {\"portMapping\": true}}"));
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI008");
            assertThat(d.severity()).isEqualTo(Severity.INFO);
            assertThat(d.message()).isEqualTo("\"portMapping\" is not a well-known key of plugins[1].capabilities (did "
                    + "you mean \"portMappings\"?); it has an effect only if both the runtime and the plugin know it");
        });
        assertThat(lint("a.conflist", conflist(BRIDGE_OK
                + ", {\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}"))).isEmpty();
    }

    // ---- CNI009 exclusive keys

    @Test
    void exclusiveKeysReportedOnTheKey() {
        String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [" + BRIDGE_OK + ",\n"
                + "{\"type\": \"portmap\", \"externalSetMarkChain\": \"KUBE-MARK-MASQ\", \"markMasqBit\": 14}]}";
        List<Diagnostic> ds = lint("a.conflist", text);
        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.rule()).isEqualTo("CNI009");
            assertThat(d.message()).isEqualTo("plugins[1] sets \"externalSetMarkChain\" and \"markMasqBit\", which cannot "
                    + "be used together: keep only one");
            assertThat(d.range()).isEqualTo(new Range(1, 62, 1, 75)); // the "markMasqBit" key
        });
    }

    @Test
    void flannelDelegateMustNotSetIpam() {
        List<Diagnostic> ds = lint("a.conflist", conflist("{\"type\": \"flannel\", \"delegate\": {\"hairpinMode\": true, "
                + "\"ipam\": {\"type\": \"host-local\"}}}"));
        assertThat(rule(ds, "CNI009")).singleElement().satisfies(d -> assertThat(d.message())
                .startsWith("\"ipam\" is not allowed in plugins[0].delegate"));
    }

    @Test
    void hairpinWithPromiscIsLeftToTheBridgeRules() {
        assertThat(lint("a.conflist", conflist("{\"type\": \"bridge\", \"hairpinMode\": true, \"promiscMode\": true}")))
                .isEmpty();
    }

    // ---- single-plugin files, odd shapes

    @Test
    void singlePluginConfigIsCheckedAgainstItsPluginSchema() {
        List<Diagnostic> ds = lint("10-bridge.conf", "{\"cniVersion\": \"0.4.0\", \"name\": \"n\", \"type\": \"bridge\", "
                + "\"hairpinMode\": true, \"isGatway\": true, \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.0.0.0/24\"}}");
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.message()).isEqualTo(
                "unknown key \"isGatway\" in the top level (bridge ignores it silently): did you mean \"isGateway\"?"));
    }

    @Test
    void oddShapesDoNotCrash() {
        assertThat(lint("a.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": {\"type\": \"bridge\"}}"))
                .singleElement().satisfies(d -> assertThat(d.rule()).isEqualTo("CNI001"));
        assertThat(lint("a.conflist", conflist("{\"type\": 7}, {\"type\": \"bridge\", \"ipam\": []}, "
                + "{\"type\": \"flannel\", \"delegate\": \"bridge\"}"))).allMatch(d -> d.rule().equals("CNI001"));
    }
}
