package dev.podnet.reach;

import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.source.Range;
import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NetworkPolicy with the API server's defaulting applied, ready for evaluation (Kubernetes networking/v1
 * {@code types.go} field docs; {@code pkg/apis/networking/v1/defaults.go} {@code SetDefaults_NetworkPolicy}):
 * <ul>
 *   <li>{@code policyTypes} absent or empty becomes {@code [Ingress]}, plus {@code Egress} when {@code egress}
 *       has at least one rule; an explicit list is taken as written, and rules of a direction it does not
 *       list are ignored;</li>
 *   <li>{@code from}/{@code to} absent or empty matches every peer (pods and IPs); {@code ports} absent or empty
 *       matches every port and protocol;</li>
 *   <li>a port entry's {@code protocol} defaults to TCP.</li>
 * </ul>
 * Inputs the API server would reject are given a fixed meaning so evaluation never fails: a peer with no field
 * matches nothing; a peer with an ipBlock is an ipBlock peer (selectors beside it are ignored); an unparsable
 * cidr matches nothing and an unparsable except entry is ignored; a protocol other than TCP/UDP/SCTP matches
 * nothing; {@code endPort} without a numeric {@code port} is ignored.
 *
 * @param info         the policy as read (namespace, name, fabric8 object, source)
 * @param podSelector  {@code spec.podSelector} (null = absent = every pod of the namespace)
 * @param ingress      true when the policy isolates the pods it selects for ingress
 * @param egress       true when the policy isolates them for egress
 * @param ingressRules the ingress rules (empty when {@code ingress} is false)
 * @param egressRules  the egress rules (empty when {@code egress} is false)
 */
