package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin's ADD result, normalised across spec versions (CNI SPEC.md "Result", and the 0.1.0/0.2.0 format with
 * {@code ip4}/{@code ip6}): interfaces, IP configurations, routes and DNS. {@link #raw()} keeps the JSON exactly as
 * the plugin printed it, which is what the next plugin of a chain receives as {@code prevResult}.
 *
 * @param cniVersion the result's version ("0.1.0" when absent)
 * @param interfaces interfaces created (name, mac, sandbox path; empty for IPAM and pre-0.3.0 results)
 * @param ips        addresses with their gateway and the index of their interface (-1 when not given)
 * @param routes     routes (dst CIDR, gw)
 * @param raw        the result JSON as printed
 */
public record CniResult(String cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes,
                        JsonNode raw) {

    /** An interface of the result. */
    public record Interface(String name, String mac, String sandbox) {
    }

    /** An IP configuration: {@code address} is a CIDR such as {@code 10.244.1.2/24}. */
    public record IpConfig(String address, String gateway, int interfaceIndex) {
    }

    /** A route. */
    public record Route(String dst, String gw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses a result of any spec version.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static CniResult parse(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("plugin result is not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("plugin result is not a JSON object");
        }
        return of(n);
    }

    /** Normalises a parsed result object. */
    public static CniResult of(JsonNode n) {
        String v = n.path("cniVersion").asText("0.1.0");
        List<Interface> ifs = new ArrayList<>();
        List<IpConfig> ips = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        if (n.has("ip4") || n.has("ip6")) {
            for (String fam : List.of("ip4", "ip6")) {
                JsonNode f = n.path(fam);
                if (f.has("ip")) {
                    ips.add(new IpConfig(f.path("ip").asText(), f.path("gateway").asText(""), -1));
                }
                f.path("routes").forEach(r -> routes.add(new Route(r.path("dst").asText(), r.path("gw").asText(""))));
            }
        } else {
            n.path("interfaces").forEach(i -> ifs.add(new Interface(i.path("name").asText(), i.path("mac").asText(""),
                    i.path("sandbox").asText(""))));
            n.path("ips").forEach(i -> ips.add(new IpConfig(i.path("address").asText(), i.path("gateway").asText(""),
                    i.has("interface") ? i.path("interface").asInt() : -1)));
            n.path("routes").forEach(r -> routes.add(new Route(r.path("dst").asText(), r.path("gw").asText(""))));
        }
        return new CniResult(v, List.copyOf(ifs), List.copyOf(ips), List.copyOf(routes), n);
    }

    /** The first IPv4 address without its prefix length, or "". */
    public String firstIPv4() {
        return ips.stream().map(IpConfig::address).filter(a -> a.contains(".")).map(a -> a.split("/")[0])
                .findFirst().orElse("");
    }

    /**
     * The request configuration a runtime sends to one plugin of a list (SPEC.md "Execution of Network
     * Configurations", libcni {@code buildOneConfig} and {@code injectRuntimeConfig}): the plugin object with the
     * list's {@code name} and {@code cniVersion}, {@code runtimeConfig} holding the values of the capabilities the
     * plugin declares, and {@code prevResult} when given.
     *
     * @param list         the conflist (or single NetConf) root
     * @param plugin       the plugin object
     * @param capabilities capability name to the runtime's value (portMappings, bandwidth, ips, mac, ...)
     * @param prevResult   the previous plugin's result, or null
     */
    public static ObjectNode requestConfig(JsonNode list, JsonNode plugin, java.util.Map<String, JsonNode> capabilities,
                                           JsonNode prevResult) {
        ObjectNode c = plugin.deepCopy();
        c.put("name", list.path("name").asText());
        c.put("cniVersion", list.path("cniVersion").asText(plugin.path("cniVersion").asText("0.1.0")));
        ObjectNode rc = null;
        JsonNode caps = plugin.path("capabilities");
        for (java.util.Map.Entry<String, JsonNode> e : capabilities.entrySet()) {
            if (caps.path(e.getKey()).asBoolean(false)) {
                if (rc == null) {
                    rc = c.putObject("runtimeConfig");
                }
                rc.set(e.getKey(), e.getValue());
            }
        }
        if (prevResult != null) {
            c.set("prevResult", prevResult);
        }
        return c;
    }

    /** An empty result (used when a list has no plugin). */
    public static CniResult empty(String version) {
        ObjectNode n = JSON.createObjectNode();
        n.put("cniVersion", version);
        n.set("ips", JSON.createArrayNode());
        return of(n);
    }

}
