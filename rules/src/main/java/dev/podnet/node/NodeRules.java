package dev.podnet.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.cni.CniConfig;
import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.DocumentSchema;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Node-aware rules (ids {@code NODE001..}): the CNI configs and policies of the workspace checked against the
 * facts of a node ({@link NodeFacts}). They run only when a node-facts document is among the inputs (a
 * {@code node.yaml}, or the one {@code --node URI} collects); without one, every rule here stays silent.
 * Sources: libcni {@code FindInPath} and version negotiation (containernetworking/cni {@code pkg/invoke},
 * {@code pkg/version}), the bridge plugin ({@code plugins/main/bridge/bridge.go}: ensureBridge, ensureAddr),
 * flannel ({@code flannel-io/cni-plugin} default delegate), the Linux sysctls {@code net.ipv4.ip_forward} and
 * {@code net.bridge.bridge-nf-call-iptables} (br_netfilter).
 *
 * <p>NODE013 validates each node-facts document against {@code schemas/node-facts.schema.json} (networknt,
 * draft 2020-12, through {@link DocumentSchema}): a misspelt key (reported at the key with a did-you-mean) or a
 * value of the wrong type ({@code mtu: "1500"}, a sysctl {@code yes}) would otherwise be an unknown fact, and the
 * rules that need it would stay silent. The other rules still run on what can be read.
 */
public final class NodeRules implements Check {
    /** Plugin types (main or in a chain) that enforce NetworkPolicy by themselves. */
    static final Set<String> POLICY_ENFORCING_TYPES = Set.of("calico", "cilium-cni", "weave-net", "antrea",
            "kube-ovn", "ovn-k8s-cni-overlay", "aws-cni", "vpc-cni");
    /** Encapsulation overhead in bytes per overlay type (IPv4 outer header). */
    static final Map<String, Integer> OVERLAY_OVERHEAD = Map.of("vxlan", 50, "ipip", 20, "geneve", 50,
            "wireguard", 60, "gre", 24);

    /** The node-facts schema; NODE013 reports every violation at its field. */
    /** The JSON Schema of node facts files (loaded on first use: runs without such documents never build the validator). */
    private static final class Schema {
        static final DocumentSchema SCHEMA = DocumentSchema.load("schemas/node-facts.schema.json");
    }

    @Override
    public void run(Workspace ws, Reporter r) {
        List<SourceFile.Doc> nodes = ws.docs(DocKind.NODE_FACTS).toList();
        if (nodes.isEmpty()) {
            return;
        }
        List<CniConfig> configs = CniConfig.from(ws);
        for (SourceFile.Doc nd : nodes) {
            r.checkCanceled();
            Schema.SCHEMA.report("NODE013", nd.doc(), r);
            NodeFacts node = new NodeFacts(nd.doc());
            for (CniConfig c : configs) {
                binaries(node, c, r);
                versions(node, c, r);
                subnets(node, c, r);
                bridges(node, c, r);
                mtu(node, c, r);
            }
            sysctls(node, configs, r);
            forwardPolicy(node, configs, r);
            enforcement(node, configs, ws, r);
            flannelNetConf(node, ws, r);
        }
    }

    /** Plugin types a config invokes, with the pointer of the {@code type} that names them. */
    record Invoked(String type, String pointer, String why) {
    }

    static List<Invoked> invoked(CniConfig c) {
        List<Invoked> out = new ArrayList<>();
        for (CniConfig.Plugin p : c.plugins()) {
            if (p.type().isEmpty()) {
                continue;
            }
            out.add(new Invoked(p.type(), p.pointer() + "/type", ""));
            String ipamType = p.ipam().path("type").asText("");
            if (!ipamType.isEmpty()) {
                out.add(new Invoked(ipamType, p.ipamPointer() + "/type", " (IPAM of " + p.type() + ")"));
            }
            if (p.type().equals("flannel")) {
                JsonNode d = p.node().path("delegate");
                String dt = d.path("type").asText("bridge");
                String dPtr = d.has("type") ? p.pointer() + "/delegate/type" : p.pointer() + "/type";
                out.add(new Invoked(dt, dPtr, d.has("type") ? " (flannel delegate)"
                        : " (flannel's default delegate)"));
                String it = d.path("ipam").path("type").asText("host-local");
                out.add(new Invoked(it, dPtr, " (IPAM of flannel's delegate)"));
            }
        }
        return out;
    }

