package dev.podnet.dataplane.netns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.cni.CniConfig;
import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.Addresses.IfAddress;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.ipam.HostLocalConfig;
import dev.podnet.dataplane.ipam.HostLocalIpam;
import dev.podnet.dataplane.ipam.IpamException;
import dev.podnet.dataplane.ipam.IpamStore;
import dev.podnet.dataplane.netns.NetnsStep.AddAddress;
import dev.podnet.dataplane.netns.NetnsStep.AddRoute;
import dev.podnet.dataplane.netns.NetnsStep.Fail;
import inet.ipaddr.IPAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the CNI ADD of pods on one node: the runtime's netns creation, then each plugin of the network config in
 * chain order. Keeps the node's evolving state (links created, addresses set, IPAM allocations) across pods, so
 * {@link #node()} afterwards describes the node with its pods attached (input for the netfilter path walk).
 *
 * <p>Modelled after containernetworking/plugins: {@code plugins/main/bridge/bridge.go} in full (bridge creation or
 * "already exists but is not a bridge", veth pair created in the pod netns with the host end moved out, master and
 * hairpin on the host end, IPAM, {@code isDefaultGateway} default route, address and routes on the pod interface,
 * gateway address on the bridge with {@code forceAddress}, ip_forward, {@code ipMasq} chain from
 * {@code pkg/ip/ipmasq_linux.go} named by {@code pkg/utils.FormatChainName}); {@code plugins/main/ptp} and
 * {@code plugins/main/macvlan} in outline; chained {@code portmap}, {@code bandwidth}, {@code firewall} and
 * {@code tuning} in outline. Host-side veth names are random in the plugins ({@code veth} + 8 hex); here they are
 * {@code veth} + the first 8 hex digits of sha256(containerId + ifName) so plans are reproducible. IPAM types
 * {@code host-local} (simulated by {@link HostLocalIpam}) and {@code static} give addresses; others are noted as
 * not simulated.
 */
public final class NetnsPlanner {

    private static final class MutLink {
        final String name;
        final String kind;
        final List<IfAddress> addresses = new ArrayList<>();
        String master;
        boolean hairpin;
        final List<IPAddress> podAddresses = new ArrayList<>();

        MutLink(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    private final String nodeName;
    private final Map<String, MutLink> links = new LinkedHashMap<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final List<NodeNetwork.Route> routes = new ArrayList<>();
    private final IpamStore store;

    /**
     * @param node  the node before the pods are attached
     * @param store host-local allocations already on the node (updated by each plan)
     */
    public NetnsPlanner(NodeNetwork node, IpamStore store) {
        this.nodeName = node.name();
        for (Link l : node.links()) {
            MutLink m = new MutLink(l.name(), l.kind());
            m.addresses.addAll(l.addresses());
            m.master = l.master();
            m.hairpin = l.hairpin();
            m.podAddresses.addAll(l.podAddresses());
            links.put(l.name(), m);
        }
        sysctls.putAll(node.sysctls());
        routes.addAll(node.routes());
        this.store = store;
    }

    /** The node as it is after the plans made so far. */
    public NodeNetwork node() {
        List<Link> out = new ArrayList<>();
        for (MutLink m : links.values()) {
            out.add(new Link(m.name, m.kind, m.addresses, m.master, m.hairpin, m.podAddresses));
        }
        return new NodeNetwork(nodeName, out, sysctls, routes);
    }

    /** The IPAM state. */
    public IpamStore store() {
        return store;
    }

    private final class Ctx {
        final PodRef pod;
        final CniConfig config;
        final List<NetnsStep> steps = new ArrayList<>();
        final List<IfAddress> addresses = new ArrayList<>();
        final List<IPAddress> gateways = new ArrayList<>();
        List<HostLocalConfig.IpamRoute> routes = List.of();
        String hostLink;

        Ctx(PodRef pod, CniConfig config) {
            this.pod = pod;
            this.config = config;
        }

        NetnsPlan plan() {
            return new NetnsPlan(pod, config.name(), steps, addresses, hostLink);
        }

        boolean fail(String actor, String error) {
            steps.add(new Fail(actor, error));
            return false;
        }
    }

    /** Plans the ADD of {@code pod} on network {@code config}; updates the node state unless a step fails. */
    public NetnsPlan plan(PodRef pod, CniConfig config) {
        Ctx c = new Ctx(pod, config);
        c.steps.add(new NetnsStep.CreateNetns(pod.netns()));
        List<CniConfig.Plugin> plugins = config.plugins();
        if (plugins.isEmpty()) {
            c.fail("runtime", "network " + config.name() + " has no plugins");
            return c.plan();
        }
        for (CniConfig.Plugin p : plugins) {
            boolean ok = switch (p.type()) {
                case "bridge" -> bridge(c, p.node());
                case "ptp" -> ptp(c, p.node());
                case "macvlan" -> macvlan(c, p.node());
                case "loopback" -> true;
                case "portmap" -> portmap(c, p.node());
                case "bandwidth" -> bandwidth(c, p.node());
                case "firewall" -> firewall(c);
                case "tuning" -> tuning(c, p.node());
                default -> {
                    c.steps.add(new NetnsStep.NotModelled(p.type().isEmpty() ? "(no type)" : p.type(),
                            "its effect on the node is not in the plan"));
                    yield true;
                }
            };
            if (!ok) {
                // the plugins release the IPAM allocation when a later step of the ADD fails
                store.release(pod.containerId(), pod.ifName());
                break;
            }
        }
        return c.plan();
    }

    // ---------------------------------------------------------------- main plugins

    private boolean bridge(Ctx c, JsonNode n) {
        String br = n.path("bridge").asText("cni0");
        boolean isDefaultGw = n.path("isDefaultGateway").asBoolean(false);
        boolean isGw = n.path("isGateway").asBoolean(false) || isDefaultGw;
        boolean force = n.path("forceAddress").asBoolean(false);
        boolean hairpin = n.path("hairpinMode").asBoolean(false);
        boolean promisc = n.path("promiscMode").asBoolean(false);
        int mtu = n.path("mtu").asInt(0);
        MutLink existing = links.get(br);
        if (existing != null && !existing.kind.equals("bridge")) {
            return c.fail("bridge", "\"" + br + "\" already exists but is not a bridge");
        }
        c.steps.add(new NetnsStep.EnsureBridge("bridge", br, existing == null, mtu, promisc));
        String host = vethName(c.pod);
        c.steps.add(new NetnsStep.CreateVeth("bridge", c.pod.netns(), c.pod.ifName(), host, mtu));
        c.steps.add(new NetnsStep.AttachToBridge("bridge", host, br));
        c.steps.add(new NetnsStep.SetHairpin("bridge", host, hairpin));
        if (!ipam(c, n)) {
            return false;
        }
        // bridge.go: a missing IPAM gateway becomes network+1 when isGateway
        if (isGw) {
            for (int i = 0; i < c.addresses.size(); i++) {
                if (c.gateways.get(i) == null) {
                    c.gateways.set(i, c.addresses.get(i).network().getLower().withoutPrefixLength().increment(1));
                }
            }
        }
        if (!podSide(c, isDefaultGw, "bridge")) {
            return false;
        }
        if (isGw) {
            for (int i = 0; i < c.addresses.size(); i++) {
                IfAddress gw = new IfAddress(c.gateways.get(i), c.addresses.get(i).network());
                if (!ensureAddress(c, br, gw, force)) {
                    return false;
                }
                forwarding(c, gw.host(), "bridge");
            }
        }
        if (n.path("ipMasq").asBoolean(false)) {
            ipMasq(c, "bridge");
        }
        // commit node state
        MutLink bridge = links.computeIfAbsent(br, k -> new MutLink(k, "bridge"));
        MutLink port = new MutLink(host, "veth");
        port.master = br;
        port.hairpin = hairpin;
        c.addresses.forEach(a -> port.podAddresses.add(a.host()));
        links.put(host, port);
        c.hostLink = host;
        if (isGw) {
            for (int i = 0; i < c.addresses.size(); i++) {
                IfAddress gw = new IfAddress(c.gateways.get(i), c.addresses.get(i).network());
                bridge.addresses.removeIf(a -> a.host().getIPVersion() == gw.host().getIPVersion() && force);
                if (!bridge.addresses.contains(gw)) {
                    bridge.addresses.add(gw);
                }
            }
        }
        return true;
    }

    /** bridge.go ensureAddr: same address is fine; another IPv4 address (or overlapping IPv6) fails. */
    private boolean ensureAddress(Ctx c, String br, IfAddress gw, boolean force) {
        MutLink bridge = links.get(br);
        List<IfAddress> existing = bridge == null ? List.of() : bridge.addresses;
        for (IfAddress a : existing) {
            if (a.equals(gw)) {
                return true;
            }
            if (a.host().getIPVersion() != gw.host().getIPVersion()) {
                continue;
            }
            boolean conflict = gw.host().isIPv4() || a.network().contains(gw.host()) || gw.network().contains(
                    a.host());
            if (conflict) {
                if (!force) {
                    return c.fail("bridge", "\"" + br + "\" already has an IP address different from " + gw);
                }
                c.steps.add(new NetnsStep.Iptables("bridge", "forceAddress: remove " + a + " from " + br,
                        List.of("ip addr del " + a + " dev " + br)));
            }
        }
        c.steps.add(new AddAddress("bridge", null, br, gw));
        return true;
    }

    private void forwarding(Ctx c, IPAddress family, String actor) {
        String key = family.isIPv4() ? NodeNetwork.IP_FORWARD : "net.ipv6.conf.all.forwarding";
        c.steps.add(new NetnsStep.Sysctl(actor, null, key, "1"));
        sysctls.put(key, "1");
    }

    private boolean ptp(Ctx c, JsonNode n) {
        int mtu = n.path("mtu").asInt(0);
        String host = vethName(c.pod);
        c.steps.add(new NetnsStep.CreateVeth("ptp", c.pod.netns(), c.pod.ifName(), host, mtu));
        if (!ipam(c, n)) {
            return false;
        }
        for (int i = 0; i < c.addresses.size(); i++) {
            if (c.gateways.get(i) == null) {
                c.gateways.set(i, c.addresses.get(i).network().getLower().withoutPrefixLength().increment(1));
            }
        }
        String ns = c.pod.netns();
        String ifn = c.pod.ifName();
        for (int i = 0; i < c.addresses.size(); i++) {
            IfAddress a = c.addresses.get(i);
            IPAddress gw = c.gateways.get(i);
            // ptp: the pod address is set with a host-length prefix and the gateway is reached on-link
            IfAddress host32 = new IfAddress(a.host(), a.host().toPrefixBlock(a.host().getBitCount()));
            c.steps.add(new AddAddress("ptp", ns, ifn, host32));
            c.steps.add(new NetnsStep.LinkUp("ptp", ns, ifn));
            c.steps.add(new AddRoute("ptp", ns, gw.toPrefixBlock(gw.getBitCount()), null, ifn));
            c.steps.add(new AddRoute("ptp", ns, a.network(), gw, ifn));
        }
        for (HostLocalConfig.IpamRoute r : c.routes) {
            IPAddress gw = r.gw() != null ? r.gw() : gatewayFor(c, r.dst());
            c.steps.add(new AddRoute("ptp", ns, r.dst(), gw, ifn));
        }
        MutLink veth = new MutLink(host, "veth");
        for (int i = 0; i < c.addresses.size(); i++) {
            IPAddress gw = c.gateways.get(i);
            IfAddress hostAddr = new IfAddress(gw, gw.toPrefixBlock(gw.getBitCount()));
            c.steps.add(new AddAddress("ptp", null, host, hostAddr));
            IPAddress pod = c.addresses.get(i).host();
            c.steps.add(new AddRoute("ptp", null, pod.toPrefixBlock(pod.getBitCount()), null, host));
            veth.addresses.add(hostAddr);
            veth.podAddresses.add(pod);
            forwarding(c, gw, "ptp");
        }
        if (n.path("ipMasq").asBoolean(false)) {
            ipMasq(c, "ptp");
        }
        links.put(host, veth);
        c.hostLink = host;
        return true;
    }

    private boolean macvlan(Ctx c, JsonNode n) {
        String master = n.path("master").asText("");
        if (master.isEmpty()) {
            master = routes.stream().filter(r -> r.destination().getNetworkPrefixLength() != null
                    && r.destination().getNetworkPrefixLength() == 0).map(NodeNetwork.Route::device).findFirst()
                    .orElse("");
        }
        if (master.isEmpty() || !links.containsKey(master)) {
            return c.fail("macvlan", "failed to lookup master \"" + master + "\": Link not found");
        }
        String mode = n.path("mode").asText("bridge");
        String tmp = "mv" + vethName(c.pod).substring(4);
        c.steps.add(new NetnsStep.CreateMacvlan("macvlan", master, mode, c.pod.netns(), c.pod.ifName(), tmp));
        if (!ipam(c, n)) {
            return false;
        }
        return podSide(c, false, "macvlan");
    }

    /** Address, link up and routes on the pod interface (ipam.ConfigureIface). */
    private boolean podSide(Ctx c, boolean isDefaultGw, String actor) {
        String ns = c.pod.netns();
        String ifn = c.pod.ifName();
        for (IfAddress a : c.addresses) {
            c.steps.add(new AddAddress(actor, ns, ifn, a));
        }
        c.steps.add(new NetnsStep.LinkUp(actor, ns, ifn));
        List<HostLocalConfig.IpamRoute> rs = new ArrayList<>(c.routes);
        if (isDefaultGw) {
            for (int i = 0; i < c.addresses.size(); i++) {
                IPAddress gw = c.gateways.get(i);
                if (gw == null) {
                    continue;
                }
                IPAddress def = Addresses.block(gw.isIPv4() ? "0.0.0.0/0" : "::/0");
                boolean found = false;
                for (HostLocalConfig.IpamRoute r : rs) {
                    if (r.dst().equals(def)) {
                        if (r.gw() != null && !r.gw().equals(gw)) {
                            return c.fail(actor, "isDefaultGateway ineffective because IPAM sets default route via \""
                                    + Addresses.text(r.gw()) + "\"");
                        }
                        found = true;
                    }
                }
                if (!found) {
                    rs.add(new HostLocalConfig.IpamRoute(def, gw));
                }
            }
        }
        for (HostLocalConfig.IpamRoute r : rs) {
            IPAddress gw = r.gw() != null ? r.gw() : gatewayFor(c, r.dst());
            c.steps.add(new AddRoute(actor, ns, r.dst(), gw, ifn));
        }
        return true;
    }

    private IPAddress gatewayFor(Ctx c, IPAddress dst) {
        for (int i = 0; i < c.addresses.size(); i++) {
            if (c.addresses.get(i).host().getIPVersion() == dst.getIPVersion()) {
                return c.gateways.get(i);
            }
        }
        return null;
    }

    /** Runs the IPAM of {@code plugin}; fills the context's addresses/gateways. */
    private boolean ipam(Ctx c, JsonNode plugin) {
        JsonNode ipam = plugin.path("ipam");
        String type = ipam.path("type").asText("");
        if (type.isEmpty()) {
            c.steps.add(new NetnsStep.Ipam("ipam", "(none)", List.of(), List.of(), "no IPAM: layer-2 only"));
            return true;
        }
        switch (type) {
            case "host-local" -> {
                try {
                    HostLocalConfig conf = HostLocalConfig.load(ipam, c.config.cniVersion(),
                            c.pod.requestedIp() == null ? HostLocalConfig.Request.none()
                                    : HostLocalConfig.Request.cniArgs("IP=" + c.pod.requestedIp()));
                    HostLocalIpam.Result r = HostLocalIpam.add(conf, store, c.pod.containerId(), c.pod.ifName());
                    for (HostLocalIpam.IpConfig ip : r.ips()) {
                        c.addresses.add(ip.address());
                        c.gateways.add(ip.gateway());
                    }
                    c.routes = r.routes();
                } catch (IpamException e) {
                    return c.fail("host-local", e.getMessage());
                }
            }
            case "static" -> {
                try {
                    for (JsonNode a : ipam.path("addresses")) {
                        c.addresses.add(Addresses.ifAddress(a.path("address").asText("")));
                        c.gateways.add(a.hasNonNull("gateway") ? Addresses.address(a.get("gateway").asText()) : null);
                    }
                    List<HostLocalConfig.IpamRoute> rs = new ArrayList<>();
                    for (JsonNode r : ipam.path("routes")) {
                        rs.add(new HostLocalConfig.IpamRoute(Addresses.block(r.path("dst").asText("")),
                                r.hasNonNull("gw") ? Addresses.address(r.get("gw").asText()) : null));
                    }
                    c.routes = rs;
                } catch (IllegalArgumentException e) {
                    return c.fail("static", e.getMessage());
                }
            }
            default -> {
                c.steps.add(new NetnsStep.Ipam(type, type, List.of(), List.of(),
                        "IPAM type " + type + " is not simulated; the pod address is unknown"));
                return true;
            }
        }
        c.steps.add(new NetnsStep.Ipam(type, type, c.addresses, c.gateways.stream().filter(g -> g != null).toList(),
                ""));
        return true;
    }

    private void ipMasq(Ctx c, String actor) {
        String chain = formatChainName(c.config.name(), c.pod.containerId(), "");
        String comment = "\"name: \\\"" + c.config.name() + "\\\" id: \\\"" + c.pod.containerId() + "\\\"\"";
        List<String> rules = new ArrayList<>();
        rules.add("iptables -t nat -N " + chain);
        for (IfAddress a : c.addresses) {
            if (!a.host().isIPv4()) {
                continue;
            }
            rules.add("iptables -t nat -A " + chain + " -d " + a.network().toCanonicalString()
                    + " -m comment --comment " + comment + " -j ACCEPT");
            rules.add("iptables -t nat -A " + chain + " ! -d 224.0.0.0/4 -m comment --comment " + comment
                    + " -j MASQUERADE");
            rules.add("iptables -t nat -A POSTROUTING -s " + Addresses.text(a.host()) + " -m comment --comment "
                    + comment + " -j " + chain);
        }
        c.steps.add(new NetnsStep.Iptables(actor, "ipMasq: masquerade traffic from the pod leaving its subnet",
                rules));
    }

    // ---------------------------------------------------------------- chained plugins (outline)

    private boolean portmap(Ctx c, JsonNode n) {
        JsonNode maps = n.path("runtimeConfig").path("portMappings");
        if (!maps.isArray() || maps.isEmpty()) {
            c.steps.add(new NetnsStep.Iptables("portmap", "portmap: no runtimeConfig.portMappings, nothing to do",
                    List.of()));
            return true;
        }
        IfAddress pod = c.addresses.stream().filter(a -> a.host().isIPv4()).findFirst().orElse(null);
        if (pod == null) {
            return c.fail("portmap", "no IPv4 address in prevResult");
        }
        String chain = formatChainName(c.config.name(), c.pod.containerId(), "DN-");
        List<String> rules = new ArrayList<>(List.of(
                "iptables -t nat -N CNI-HOSTPORT-DNAT",
                "iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
                "iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
                "iptables -t nat -N " + chain));
        for (JsonNode m : maps) {
            String proto = m.path("protocol").asText("tcp").toLowerCase(java.util.Locale.ROOT);
            int hostPort = m.path("hostPort").asInt();
            int containerPort = m.path("containerPort").asInt();
            rules.add("iptables -t nat -A CNI-HOSTPORT-DNAT -p " + proto + " -m multiport --dports " + hostPort
                    + " -j " + chain);
            String hostIp = m.path("hostIP").asText("");
            rules.add("iptables -t nat -A " + chain + (hostIp.isEmpty() ? "" : " -d " + hostIp) + " -p " + proto
                    + " --dport " + hostPort + " -j DNAT --to-destination " + Addresses.text(pod.host()) + ":"
                    + containerPort);
        }
        c.steps.add(new NetnsStep.Iptables("portmap", "portmap: DNAT host ports to the pod", rules));
        return true;
    }

    private boolean bandwidth(Ctx c, JsonNode n) {
        JsonNode bw = n.path("runtimeConfig").path("bandwidth");
        JsonNode src = bw.isObject() ? bw : n;
        long ingress = src.path("ingressRate").asLong(0);
        long egress = src.path("egressRate").asLong(0);
        if (c.hostLink == null) {
            return c.fail("bandwidth", "no host interface in prevResult");
        }
        List<String> tc = new ArrayList<>();
        if (ingress > 0) {
            tc.add("tc qdisc add dev " + c.hostLink + " root tbf rate " + ingress + "bit burst "
                    + src.path("ingressBurst").asLong(0) + "b latency 25ms");
        }
        if (egress > 0) {
            String ifb = "bwp" + c.hostLink.substring(4);
            tc.add("ip link add " + ifb + " type ifb");
            tc.add("ip link set " + ifb + " up");
            tc.add("tc qdisc add dev " + c.hostLink + " ingress");
            tc.add("tc filter add dev " + c.hostLink + " parent ffff: protocol all u32 match u32 0 0 action mirred "
                    + "egress redirect dev " + ifb);
            tc.add("tc qdisc add dev " + ifb + " root tbf rate " + egress + "bit burst "
                    + src.path("egressBurst").asLong(0) + "b latency 25ms");
        }
        c.steps.add(new NetnsStep.TrafficControl("bandwidth", tc.isEmpty() ? "bandwidth: no rates, nothing to do"
                : "bandwidth: shape pod traffic (rates in bits/s)", tc));
        return true;
    }

    private boolean firewall(Ctx c) {
        List<String> rules = new ArrayList<>(List.of(
                "iptables -N CNI-FORWARD", "iptables -N CNI-ADMIN",
                "iptables -I FORWARD 1 -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD",
                "iptables -A CNI-FORWARD -m comment --comment \"CNI firewall plugin admin overrides\" -j CNI-ADMIN"));
        for (IfAddress a : c.addresses) {
            if (a.host().isIPv4()) {
                String ip = Addresses.text(a.host());
                rules.add("iptables -A CNI-FORWARD -d " + ip + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
                rules.add("iptables -A CNI-FORWARD -s " + ip + " -j ACCEPT");
            }
        }
        c.steps.add(new NetnsStep.Iptables("firewall", "firewall: allow the pod's traffic in FORWARD", rules));
        return true;
    }

    private boolean tuning(Ctx c, JsonNode n) {
        String ns = c.pod.netns();
        JsonNode sys = n.path("sysctl");
        sys.fieldNames().forEachRemaining(k -> c.steps.add(new NetnsStep.Sysctl("tuning", ns, k,
                sys.path(k).asText())));
        if (n.hasNonNull("mtu")) {
            c.steps.add(new NetnsStep.LinkSet("tuning", ns, c.pod.ifName(), "mtu " + n.path("mtu").asInt()));
        }
        if (n.hasNonNull("mac")) {
            c.steps.add(new NetnsStep.LinkSet("tuning", ns, c.pod.ifName(), "address " + n.path("mac").asText()));
        }
        if (n.has("promisc")) {
            c.steps.add(new NetnsStep.LinkSet("tuning", ns, c.pod.ifName(), "promisc "
                    + (n.path("promisc").asBoolean() ? "on" : "off")));
        }
        return true;
    }

    // ---------------------------------------------------------------- names

    /** {@code veth} + first 8 hex digits of sha256(containerId + ifName). */
    static String vethName(PodRef pod) {
        return "veth" + HexFormat.of().formatHex(digest("SHA-256", pod.containerId() + pod.ifName())).substring(0, 8);
    }

    /** {@code pkg/utils.MustFormatChainNameWithPrefix}: "CNI-" + prefix + hex(sha512(name + id)), cut to 28. */
    static String formatChainName(String name, String id, String prefix) {
        String s = "CNI-" + prefix + HexFormat.of().formatHex(digest("SHA-512", name + id));
        return s.substring(0, 28);
    }

    private static byte[] digest(String alg, String s) {
        try {
            return MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " missing from the JDK", e);
        }
    }
}
