package dev.podnet.dataplane.netns;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.Addresses.IfAddress;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One step the container runtime or a CNI plugin performs while attaching a pod, with the equivalent shell
 * commands ({@code ip}, {@code bridge}, {@code sysctl}, {@code iptables}, {@code tc}). Commands that run inside
 * the pod use {@code ip -n NETNS} / {@code ip netns exec NETNS}; host-side commands run in the node's namespace.
 */
public sealed interface NetnsStep {

    /** The plugin (or {@code runtime}) that performs the step. */
    String actor();

    /** One line saying what happens. */
    String describe();

    /** Equivalent commands; comment lines start with {@code #}. */
    List<String> commands();

    private static String ipn(String netns) {
        return netns == null ? "ip" : "ip -n " + netns;
    }

    private static String exec(String netns, String cmd) {
        return netns == null ? cmd : "ip netns exec " + netns + " " + cmd;
    }

    /** The runtime creates the pod's network namespace and brings up lo (loopback plugin). */
    record CreateNetns(String netns) implements NetnsStep {
        public String actor() {
            return "runtime";
        }

        public String describe() {
            return "create network namespace " + netns;
        }

        public List<String> commands() {
            return List.of("ip netns add " + netns, "ip -n " + netns + " link set lo up");
        }
    }

    /** The bridge exists already (checked) or is created. */
    record EnsureBridge(String actor, String bridge, boolean create, int mtu, boolean promisc) implements NetnsStep {
        public String describe() {
            return create ? "create bridge " + bridge : "use existing bridge " + bridge;
        }

        public List<String> commands() {
            List<String> c = new ArrayList<>();
            if (create) {
                c.add("ip link add name " + bridge + (mtu > 0 ? " mtu " + mtu : "") + " type bridge");
            } else {
                c.add("# bridge " + bridge + " exists");
            }
            if (promisc) {
                c.add("ip link set " + bridge + " promisc on");
            }
            c.add("ip link set " + bridge + " up");
            return c;
        }
    }

    /** Creates a veth pair inside the pod netns and moves the host end to the node. */
    record CreateVeth(String actor, String netns, String ifName, String hostName, int mtu) implements NetnsStep {
        public String describe() {
            return "create veth pair " + ifName + " (in " + netns + ") <-> " + hostName + " (moved to the node)";
        }

        public List<String> commands() {
            String m = mtu > 0 ? " mtu " + mtu : "";
            return List.of(
                    "ip -n " + netns + " link add " + ifName + m + " type veth peer name " + hostName + m,
                    "ip -n " + netns + " link set " + hostName + " netns 1",
                    "ip link set " + hostName + " up");
        }
    }

    /** Attaches a host link to a bridge. */
    record AttachToBridge(String actor, String link, String bridge) implements NetnsStep {
        public String describe() {
            return "attach " + link + " to bridge " + bridge;
        }

        public List<String> commands() {
            return List.of("ip link set " + link + " master " + bridge);
        }
    }

    /** Sets hairpin mode of a bridge port. */
    record SetHairpin(String actor, String port, boolean on) implements NetnsStep {
        public String describe() {
            return "hairpin mode " + (on ? "on" : "off") + " on bridge port " + port;
        }

        public List<String> commands() {
            return List.of("bridge link set dev " + port + " hairpin " + (on ? "on" : "off"));
        }
    }

    /** The IPAM plugin's result. */
    record Ipam(String actor, String ipamType, List<IfAddress> addresses, List<IPAddress> gateways, String note)
            implements NetnsStep {
        public String describe() {
            return ipamType + " IPAM: " + (addresses.isEmpty() ? note : addresses + " gateway " + gateways.stream()
                    .map(Addresses::text).toList());
        }

        public List<String> commands() {
            return List.of("# " + describe());
        }
    }

    /** Adds an address to a link (netns null = node). */
    record AddAddress(String actor, String netns, String link, IfAddress address) implements NetnsStep {
        public String describe() {
            return "add " + address + " to " + link + (netns == null ? " on the node" : " in " + netns);
        }