    private static void binaries(NodeFacts node, CniConfig c, Reporter r) {
        if (!node.binariesKnown()) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Invoked i : invoked(c)) {
            if (!seen.add(i.type() + "@" + i.pointer())) {
                continue;
            }
            if (node.findBinary(i.type()).isEmpty()) {
                r.report("NODE001", c.doc(), i.pointer(), "plugin \"" + i.type() + "\"" + i.why() + " is not in any "
                        + "of the runtime's plugin directories " + node.binDirs() + " on " + node.name() + ", so every "
                        + "pod ADD fails with 'failed to find plugin \"" + i.type() + "\" in path'; install it there");
            }
        }
    }

    private static void versions(NodeFacts node, CniConfig c, Reporter r) {
        String v = c.cniVersion();
        if (v.isEmpty() || !node.binariesKnown()) {
            return;
        }
        List<String> unsupported = new ArrayList<>();
        List<NodeFacts.Binary> chain = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        invoked(c).forEach(i -> types.add(i.type()));
        for (String t : types) {
            Optional<NodeFacts.Binary> b = node.findBinary(t);
            if (b.isPresent() && !b.get().supportedVersions().isEmpty()) {
                chain.add(b.get());
                if (!b.get().supportedVersions().contains(v)) {
                    unsupported.add(b.get().path() + " (supports " + String.join(", ",
                            b.get().supportedVersions()) + ")");
                }
            }
        }
        if (unsupported.isEmpty()) {
            return;
        }
        r.report("NODE002", c.doc(), "/cniVersion", "cniVersion " + v + " is not supported by "
                + String.join(" or ", unsupported) + ", so every ADD on this network fails with \"incompatible CNI "
                + "versions\"; install a plugins release that supports " + v + " or use a version all plugins accept");
        Set<String> common = null;
        for (NodeFacts.Binary b : chain) {
            Set<String> s = new LinkedHashSet<>(b.supportedVersions());
            if (common == null) {
                common = s;
            } else {
                common.retainAll(s);
            }
        }
        if (common != null && common.isEmpty() && chain.size() > 1) {
            for (CniConfig.Plugin p : c.plugins()) {
                Optional<NodeFacts.Binary> b = node.findBinary(p.type());
                if (b.isPresent() && !b.get().supportedVersions().isEmpty()
                        && b.get().supportedVersions().contains(v)) {
                    r.report("NODE003", c.doc(), p.pointer() + "/type", "changing cniVersion would not help: the "
                            + "installed " + p.type() + " supports only " + String.join(", ",
                            b.get().supportedVersions()) + ", so no cniVersion is accepted by every plugin in this "
                            + "chain; upgrade the other plugins instead");
                }
            }
        }
    }

    /** IPAM subnets of a config with their pointers (host-local subnet and ranges). */
    static List<NodeFacts.Located<IPAddress>> ipamSubnets(CniConfig c) {
        List<NodeFacts.Located<IPAddress>> out = new ArrayList<>();
        for (CniConfig.Plugin p : c.plugins()) {
            JsonNode ipam = p.ipam();
            addSubnet(out, ipam.path("subnet"), p.ipamPointer() + "/subnet");
            JsonNode ranges = ipam.path("ranges");
            for (int i = 0; i < ranges.size(); i++) {
                for (int j = 0; j < ranges.get(i).size(); j++) {
                    addSubnet(out, ranges.get(i).get(j).path("subnet"),
                            p.ipamPointer() + "/ranges/" + i + "/" + j + "/subnet");
                }
            }
            if (p.type().equals("flannel")) {
                JsonNode d = p.node().path("delegate").path("ipam");
                addSubnet(out, d.path("subnet"), p.pointer() + "/delegate/ipam/subnet");
            }
        }
        return out;
    }

    private static void addSubnet(List<NodeFacts.Located<IPAddress>> out, JsonNode n, String ptr) {
        if (n.isTextual()) {
            IPAddress a = new IPAddressString(n.asText()).getAddress();
            if (a != null && a.isPrefixed()) {
                out.add(new NodeFacts.Located<>(a.toPrefixBlock(), ptr));
            }
        }
    }

    static boolean overlaps(IPAddress a, IPAddress b) {
        return a.getIPVersion() == b.getIPVersion() && (a.contains(b) || b.contains(a));
    }

    private static Set<String> bridgeNames(CniConfig c) {
        Set<String> out = new LinkedHashSet<>();
        for (CniConfig.Plugin p : c.plugins()) {
            if (p.type().equals("bridge")) {
                out.add(p.node().path("bridge").asText("cni0"));
            }
            if (p.type().equals("flannel")) {
                out.add(p.node().path("delegate").path("bridge").asText("cni0"));
            }
        }
        return out;
    }

    private static void subnets(NodeFacts node, CniConfig c, Reporter r) {
        Set<String> own = bridgeNames(c);
        for (NodeFacts.Located<IPAddress> s : ipamSubnets(c)) {
            for (NodeFacts.Interface itf : node.interfaces()) {
                if (own.contains(itf.name()) || itf.name().startsWith("veth") || itf.name().equals("lo")) {
                    continue;
                }
                for (String addr : itf.addresses()) {
                    IPAddress a = new IPAddressString(addr).getAddress();
                    if (a == null) {
                        continue;
                    }
                    IPAddress net = a.isPrefixed() ? a.toPrefixBlock() : a;
                    if (overlaps(s.value(), net)) {
                        r.report("NODE004", c.doc(), s.pointer(), "pod subnet " + s.value() + " overlaps "
                                + itf.name() + " " + addr + " on " + node.name() + ": the node would route that LAN "
                                + "into the pod bridge and lose it; pick a pod subnet that no node network uses");
                    }
                }
            }
            for (NodeFacts.Route rt : node.routes()) {
                if (rt.dst().equals("default") || rt.dst().isEmpty() || own.contains(rt.dev())) {
                    continue;
                }
                IPAddress d = new IPAddressString(rt.dst()).getAddress();
                if (d != null && overlaps(s.value(), d.isPrefixed() ? d.toPrefixBlock() : d)
                        && node.interfaces().stream().noneMatch(i -> i.name().equals(rt.dev())
                        && !i.addresses().isEmpty() && i.addresses().stream().anyMatch(x -> overlaps(s.value(),
                        prefixBlock(x))))) {
                    r.report("NODE004", c.doc(), s.pointer(), "pod subnet " + s.value() + " overlaps the route to "
                            + rt.dst() + (rt.dev().isEmpty() ? "" : " via " + rt.dev()) + " on " + node.name()
                            + ": traffic to those hosts would go to the pods; pick a pod subnet no route uses");
                }
            }
        }
    }

    private static IPAddress prefixBlock(String s) {
        IPAddress a = new IPAddressString(s).getAddress();
        return a == null ? new IPAddressString("255.255.255.255/32").getAddress() : a.isPrefixed()
                ? a.toPrefixBlock() : a;
    }

    private static void bridges(NodeFacts node, CniConfig c, Reporter r) {
        for (CniConfig.Plugin p : c.plugins()) {
            if (!p.type().equals("bridge")) {
                continue;
            }
            String name = p.node().path("bridge").asText("cni0");
            String ptr = p.node().has("bridge") ? p.pointer() + "/bridge" : p.pointer() + "/type";
            for (NodeFacts.Interface itf : node.interfaces()) {
                if (!itf.name().equals(name)) {
                    continue;
                }
                if (!itf.kind().isEmpty() && !itf.kind().equals("bridge")) {
                    r.report("NODE005", c.doc(), ptr, "\"" + name + "\" already exists on " + node.name() + " as a "
                            + itf.kind() + " link, not a bridge; the plugin fails with '" + name + "' already exists "
                            + "but is not a bridge: choose another bridge name");
                }
                if (!p.node().path("isGateway").asBoolean(false) && !p.node().path("isDefaultGateway")
                        .asBoolean(false)) {
                    continue;
                }
                for (NodeFacts.Located<IPAddress> s : ipamSubnets(c)) {
                    for (String addr : itf.addresses()) {
                        IPAddress a = new IPAddressString(addr).getAddress();
                        if (a != null && a.getIPVersion() == s.value().getIPVersion()
                                && !s.value().contains(a.withoutPrefixLength())) {
                            r.report("NODE005", c.doc(), s.pointer(), "bridge " + name + " on " + node.name()
                                    + " already holds " + addr + ", outside " + s.value() + "; the plugin fails with '"
                                    + name + "' already has an IP address different from the gateway: delete the old "
                                    + "address (ip addr flush dev " + name + ") or use the bridge's subnet");
                        }
                    }
                }
            }
        }
    }

    private static void mtu(NodeFacts node, CniConfig c, Reporter r) {
        int uplink = uplinkMtu(node);
        if (uplink == 0) {
            return;
        }
        int overhead = OVERLAY_OVERHEAD.getOrDefault(node.overlayType(), 0);
        for (CniConfig.Plugin p : c.plugins()) {
            String ptr = p.type().equals("flannel") ? p.pointer() + "/delegate/mtu" : p.pointer() + "/mtu";
            JsonNode m = p.node().at(ptr.substring(p.pointer().length()));
            if (m.canConvertToInt() && m.asInt() > uplink - overhead) {
                r.report("NODE006", c.doc(), ptr, "pod MTU " + m.asInt() + " is larger than the uplink MTU " + uplink
                        + (overhead > 0 ? " minus the " + node.overlayType() + " overhead (" + overhead + ")" : "")
                        + " on " + node.name() + ": large packets are dropped (connections hang after the "
                        + "handshake); set mtu to " + (uplink - overhead) + " or less");
            }
        }
    }

    /**
     * The MTU of the node's uplink: the interface of the default route; without routes, the smallest MTU among
     * physical interfaces ({@code kind: device}) that have addresses; 0 when unknown. Bridges, veths and tunnels are
     * never the uplink.
     */
    static int uplinkMtu(NodeFacts node) {
        String dev = node.routes().stream().filter(r -> r.dst().equals("default") && !r.dev().isEmpty())
                .map(NodeFacts.Route::dev).findFirst().orElse(null);
        if (dev != null) {
            return node.interfaces().stream().filter(i -> i.name().equals(dev)).mapToInt(NodeFacts.Interface::mtu)
                    .filter(m -> m > 0).findFirst().orElse(0);
        }
        return node.interfaces().stream().filter(i -> (i.kind().isEmpty() || i.kind().equals("device"))
                        && !i.name().equals("lo") && !i.name().startsWith("veth") && !i.name().startsWith("cni")
                        && i.mtu() > 0 && !i.addresses().isEmpty())
                .mapToInt(NodeFacts.Interface::mtu).min().orElse(0);
    }

    private static void sysctls(NodeFacts node, List<CniConfig> configs, Reporter r) {
        node.sysctl("net.ipv4.ip_forward").filter(v -> v.value().equals("0")).ifPresent(v ->
                r.report("NODE007", node.doc(), v.pointer(), "net.ipv4.ip_forward is 0 on " + node.name() + ", so the "
                        + "kernel does not route pod traffic to other nodes or outside; run sysctl -w "
                        + "net.ipv4.ip_forward=1 and persist it in /etc/sysctl.d"));
        boolean bridged = configs.stream().anyMatch(c -> !bridgeNames(c).isEmpty());
        if (!bridged) {
            return;
        }
        Optional<NodeFacts.Located<String>> nf = node.sysctl("net.bridge.bridge-nf-call-iptables");
        if (nf.isPresent() && nf.get().value().equals("0")) {
            r.report("NODE008", node.doc(), nf.get().pointer(), "net.bridge.bridge-nf-call-iptables is 0 on "
                    + node.name() + ": traffic between pods on the same bridge skips iptables, so NetworkPolicies "
                    + "and Service DNAT are not applied to it; set it to 1 (modprobe br_netfilter)");
        } else if (node.kernelModulesKnown() && !node.kernelModules().contains("br_netfilter") && nf.isEmpty()) {
            r.report("NODE008", node.doc(), "/kernelModules", "br_netfilter is not loaded on " + node.name()
                    + ": traffic between pods on the same bridge skips iptables, so NetworkPolicies and Service DNAT "
                    + "are not applied to it; modprobe br_netfilter and set net.bridge.bridge-nf-call-iptables=1");
        }
    }

    private static void forwardPolicy(NodeFacts node, List<CniConfig> configs, Reporter r) {
        String save = node.iptablesSave();
        if (save.isEmpty()) {
            return;
        }
        boolean inFilter = false;
        boolean drop = false;
        List<String> forwardRules = new ArrayList<>();
        for (String line : save.split("\n")) {
            String l = line.strip();
            if (l.startsWith("*")) {
                inFilter = l.equals("*filter");
            } else if (inFilter && l.startsWith(":FORWARD ")) {
                drop = l.startsWith(":FORWARD DROP");
            } else if (inFilter && l.startsWith("-A FORWARD ")) {
                forwardRules.add(l);
            }
        }
        if (!drop) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        List<IPAddress> subnets = new ArrayList<>();
        for (CniConfig c : configs) {
            names.addAll(bridgeNames(c));
            ipamSubnets(c).forEach(s -> subnets.add(s.value()));
        }
        if (names.isEmpty() && subnets.isEmpty()) {
            return;
        }
        for (String rule : forwardRules) {
            for (String n : names) {
                if (rule.contains("-i " + n + " ") || rule.contains("-o " + n + " ") || rule.endsWith(n)) {
                    return;
                }
            }
            for (IPAddress s : subnets) {
                if (rule.contains(s.toString())) {
                    return;
                }
            }
            if (rule.matches(".*-j (KUBE-FORWARD|CNI-FORWARD|FLANNEL-FWD|PODNET-FORWARD|cali-FORWARD|"
                    + "KUBE-ROUTER-FORWARD|WEAVE-NPC.*|ACCEPT)$") && !rule.contains(" -i ") && !rule.contains(" -o ")
                    && !rule.contains(" -s ") && !rule.contains(" -d ")) {
                return;
            }
        }
        r.report("NODE009", node.doc(), "/iptablesSave", "the filter FORWARD policy is DROP on " + node.name()
                + " (Docker sets it) and no FORWARD rule lets pod traffic through " + names + ": pods cannot reach "
                + "other nodes or outside; add -A FORWARD -i " + names.iterator().next() + " -j ACCEPT and -A FORWARD "
                + "-o " + names.iterator().next() + " -j ACCEPT (or set ipMasq / use the firewall plugin)");
    }

    private static void enforcement(NodeFacts node, List<CniConfig> configs, Workspace ws, Reporter r) {
        if (!node.policyAgentsKnown() || !node.policyAgents().isEmpty() || configs.isEmpty()) {
            return;
        }
        for (CniConfig c : configs) {
            for (Invoked i : invoked(c)) {
                if (POLICY_ENFORCING_TYPES.contains(i.type())) {
                    return;
                }
            }
        }
        CniConfig first = configs.get(0);
        String network = first.plugins().isEmpty() ? "?" : first.plugins().get(0).type();
        for (SourceFile.Doc d : ws.docs(DocKind.MANIFEST).toList()) {
            for (dev.podnet.inventory.SourceRef ref : dev.podnet.inventory.InventoryBuilder.objects(d.doc())) {
                JsonNode o = d.doc().at(ref.base());
                if (!o.path("kind").asText().equals("NetworkPolicy")) {
                    continue;
                }
                String name = dev.podnet.inventory.InventoryBuilder.namespaceOf(o) + "/"
                        + o.path("metadata").path("name").asText();
                r.report("NODE010", d.doc(), ref.ptr("/metadata/name"), "NetworkPolicy " + name + " will have no effect: the "
                        + "network on " + node.name() + " is " + network + " (" + first.file().input().fileName()
                        + "), which does not enforce NetworkPolicy, and no policy agent runs on the node; run a "
                        + "policy-enforcing component (Calico/Canal, Cilium, kube-router)", List.of(
                        new Diagnostic.Related(first.path(), first.doc().rangeOf(first.plugins().isEmpty() ? ""
                                : first.plugins().get(0).pointer() + "/type"), "the network's plugin")));
            }
        }
    }

    private static void flannelNetConf(NodeFacts node, Workspace ws, Reporter r) {
        String podCIDR = node.podCIDR().value();
        IPAddress nodeCidr = podCIDR.isEmpty() ? null : new IPAddressString(podCIDR).getAddress();
        for (SourceFile.Doc d : ws.docs(DocKind.FLANNEL_NETCONF).toList()) {
            String network = d.doc().root().path("Network").asText();
            IPAddress net = new IPAddressString(network).getAddress();
            if (net == null || nodeCidr == null) {
                continue;
            }
            if (!net.toPrefixBlock().contains(nodeCidr.toPrefixBlock())) {
                r.report("NODE011", d.doc(), "/Network", "flannel Network " + network + " does not contain "
                        + node.name() + "'s podCIDR " + podCIDR + ", so flannel's routes and masquerade rules are built "
                        + "for the wrong range; set Network to the cluster's --pod-network-cidr (the range that "
                        + "contains every node's podCIDR)");
            }
        }
        Map<String, NodeFacts.Located<String>> files = node.files();
        NodeFacts.Located<String> env = files.get("/run/flannel/subnet.env");
        if (env != null) {
            String fn = null;
            String fs = null;
            for (String line : env.value().split("\n")) {
                if (line.startsWith("FLANNEL_NETWORK=")) {
                    fn = line.substring("FLANNEL_NETWORK=".length()).strip();
                } else if (line.startsWith("FLANNEL_SUBNET=")) {
                    fs = line.substring("FLANNEL_SUBNET=".length()).strip();
                }
            }
            IPAddress n = fn == null ? null : new IPAddressString(fn).getAddress();
            IPAddress s = fs == null ? null : new IPAddressString(fs).getAddress();
            if (n != null && s != null && !n.toPrefixBlock().contains(s.withoutPrefixLength())) {
                r.report("NODE012", node.doc(), env.pointer(), "FLANNEL_SUBNET " + fs + " lies outside FLANNEL_NETWORK "
                        + fn + " in /run/flannel/subnet.env on " + node.name() + ", which confirms flannel's Network "
                        + "does not match the node's podCIDR; fix net-conf.json's Network");
            }
        }
    }

}
