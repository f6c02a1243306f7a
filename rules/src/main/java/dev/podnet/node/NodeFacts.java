package dev.podnet.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about one node, read from a node-facts document (schema {@code schemas/node-facts.schema.json};
 * {@code podnet node facts} writes one, and the hand-written {@code node.yaml} files of bug reports use the same
 * keys): name, kubelet version, container runtime with its CNI conf dir and plugin bin dirs, pod CIDR, interfaces
 * (name, addresses, MTU, kind), routes, sysctls, loaded kernel modules, the plugin binaries present in each bin dir
 * with the CNI versions their {@code CNI_COMMAND=VERSION} reports, policy agents, selected runtime files, and the
 * {@code iptables-save}/{@code ipset save} output. A fact that is absent is unknown, and rules that need it stay
 * silent. Every accessor returns the JSON pointer of the value so findings point into the facts file.
 *
 * @param doc the node-facts document
 */
public record NodeFacts(SourceDoc doc) {

    /** A plugin binary in a bin dir. */
    public record Binary(String dir, String name, List<String> supportedVersions, String pointer) {
        /** The binary's path. */
        public String path() {
            return dir.endsWith("/") ? dir + name : dir + "/" + name;
        }
    }

    /** A network interface. */
    public record Interface(String name, List<String> addresses, int mtu, String kind, String pointer) {
    }

    /** A route ({@code dst} "default" or a CIDR). */
    public record Route(String dst, String via, String dev, String pointer) {
    }

    /** A value with the pointer it came from. */
    public record Located<T>(T value, String pointer) {
    }

    /** Top-level keys that only node-facts documents have. */
    static final java.util.Set<String> NODE_KEYS = java.util.Set.of("binaries", "sysctl", "runtime", "kernelModules",
            "kubelet", "policyAgents", "interfaces", "routes", "iptablesSave", "ipsetSave", "overlay", "lanHosts",
            "files", "kubeProxy");

    /** True when a document looks like node facts: {@code kind: NodeFacts}, or the node.yaml keys without a kind. */
    public static boolean looksLikeNodeFacts(JsonNode root) {
        if (!root.isObject()) {
            return false;
        }
        if (root.has("kind")) {
            return "NodeFacts".equals(root.path("kind").asText());
        }
        if (root.has("type") || root.has("plugins")) {
            return false;
        }
        if (root.has("pods") || root.has("namespaces") || root.has("nodes")) {
            return false;
        }
        if (root.has("podCIDR") && root.has("name")) {
            return true;
        }
        for (String k : NODE_KEYS) {
            if (root.has(k)) {
                return true;
            }
        }
        return false;
    }

    public JsonNode root() {
        return doc.root();
    }

    /** The node name ("node" when not given). */
    public String name() {
        return root().path("name").asText("node");
    }

    /** The container runtime name (containerd, cri-o, dockershim, ...), or "". */
    public String runtimeName() {
        return root().path("runtime").path("name").asText("");
    }

    /** The CNI conf dir (default /etc/cni/net.d). */
    public String confDir() {
        return root().path("runtime").path("confDir").asText("/etc/cni/net.d");
    }

    /** The plugin bin dirs in search order; when not given, the dirs listed under {@code binaries}. */
    public List<String> binDirs() {
        List<String> out = new ArrayList<>();
        root().path("runtime").path("binDirs").forEach(d -> out.add(d.asText()));
        if (out.isEmpty()) {
            root().path("binaries").fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** True when the binaries present are known (the {@code binaries} key exists). */
    public boolean binariesKnown() {
        return root().path("binaries").isObject();
    }

    /** Every binary listed, per dir, in bin-dir order. */
    public List<Binary> binaries() {
        List<Binary> out = new ArrayList<>();
        JsonNode b = root().path("binaries");
        Iterator<Map.Entry<String, JsonNode>> it = b.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode list = e.getValue();
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String ptr = SourceDoc.child(SourceDoc.child("/binaries", e.getKey()), i);
                String name = item.isTextual() ? item.asText() : item.path("name").asText("");
                List<String> versions = new ArrayList<>();
                item.path("supportedVersions").forEach(v -> versions.add(v.asText()));
                out.add(new Binary(e.getKey(), name, List.copyOf(versions), ptr));
            }
        }
        return out;
    }

