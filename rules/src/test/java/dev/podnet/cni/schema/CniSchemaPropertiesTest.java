package dev.podnet.cni.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Robustness: real-world configs with random damage (values replaced by other JSON types, keys renamed or
 * dropped) never make the schema check throw, and every finding points at a location that exists.
 */
class CniSchemaPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FILES = {"00-multus.conf", "10-calico.conflist", "10-flannel.conflist",
        "10-containerd-net.conflist", "10-mynet-ptp.conflist", "20-macvlan-dhcp.conflist", "30-ipvlan-static.conflist",
        "87-podman-bridge.conflist", "10-bridge-bandwidth.conflist", "99-loopback.conf"};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Property(tries = 300)
    void damagedConfigsNeverThrowAndFindingsPointAtExistingNodes(@ForAll @IntRange(min = 0, max = 9) int file,
                                                                 @ForAll long seed) throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/cni-schema/real/" + FILES[file])) {
            root = JSON.readTree(in);
        }
        Random rnd = new Random(seed);
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            damage(root, rnd);
        }
        boolean list = root.has("plugins");
        List<Findings.Finding> fs = CniSchemaCheck.findings(root, list);
        for (Findings.Finding f : fs) {
            assertThat(root.at(f.pointer()).isMissingNode()).as(f + " in " + root).isFalse();
            assertThat(f.rule()).matches("CNI00[1-9]");
            assertThat(f.message()).isNotBlank().doesNotContain("\n");
        }
    }

    private static void damage(JsonNode root, Random rnd) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode c = containers.get(rnd.nextInt(containers.size()));
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            String k = keys.get(rnd.nextInt(keys.size()));
            switch (rnd.nextInt(3)) {
                case 0 -> o.set(k, randomValue(rnd));
                case 1 -> o.set(k.length() > 1 ? k.substring(1) + k.charAt(0) : k + "x", o.remove(k));
                default -> o.remove(k);
            }
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            a.set(rnd.nextInt(a.size()), randomValue(rnd));
        }
    }

    private static JsonNode randomValue(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> F.textNode("x");
            case 1 -> F.numberNode(rnd.nextInt(100000) - 50);
            case 2 -> F.booleanNode(rnd.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> F.arrayNode().add(F.objectNode()).add("y");
            case 5 -> F.objectNode().put("type", rnd.nextBoolean() ? "bridge" : "nope");
            case 6 -> F.numberNode(1.5);
            default -> F.objectNode();
        };
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(c -> collect(c, out));
        }
    }
}