        public List<String> commands() {
            return List.of(ipn(netns) + " addr add " + address + " dev " + link);
        }
    }

    /** Brings a link up (netns null = node). */
    record LinkUp(String actor, String netns, String link) implements NetnsStep {
        public String describe() {
            return "set " + link + " up" + (netns == null ? "" : " in " + netns);
        }

        public List<String> commands() {
            return List.of(ipn(netns) + " link set " + link + " up");
        }
    }

    /** Adds a route (gateway null = on-link; netns null = node). */
    record AddRoute(String actor, String netns, IPAddress destination, IPAddress gateway, String device)
            implements NetnsStep {
        public String describe() {
            return "route " + destination.toCanonicalString() + (gateway == null ? "" : " via "
                    + Addresses.text(gateway)) + " dev " + device + (netns == null ? " on the node" : " in " + netns);
        }

        public List<String> commands() {
            String dst = destination.getNetworkPrefixLength() != null && destination.getNetworkPrefixLength() == 0
                    ? "default" : destination.toCanonicalString();
            return List.of(ipn(netns) + " route add " + dst + (gateway == null ? "" : " via "
                    + Addresses.text(gateway)) + " dev " + device);
        }
    }

    /** Sets a sysctl (netns null = node). */
    record Sysctl(String actor, String netns, String key, String value) implements NetnsStep {
        public String describe() {
            return key + "=" + value + (netns == null ? " on the node" : " in " + netns);
        }

        public List<String> commands() {
            return List.of(exec(netns, "sysctl -w " + key + "=" + value));
        }
    }

    /** iptables commands on the node (chain creation and rules), e.g. ipMasq, portmap, firewall. */
    record Iptables(String actor, String purpose, List<String> rules) implements NetnsStep {
        public Iptables {
            rules = List.copyOf(rules);
        }

        public String describe() {
            return purpose;
        }

        public List<String> commands() {
            return rules;
        }
    }

    /** Traffic control (bandwidth plugin). */
    record TrafficControl(String actor, String purpose, List<String> tc) implements NetnsStep {
        public TrafficControl {
            tc = List.copyOf(tc);
        }

        public String describe() {
            return purpose;
        }

        public List<String> commands() {
            return tc;
        }
    }

    /** Changes link attributes ({@code ip link set LINK ARGS}; netns null = node), e.g. tuning's mtu/mac. */
    record LinkSet(String actor, String netns, String link, String args) implements NetnsStep {
        public String describe() {
            return "set " + link + " " + args + (netns == null ? "" : " in " + netns);
        }

        public List<String> commands() {
            return List.of(ipn(netns) + " link set " + link + " " + args);
        }
    }

    /** Creates a macvlan link on a master and moves it into the pod. */
    record CreateMacvlan(String actor, String master, String mode, String netns, String ifName, String tmpName)
            implements NetnsStep {
        public String describe() {
            return "create macvlan " + ifName + " (mode " + mode + ") on " + master + " in " + netns;
        }

        public List<String> commands() {
            return List.of("ip link add link " + master + " name " + tmpName + " type macvlan mode " + mode,
                    "ip link set " + tmpName + " netns " + netns,
                    "ip -n " + netns + " link set " + tmpName + " name " + ifName);
        }
    }

    /** A plugin the planner does not model: what it would do is not in the plan. */
    record NotModelled(String actor, String reason) implements NetnsStep {
        public String describe() {
            return "plugin " + actor + " not modelled: " + reason;
        }

        public List<String> commands() {
            return List.of("# " + describe());
        }
    }

    /** The ADD fails here with the plugin's error text; nothing after this step happens. */
    record Fail(String actor, String error) implements NetnsStep {
        public String describe() {
            return actor + " fails: " + error;
        }

        public List<String> commands() {
            return List.of("# ADD fails (" + actor + "): " + error);
        }
    }
}
