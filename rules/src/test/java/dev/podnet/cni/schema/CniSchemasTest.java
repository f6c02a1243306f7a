package dev.podnet.cni.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.cni.CniConfig;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.Workspace;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final JsonNode LIST = json("{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": ["
            + "{\"type\": \"bridge\", \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"10.0.0.0/24\"}]]}},"
            + "{\"type\": \"flannel\", \"delegate\": {\"mtu\": 1400}},"
            + "{\"type\": \"calico\", \"ipam\": {\"type\": \"calico-ipam\"}},"
            + "{\"type\": \"aws-cni\"}]}");

    static List<String> names(List<CniSchemas.KeyInfo> keys) {
        return keys.stream().map(CniSchemas.KeyInfo::name).toList();
    }

    @Test
    void describesPluginKeysAfterTypeDispatch() {
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0/hairpinMode")).get().asString()
                .contains("hairpin mode on the host-side veth");
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0")).get().asString()
                .startsWith("Reference 'bridge' main plugin");
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0/type")).get().asString().contains("'bridge' selects");
    }

    @Test
    void describesIpamKeysAfterIpamDispatchIncludingAbsentKeysAndArrays() {
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0/ipam/rangeStart")).get().asString()
                .startsWith("Legacy single range: first allocatable address");
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0/ipam/ranges/0/0/subnet")).get().asString()
                .startsWith("Subnet in CIDR form; required");
        assertThat(CniSchemas.describe(LIST, true, "/plugins/2/ipam/assign_ipv6")).get().asString()
                .contains("IPv6");
    }

    @Test
    void describesFlannelDelegateWithItsOwnWording() {
        assertThat(CniSchemas.describe(LIST, true, "/plugins/1/delegate/mtu")).get().asString()
                .contains("FLANNEL_MTU");
        assertThat(CniSchemas.describe(LIST, true, "/plugins/1/delegate/hairpinMode")).get().asString()
                .startsWith("Not defaulted by flannel");
    }

    @Test
    void topLevelAndSingleConfig() {
        assertThat(CniSchemas.describe(LIST, true, "/name")).get().asString().startsWith("Network name");
        JsonNode conf = json("{\"cniVersion\": \"0.4.0\", \"name\": \"n\", \"type\": \"portmap\"}");
        assertThat(CniSchemas.describe(conf, false, "")).get().asString().startsWith("Reference 'portmap' meta plugin");
        assertThat(CniSchemas.describe(conf, false, "/snat")).get().asString().startsWith("Default true");
    }

    @Test
    void nothingForUnknownKeysTypesAndBadPointers() {
        assertThat(CniSchemas.describe(LIST, true, "/plugins/0/hairpinmode")).isEmpty();
        assertThat(CniSchemas.describe(LIST, true, "/plugins/3/mtu")).isEmpty();
        assertThat(CniSchemas.describe(LIST, true, "/name/x")).isEmpty();
        assertThat(CniSchemas.describe(LIST, true, "plugins")).isEmpty();
        assertThat(CniSchemas.knownKeys(LIST, true, "/plugins/3")).isEmpty();
    }

    @Test
    void knownKeysOfPluginIpamDelegateAndCapabilities() {
        List<CniSchemas.KeyInfo> bridge = CniSchemas.knownKeys(LIST, true, "/plugins/0");
        assertThat(names(bridge)).contains("type", "bridge", "hairpinMode", "isGateway", "ipam", "capabilities",
                "runtimeConfig").doesNotContain("subnet");
        assertThat(names(bridge).indexOf("bridge")).isLessThan(names(bridge).indexOf("capabilities"));
        assertThat(bridge).allMatch(k -> !k.description().isEmpty());
        assertThat(names(CniSchemas.knownKeys(LIST, true, "/plugins/0/ipam")))
                .contains("type", "subnet", "rangeStart", "rangeEnd", "gateway", "ranges", "routes", "dataDir");
        assertThat(names(CniSchemas.knownKeys(LIST, true, "/plugins/1/delegate")))
                .contains("hairpinMode", "isDefaultGateway", "mtu", "bridge");
        assertThat(names(CniSchemas.knownKeys(LIST, true, "/plugins/0/capabilities")))
                .contains("portMappings", "bandwidth", "ipRanges");
        assertThat(names(CniSchemas.knownKeys(LIST, true, "")))
                .contains("cniVersion", "name", "plugins", "disableCheck");
    }

    @Test
    void knownKeysOfAnObjectBeingTypedAfterTheType() {
        JsonNode partial = json("{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"portmap\"}]}");
        assertThat(names(CniSchemas.knownKeys(partial, true, "/plugins/0")))
                .contains("snat", "masqAll", "markMasqBit", "externalSetMarkChain");
    }

    @Test
    void cniConfigOverloads() {
        Workspace ws = new LintEngine(List.of()).lint(List.of(InputFile.of("10-p.conf",
                "{\"cniVersion\": \"0.4.0\", \"name\": \"n\", \"type\": \"ptp\", \"ipMasq\": true}"))).workspace();
        CniConfig c = CniConfig.from(ws).get(0);
        assertThat(CniSchemas.describe(c, "/ipMasq")).get().asString().contains("masquerade");
        assertThat(names(CniSchemas.knownKeys(c, ""))).contains("ipMasq", "mtu", "ipam", "name", "cniVersion");
    }

    @Test
    void pluginFactsFromSchemaAnnotations() {
        CniSchemas.PluginInfo portmap = CniSchemas.plugin("portmap").orElseThrow();
        assertThat(portmap.kind()).isEqualTo("meta");
        assertThat(portmap.chainedOnly()).isTrue();
        assertThat(portmap.requiredCapability()).isEqualTo("portMappings");
        assertThat(CniSchemas.plugin("firewall").orElseThrow().minCniVersion()).isEqualTo("0.4.0");
        assertThat(CniSchemas.plugin("bridge").orElseThrow().chainedOnly()).isFalse();
        assertThat(CniSchemas.plugin("weave-net").orElseThrow().deprecated()).isNotEmpty();
        assertThat(CniSchemas.plugin("multus-shim").orElseThrow().schemaFile()).isEqualTo("multus.schema.json");
        assertThat(CniSchemas.plugin("aws-cni")).isEmpty();
        assertThat(CniSchemas.ipam("host-local").orElseThrow().kind()).isEqualTo("ipam");
        assertThat(CniSchemas.ipam("whereabouts")).isEmpty();
        assertThat(CniSchemas.pluginTypes()).contains("bridge", "flannel", "calico", "cilium-cni", "multus")
                .doesNotContain("host-local");
        assertThat(CniSchemas.ipamTypes()).containsExactly("host-local", "static", "dhcp", "calico-ipam", "weave-ipam");
    }

    @Test
    void annotationsOnValues() {
        JsonNode conf = json("{\"cniVersion\": \"1.1.0\", \"name\": \"n\", \"disableGC\": true, \"plugins\": ["
                + "{\"type\": \"bridge\", \"ipam\": {\"type\": \"host-local\", \"routes\": [{\"dst\": \"0.0.0.0/0\", "
                + "\"mtu\": 1400}]}}]}");
        assertThat(CniSchemas.annotation(conf, true, "/disableGC", "sinceCniVersion")).get()
                .extracting(JsonNode::asText).isEqualTo("1.1.0");
        assertThat(CniSchemas.annotation(conf, true, "/plugins/0/ipam/routes/0/mtu", "sinceCniVersion")).get()
                .extracting(JsonNode::asText).isEqualTo("1.1.0");
        assertThat(CniSchemas.annotation(conf, true, "/plugins/0/ipam/routes/0/dst", "sinceCniVersion")).isEmpty();
        assertThat(CniSchemas.annotation(conf, true, "/plugins/0", "kind")).get()
                .extracting(JsonNode::asText).isEqualTo("main");
    }
}
