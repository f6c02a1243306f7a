package dev.podnet.dataplane;

import dev.podnet.dataplane.Addresses.IfAddress;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network facts of one node that the netns plan and the netfilter path walk need: the links in the node's
 * (host) network namespace with their addresses, bridge membership and hairpin flag, extra routes, and the
 * sysctls that change the packet path.
 *
 * <p>Sysctl defaults when absent: {@code net.bridge.bridge-nf-call-iptables} 1 (br_netfilter loaded, as
 * kubelet/kube-proxy require), {@code net.ipv4.ip_forward} 1.
 *
 * <p>Immutable; lookups of pod ports and local addresses are hashed.
 */
public final class NodeNetwork {
    private final String name;
    private final List<Link> links;
    private final Map<String, String> sysctls;
    private final List<Route> routes;
    private final Map<IPAddress, Link> podIndex = new HashMap<>();
    private final Set<IPAddress> localAddresses = new HashSet<>();
    private final Map<String, Link> byName = new HashMap<>();

    /** sysctl that makes bridged IPv4 frames traverse iptables (br_netfilter). */
    public static final String BRIDGE_NF_CALL_IPTABLES = "net.bridge.bridge-nf-call-iptables";
    /** sysctl that enables IPv4 forwarding. */
    public static final String IP_FORWARD = "net.ipv4.ip_forward";

    /**
     * One link ({@code ip link} terms).
     *
     * @param name         interface name
     * @param kind         {@code bridge}, {@code veth}, {@code device} (physical), {@code vxlan}, {@code macvlan},
     *                     {@code dummy}, ... (as {@code ip -d link} shows the kind; "device" for none)
     * @param addresses    its addresses with prefix
     * @param master       the bridge it is a port of, or null
     * @param hairpin      the bridge port's hairpin_mode (ports only)
     * @param podAddresses for a host-side veth: the addresses of the pod interface at the other end
     */
    public record Link(String name, String kind, List<IfAddress> addresses, String master, boolean hairpin,
                       List<IPAddress> podAddresses) {
        public Link {
            addresses = List.copyOf(addresses);
            podAddresses = List.copyOf(podAddresses);
        }

        /** A link with addresses and no bridge membership. */
        public static Link of(String name, String kind, String... addresses) {
            List<IfAddress> a = new ArrayList<>();
            for (String s : addresses) {
                a.add(Addresses.ifAddress(s));
            }
            return new Link(name, kind, a, null, false, List.of());
        }

        /** A veth leading to a pod with the given addresses: a port of {@code bridge}, or routed when null. */
        public static Link port(String name, String bridge, boolean hairpin, String... podAddresses) {
            List<IPAddress> a = new ArrayList<>();
            for (String s : podAddresses) {
                a.add(Addresses.address(s));
            }
            return new Link(name, "veth", List.of(), bridge, hairpin, a);
        }
    }

    /**
     * A route: destination block and output device.
     *
     * @param destination prefix block ({@code 0.0.0.0/0} for default)
     * @param device      output interface
     */
    public record Route(IPAddress destination, String device) {
        /** Parses {@code dst} ("default" allowed). */
        public static Route of(String dst, String device) {
            return new Route(Addresses.block("default".equals(dst) ? "0.0.0.0/0" : dst), device);
        }
    }

    /**
     * @param name    node name
     * @param links   links in the host namespace
     * @param sysctls sysctl name to value as text (e.g. {@code net.ipv4.ip_forward -> "0"})
     * @param routes  routes beyond the connected subnets of the link addresses (e.g. the default route)
     */
    public NodeNetwork(String name, List<Link> links, Map<String, String> sysctls, List<Route> routes) {
        this.name = name;
        this.links = List.copyOf(links);
        this.sysctls = Map.copyOf(sysctls);
        this.routes = List.copyOf(routes);
        for (Link l : this.links) {
            byName.putIfAbsent(l.name(), l);
            for (IPAddress a : l.podAddresses()) {
                podIndex.putIfAbsent(Addresses.plain(a), l);
            }
            for (IfAddress x : l.addresses()) {
                localAddresses.add(x.host());
            }
        }
    }

    /** Node name. */
    public String name() {
        return name;
    }

    /** Links in the host namespace. */
    public List<Link> links() {
        return links;
    }

    /** sysctl name to value. */
    public Map<String, String> sysctls() {
        return sysctls;
    }

    /** Routes beyond the connected subnets. */
    public List<Route> routes() {
        return routes;
    }

    /** The link named {@code name}. */
    public Optional<Link> link(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A sysctl as an int, {@code dflt} when absent or not a number. */
    public int sysctl(String key, int dflt) {
        String v = sysctls.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** True when bridged IPv4 traffic traverses iptables (bridge-nf-call-iptables != 0; default on). */
    public boolean bridgeNfCallIptables() {
        return sysctl(BRIDGE_NF_CALL_IPTABLES, 1) != 0;
    }

    /** True when the node forwards IPv4 (ip_forward != 0; default on). */
    public boolean ipForward() {
        return sysctl(IP_FORWARD, 1) != 0;
    }

    /** True when {@code a} is an address of one of the node's links (or loopback). */
    public boolean isLocal(IPAddress a) {
        return a.isLoopback() || localAddresses.contains(Addresses.plain(a));
    }

    /** True when {@code a} is the broadcast address of a connected IPv4 subnet, or 255.255.255.255. */
    public boolean isBroadcast(IPAddress a) {
        if (!a.isIPv4()) {
            return false;
        }
        IPAddress h = Addresses.plain(a);
        if (Addresses.text(h).equals("255.255.255.255")) {
            return true;
        }
        for (Link l : links) {
            for (IfAddress x : l.addresses()) {
                if (x.network().isIPv4() && x.prefixLength() < 31
                        && Addresses.plain(x.network().getUpper()).equals(h)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The host-side link leading to the pod that holds address {@code a}: a bridge port (master set) or a routed
     * veth (master null, as ptp/Calico/Cilium attach pods).
     */
    public Optional<Link> portForPod(IPAddress a) {
        return Optional.ofNullable(podIndex.get(Addresses.plain(a)));
    }

    /** The first address of link {@code name} in the same IP version as {@code like}. */
    public Optional<IPAddress> addressOf(String name, IPAddress like) {
        return link(name).flatMap(l -> l.addresses().stream()
                .filter(x -> x.host().getIPVersion() == like.getIPVersion())
                .map(IfAddress::host).findFirst());
    }

    /**
     * The output device for {@code dst}: longest prefix over the connected subnets of link addresses and
     * {@link #routes()}; empty when there is no route.
     */
    public Optional<String> routeDevice(IPAddress dst) {
        String best = null;
        int bestLen = -1;
        for (Link l : links) {
            for (IfAddress x : l.addresses()) {
                if (Addresses.contains(x.network(), dst) && x.prefixLength() > bestLen) {
                    best = l.name();
                    bestLen = x.prefixLength();
                }
            }
        }
        for (Route r : routes) {
            int len = r.destination().getNetworkPrefixLength() == null ? r.destination().getBitCount()
                    : r.destination().getNetworkPrefixLength();
            if (Addresses.contains(r.destination(), dst) && len > bestLen) {
                best = r.device();
                bestLen = len;
            }
        }
        return Optional.ofNullable(best);
    }
}