public record CompiledPolicy(PolicyInfo info, LabelSelector podSelector, boolean ingress, boolean egress,
                             List<Rule> ingressRules, List<Rule> egressRules) {

    /**
     * A compiled policy equals only itself: each policy is compiled once per engine, and comparing (or hashing) the
     * fabric8 object and its source document field by field would cost a walk of the whole manifest.
     */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /**
     * One rule of a policy.
     *
     * @param policy    the policy it belongs to (set after construction; see {@link CompiledPolicy#compile})
     * @param direction ingress or egress
     * @param index     its index in {@code spec.ingress} / {@code spec.egress}
     * @param peers     the peers ({@code from}/{@code to}); null = any peer
     * @param ports     the port entries; null = any port and protocol
     */
    public record Rule(PolicyInfo policy, Direction direction, int index, List<Peer> peers, List<PortSpec> ports) {

        /** True when the rule has a named port (its port match depends on the destination pod). */
        public boolean hasNamedPort() {
            return ports != null && ports.stream().anyMatch(p -> p.name() != null);
        }

        /** JSON pointer of the rule inside its manifest object ({@code /spec/ingress/0}). */
        public String pointer() {
            return "/spec/" + direction.field() + "/" + index;
        }

        /** {@code ns/name ingress[0]}, the form used in explanations. */
        public String label() {
            return policy.namespace() + "/" + policy.name() + " " + direction.field() + "[" + index + "]";
        }

        /** The source range of the rule, or null when the policy was not read from a file. */
        public Range range() {
            return policy.source() == null ? null : policy.source().range(pointer());
        }

        /** True when a port entry matches the probe; {@code dstPorts} are the destination pod's ports (null: IP). */
        public boolean portMatches(Probe probe, List<ContainerPort> dstPorts) {
            if (ports == null) {
                return true;
            }
            for (PortSpec p : ports) {
                if (p.matches(probe, dstPorts)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A peer. Either a selector peer ({@code ipBlock} null) or an ipBlock peer.
     *
     * @param namespaceSelector {@code namespaceSelector} (null = absent)
     * @param podSelector       {@code podSelector} (null = absent)
     * @param ipBlock           the ipBlock (null for selector peers)
     * @param policyNamespace   the policy's namespace (where a podSelector-only peer looks)
     */
    public record Peer(LabelSelector namespaceSelector, LabelSelector podSelector, IpBlock ipBlock,
                       String policyNamespace) {

        /**
         * True when this peer matches a pod (TYPES {@code NetworkPolicyPeer}): podSelector only = pods of the
         * policy's namespace; namespaceSelector only = every pod of the matching namespaces; both = matching pods
         * in matching namespaces; an ipBlock matches the pod's IPs only when {@code ipBlockMatchesPodIPs}.
         */
        public boolean matchesPod(String ns, Map<String, String> nsLabels, Map<String, String> podLabels,
                                  List<IPAddress> podIPs, boolean ipBlockMatchesPodIPs) {
            if (ipBlock != null) {
                return ipBlockMatchesPodIPs && ipBlock.containsAny(podIPs);
            }
            if (namespaceSelector == null && podSelector == null) {
                return false;
            }
            if (namespaceSelector == null) {
                return ns.equals(policyNamespace) && LabelSelectors.matches(podSelector, podLabels);
            }
            return LabelSelectors.matches(namespaceSelector, nsLabels)
                    && (podSelector == null || LabelSelectors.matches(podSelector, podLabels));
        }

        /** True when this peer matches an address outside every pod (only ipBlock peers can). */
        public boolean matchesIp(IPAddress ip) {
            return ipBlock != null && ipBlock.contains(ip);
        }
    }

    /**
     * An ipBlock: {@code cidr} minus every {@code except}.
     *
     * @param cidr   the block (null when the text does not parse: matches nothing)
     * @param except the excluded blocks that parse
     * @param text   {@code cidr} and {@code except} as written, for class keys and messages
     */
    public record IpBlock(IPAddress cidr, List<IPAddress> except, String text) {

        /** True when the address is inside {@code cidr} and outside every {@code except}. */
        public boolean contains(IPAddress ip) {
            if (cidr == null || ip == null || ip.getIPVersion() != cidr.getIPVersion() || !cidr.contains(ip)) {
                return false;
            }
            for (IPAddress e : except) {
                if (e.getIPVersion() == ip.getIPVersion() && e.contains(ip)) {
                    return false;
                }
            }
            return true;
        }

        /** True when any of the addresses is in the block. */
        public boolean containsAny(List<IPAddress> ips) {
            for (IPAddress ip : ips) {
                if (contains(ip)) {
                    return true;
                }
            }
            return false;
        }

        static IpBlock of(IPBlock b) {
            String cidrText = b.getCidr() == null ? "" : b.getCidr().trim();
            IPAddress cidr = prefix(cidrText);
            List<IPAddress> ex = new ArrayList<>();
            List<String> exText = b.getExcept() == null ? List.of() : b.getExcept();
            for (String e : exText) {
                IPAddress a = e == null ? null : prefix(e.trim());
                if (a != null) {
                    ex.add(a);
                }
            }
            return new IpBlock(cidr, List.copyOf(ex), cidrText + (exText.isEmpty() ? "" : " except " + exText));
        }

        private static IPAddress prefix(String text) {
            IPAddress a = dev.podnet.netpol.Cidrs.address(text); // parsed once per text (policies repeat blocks)
            return a == null ? null : a.toPrefixBlock();
        }
    }

    /**
     * A port entry.
     *
     * @param protocol {@code TCP}, {@code UDP}, {@code SCTP} (defaulted from absent), or what was written
     * @param port     the numeric port, or null (named or absent)
     * @param name     the named port, or null
     * @param endPort  the inclusive end of a range, or null
     */
    public record PortSpec(String protocol, Integer port, String name, Integer endPort) {

        /**
         * True when the entry matches the probe: same protocol, and no port (every port of the protocol), the
         * port, a port in {@code [port, endPort]}, or a named port that the destination pod declares with this
         * name, this protocol and the probe's port number (named ports resolve on the destination for ingress and
         * egress alike; an IP destination, {@code dstPorts == null}, resolves no name).
         */
        public boolean matches(Probe probe, List<ContainerPort> dstPorts) {
            if (!protocol.equals(probe.protocol())) {
                return false;
            }
            if (name != null) {
                if (dstPorts == null) {
                    return false;
                }
                for (ContainerPort c : dstPorts) {
                    if (c.name().equals(name) && c.protocol().equals(protocol) && c.port() == probe.port()) {
                        return true;
                    }
                }
                return false;
            }
            if (port == null) {
                return true;
            }
            if (endPort != null) {
                return probe.port() >= port && probe.port() <= endPort;
            }
            return probe.port() == port;
        }

        static PortSpec of(NetworkPolicyPort p) {
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            Object v = portValue(p.getPort());
            if (v == null) {
                return new PortSpec(proto, null, null, null);
            }
            if (v instanceof Integer i) {
                return new PortSpec(proto, i, null, p.getEndPort());
            }
            return new PortSpec(proto, null, (String) v, null);
        }

        /**
         * The value of an int-or-string port: an Integer, a String, or null when absent. The YAML reader may hand
         * fabric8 a long, which {@link IntOrString#getIntVal()} does not report, so the raw value is read.
         */
        public static Object portValue(IntOrString v) {
            if (v == null || v.getValue() == null) {
                return null;
            }
            Object o = v.getValue();
            if (o instanceof Number n) {
                long l = n.longValue();
                return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (int) l : Integer.MAX_VALUE;
            }
            return o.toString();
        }
    }

    /** True when the policy selects a pod: same namespace and {@code spec.podSelector} matches its labels. */
    public boolean selects(String ns, Map<String, String> podLabels) {
        return ns.equals(info.namespace()) && LabelSelectors.matches(podSelector, podLabels);
    }

    /** The rules of one direction. */
    public List<Rule> rules(Direction d) {
        return d == Direction.INGRESS ? ingressRules : egressRules;
    }

    /** True when the policy isolates the pods it selects in that direction. */
    public boolean isolates(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }

    /** {@code namespace/name}. */
    public String key() {
        return info.namespace() + "/" + info.name();
    }

    /** Applies defaulting and compiles a policy. Never throws. */
    public static CompiledPolicy compile(PolicyInfo info) {
        NetworkPolicySpec spec = info.policy().getSpec();
        if (spec == null) {
            spec = new NetworkPolicySpec();
        }
        List<NetworkPolicyIngressRule> in = spec.getIngress() == null ? List.of() : spec.getIngress();
        List<NetworkPolicyEgressRule> out = spec.getEgress() == null ? List.of() : spec.getEgress();
        List<String> types = spec.getPolicyTypes();
        boolean isolatesIngress;
        boolean isolatesEgress;
        if (types == null || types.isEmpty()) {
            isolatesIngress = true;
            isolatesEgress = !out.isEmpty();
        } else {
            isolatesIngress = types.contains("Ingress");
            isolatesEgress = types.contains("Egress");
        }
        List<Rule> ir = new ArrayList<>();
        if (isolatesIngress) {
            for (int i = 0; i < in.size(); i++) {
                NetworkPolicyIngressRule r = in.get(i) == null ? new NetworkPolicyIngressRule() : in.get(i);
                ir.add(new Rule(info, Direction.INGRESS, i, peers(r.getFrom(), info.namespace()), ports(r.getPorts())));
            }
        }
        List<Rule> er = new ArrayList<>();
        if (isolatesEgress) {
            for (int i = 0; i < out.size(); i++) {
                NetworkPolicyEgressRule r = out.get(i) == null ? new NetworkPolicyEgressRule() : out.get(i);
                er.add(new Rule(info, Direction.EGRESS, i, peers(r.getTo(), info.namespace()), ports(r.getPorts())));
            }
        }
        return new CompiledPolicy(info, spec.getPodSelector(), isolatesIngress, isolatesEgress, List.copyOf(ir),
                List.copyOf(er));
    }

    private static List<Peer> peers(List<NetworkPolicyPeer> list, String ns) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        List<Peer> out = new ArrayList<>();
        for (NetworkPolicyPeer p : list) {
            if (p == null) {
                out.add(new Peer(null, null, null, ns));
            } else if (p.getIpBlock() != null) {
                out.add(new Peer(null, null, IpBlock.of(p.getIpBlock()), ns));
            } else {
                out.add(new Peer(p.getNamespaceSelector(), p.getPodSelector(), null, ns));
            }
        }
        return List.copyOf(out);
    }

    private static List<PortSpec> ports(List<NetworkPolicyPort> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        List<PortSpec> out = new ArrayList<>();
        for (NetworkPolicyPort p : list) {
            if (p != null) {
                out.add(PortSpec.of(p));
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }
}