    /** The first binary with this name in bin-dir search order (what libcni's FindInPath returns). */
    public Optional<Binary> findBinary(String name) {
        List<Binary> all = binaries();
        for (String dir : binDirs()) {
            for (Binary b : all) {
                if (b.dir().equals(dir) && b.name().equals(name)) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    /** A sysctl value, e.g. {@code net.ipv4.ip_forward} (keys written flat with dots). */
    public Optional<Located<String>> sysctl(String key) {
        JsonNode v = root().path("sysctl").get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Located<>(v.asText(), SourceDoc.child("/sysctl", key)));
    }

    /** True when the kernel modules are known. */
    public boolean kernelModulesKnown() {
        return root().path("kernelModules").isArray();
    }

    /** Loaded kernel modules (empty when unknown). */
    public List<String> kernelModules() {
        List<String> out = new ArrayList<>();
        root().path("kernelModules").forEach(m -> out.add(m.asText()));
        return out;
    }

    /** The node's pod CIDR ("" when unknown). */
    public Located<String> podCIDR() {
        return new Located<>(root().path("podCIDR").asText(""), "/podCIDR");
    }

    /** Interfaces. */
    public List<Interface> interfaces() {
        List<Interface> out = new ArrayList<>();
        JsonNode l = root().path("interfaces");
        for (int i = 0; i < l.size(); i++) {
            JsonNode n = l.get(i);
            List<String> addrs = new ArrayList<>();
            n.path("addresses").forEach(a -> addrs.add(a.asText()));
            out.add(new Interface(n.path("name").asText(""), List.copyOf(addrs), n.path("mtu").asInt(0),
                    n.path("kind").asText(""), "/interfaces/" + i));
        }
        return out;
    }

    /** Routes. */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        JsonNode l = root().path("routes");
        for (int i = 0; i < l.size(); i++) {
            JsonNode n = l.get(i);
            out.add(new Route(n.path("dst").asText(""), n.path("via").asText(""), n.path("dev").asText(""),
                    "/routes/" + i));
        }
        return out;
    }

    /** True when the policy agents are known ({@code policyAgents} given, even empty). */
    public boolean policyAgentsKnown() {
        return root().path("policyAgents").isArray();
    }

    /** Components on the node that enforce NetworkPolicy (calico-node, cilium-agent, kube-router, ...). */
    public List<String> policyAgents() {
        List<String> out = new ArrayList<>();
        root().path("policyAgents").forEach(a -> out.add(a.isTextual() ? a.asText() : a.path("name").asText()));
        return out;
    }

    /** Runtime files captured from the node (path to content). */
    public Map<String, Located<String>> files() {
        Map<String, Located<String>> out = new LinkedHashMap<>();
        root().path("files").fields().forEachRemaining(e -> out.put(e.getKey(),
                new Located<>(e.getValue().asText(""), SourceDoc.child("/files", e.getKey()))));
        return out;
    }

    /** The overlay between nodes ({@code vxlan}, {@code ipip}, {@code wireguard}, ...) or "". */
    public String overlayType() {
        return root().path("overlay").path("type").asText("");
    }

    /** {@code iptables-save} output ("" when not captured). */
    public String iptablesSave() {
        return root().path("iptablesSave").asText("");
    }

    /** {@code ipset save} output ("" when not captured). */
    public String ipsetSave() {
        return root().path("ipsetSave").asText("");
    }

    /** The kernel release ("" when unknown). */
    public String kernelVersion() {
        return root().path("kernelVersion").asText("");
    }
}
