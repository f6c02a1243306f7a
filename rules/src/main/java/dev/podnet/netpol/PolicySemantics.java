package dev.podnet.netpol;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.LabelSelectors;
import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-rule NetworkPolicy semantics shared by the lint rules: which pods a policy selects, which policy types are
 * in effect, whether a peer matches a pod, whether a port entry matches a destination port (named ports resolved on
 * the destination pod). This answers single questions about one rule; it is not a reachability engine.
 *
 * <p>Semantics follow the {@code networking.k8s.io/v1} API reference (NetworkPolicySpec, NetworkPolicyPeer,
 * NetworkPolicyPort) and {@code SetDefaults_NetworkPolicySpec}: policyTypes defaults to Ingress, plus Egress when
 * {@code egress} has rules; a peer with only podSelector is scoped to the policy's namespace; protocol defaults to
 * TCP; a named port matches only on the destination pod's container port of that name and the policy's protocol.
 */
public final class PolicySemantics {
    /** Private address space used as the pod range when neither podnet.yaml nor Node objects give one. */
    public static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10");

    private PolicySemantics() {
    }

    /**
     * One ingress or egress rule in a uniform shape.
     *
     * @param direction {@code ingress} or {@code egress}
     * @param index     position in the list
     * @param peers     {@code from}/{@code to} entries; null when the key is absent (absent and empty both match all)
     * @param ports     port entries; null when absent
     * @param pointer   JSON pointer of the rule relative to the object ({@code /spec/egress/1})
     * @param peersKey  {@code from} or {@code to}
     */
    public record Rule(String direction, int index, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports,
                       String pointer, String peersKey) {
        /** True when the rule has at least one peer (it restricts peers). */
        public boolean hasPeers() {
            return peers != null && !peers.isEmpty();
        }

        /** True when the rule has at least one port entry (it restricts ports). */
        public boolean hasPorts() {
            return ports != null && !ports.isEmpty();
        }
    }

    /** The rules of one direction ({@code ingress} or {@code egress}), null rules read as empty (allow-all) rules. */
    public static List<Rule> rules(NetworkPolicy np, String direction) {
        List<Rule> out = new ArrayList<>();
        NetworkPolicySpec spec = np.getSpec();
        if (spec == null) {
            return out;
        }
        if (direction.equals("ingress") && spec.getIngress() != null) {
            List<NetworkPolicyIngressRule> rs = spec.getIngress();
            for (int i = 0; i < rs.size(); i++) {
                NetworkPolicyIngressRule r = rs.get(i);
                out.add(new Rule("ingress", i, r == null ? null : r.getFrom(), r == null ? null : r.getPorts(),
                        "/spec/ingress/" + i, "from"));
            }
        } else if (direction.equals("egress") && spec.getEgress() != null) {
            List<NetworkPolicyEgressRule> rs = spec.getEgress();
            for (int i = 0; i < rs.size(); i++) {
                NetworkPolicyEgressRule r = rs.get(i);
                out.add(new Rule("egress", i, r == null ? null : r.getTo(), r == null ? null : r.getPorts(),
                        "/spec/egress/" + i, "to"));
            }
        }
        return out;
    }

    /** True when {@code spec.policyTypes} is written with at least one entry. */
    public static boolean hasExplicitTypes(NetworkPolicy np) {
        return np.getSpec() != null && np.getSpec().getPolicyTypes() != null
                && !np.getSpec().getPolicyTypes().isEmpty();
    }

    /**
     * The policy types in effect: {@code spec.policyTypes} when written, else Ingress plus Egress when
     * {@code spec.egress} has at least one rule ({@code SetDefaults_NetworkPolicySpec}).
     */
    public static Set<String> effectiveTypes(NetworkPolicy np) {
        Set<String> out = new LinkedHashSet<>();
        if (hasExplicitTypes(np)) {
            out.addAll(np.getSpec().getPolicyTypes());
            return out;
        }
        out.add("Ingress");
        if (np.getSpec() != null && np.getSpec().getEgress() != null && !np.getSpec().getEgress().isEmpty()) {
            out.add("Egress");
        }
        return out;
    }

    /** True when the policy selects the pod: same namespace and {@code spec.podSelector} matches its labels. */
    public static boolean selects(PolicyInfo p, PodInfo pod) {
        return p.namespace().equals(pod.namespace()) && LabelSelectors.matches(podSelector(p.policy()), pod.labels());
    }

    /** {@code spec.podSelector} (null when absent, which selects every pod like {@code {}}). */
    public static LabelSelector podSelector(NetworkPolicy np) {
        return np.getSpec() == null ? null : np.getSpec().getPodSelector();
    }

    /** True when every matchExpressions operator is one the API accepts (others match nothing here). */
    public static boolean isValid(LabelSelector sel) {
        if (sel == null || sel.getMatchExpressions() == null) {
            return true;
        }
        for (LabelSelectorRequirement r : sel.getMatchExpressions()) {
            if (r == null || !NetworkPolicyValidation.OPERATORS.contains(String.valueOf(r.getOperator()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The namespace with this name from the inventory, or one assumed to exist with only the
     * {@code kubernetes.io/metadata.name} label (not {@link NamespaceInfo#declared()}).
     */
    public static NamespaceInfo namespace(Map<String, NamespaceInfo> namespaces, String name) {
        NamespaceInfo n = namespaces.get(name);
        return n != null ? n : new NamespaceInfo(name, Map.of(InventoryBuilder.NAME_LABEL, name), false, null);
    }

    /**
     * True when a selector peer (podSelector and/or namespaceSelector) matches the pod. A peer with only a
     * podSelector is scoped to {@code policyNamespace}; one with only a namespaceSelector matches every pod of the
     * matching namespaces. Returns false for ipBlock peers and empty peers.
     */
    public static boolean selectorPeerMatches(NetworkPolicyPeer peer, String policyNamespace, PodInfo pod,
                                              NamespaceInfo podNamespace) {
        if (peer == null || peer.getIpBlock() != null) {
            return false;
        }
        if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) {
            return false;
        }
        boolean ns = peer.getNamespaceSelector() == null ? pod.namespace().equals(policyNamespace)
                : LabelSelectors.matches(peer.getNamespaceSelector(), podNamespace.labels());
        return ns && (peer.getPodSelector() == null || LabelSelectors.matches(peer.getPodSelector(), pod.labels()));
    }

    /** The addresses an ipBlock covers: cidr minus every except; null when the cidr is invalid. */
    public static List<IPAddress> ranges(IPBlock b) {
        if (b == null) {
            return null;
        }
        Cidrs.Parsed c = Cidrs.parse(b.getCidr());
        if (c == null) {
            return null;
        }
        List<IPAddress> ex = new ArrayList<>();
        if (b.getExcept() != null) {
            for (String e : b.getExcept()) {
                Cidrs.Parsed p = Cidrs.parse(e);
                if (p != null) {
                    ex.add(p.block());
                }
            }
        }
        return Cidrs.minus(c.block(), ex);
    }

    /** True when the union of {@code ranges} covers every address of {@code block}. */
    public static boolean covers(List<IPAddress> ranges, IPAddress block) {
        List<IPAddress> left = new ArrayList<>(List.of(block));
        for (IPAddress r : ranges) {
            if (r.getIPVersion() != block.getIPVersion()) {
                continue;
            }
            List<IPAddress> next = new ArrayList<>();
            for (IPAddress l : left) {
                IPAddress[] rest = l.subtract(r);
                if (rest != null) {
                    next.addAll(List.of(rest));
                }
            }
            left = next;
            if (left.isEmpty()) {
                return true;
            }
        }
        return left.isEmpty();
    }

    /**
     * True when an ipBlock's ranges match the pod. A pod with known IPs matches when one is inside and the cluster's
     * enforcer matches ipBlock against pod IPs ({@link ClusterFacts#ipBlockMatchesPodIPs()}; host-network pods use
     * node IPs and always match by IP). A pod without a known IP (a workload template) matches only when the
     * ranges cover the whole pod range ({@code podRanges}).
     */
    public static boolean ipBlockMatches(List<IPAddress> ranges, PodInfo pod, ClusterFacts facts,
                                         List<IPAddress> podRanges) {
        if (ranges == null || ranges.isEmpty()) {
            return false;
        }
        if (!pod.ips().isEmpty()) {
            if (!facts.ipBlockMatchesPodIPs() && !pod.hostNetwork()) {
                return false;
            }
            for (String s : pod.ips()) {
                IPAddress ip = Cidrs.ip(s);
                if (ip != null && Cidrs.contains(ranges, ip)) {
                    return true;
                }
            }
            return false;
        }
        if (!facts.ipBlockMatchesPodIPs() || podRanges.isEmpty()) {
            return false;
        }
        for (IPAddress r : podRanges) {
            if (!covers(ranges, r)) {
                return false;
            }
        }
        return true;
    }

    /** The policy port's protocol ({@code TCP} when absent). */
    public static String protocol(NetworkPolicyPort p) {
        return p == null || p.getProtocol() == null ? "TCP" : p.getProtocol();
    }

    /**
     * True when the port entry matches traffic to {@code dest} on {@code port}/{@code protocol}: same protocol, and
     * no port, the same number, a number inside [port, endPort], or a name that {@code dest} declares as a
     * container port with this number and protocol.
     */
    public static boolean portMatches(NetworkPolicyPort p, PodInfo dest, int port, String protocol) {
        if (p == null) {
            return protocol.equals("TCP");
        }
        if (!protocol(p).equals(protocol)) {
            return false;
        }
        IntOrString v = p.getPort();
        if (v == null || (v.getIntVal() == null && v.getStrVal() == null)) {
            return true;
        }
        if (v.getIntVal() != null) {
            int lo = v.getIntVal();
            int hi = p.getEndPort() != null && p.getEndPort() >= lo ? p.getEndPort() : lo;
            return port >= lo && port <= hi;
        }
        for (ContainerPort cp : dest.ports()) {
            if (cp.name().equals(v.getStrVal()) && cp.protocol().equals(protocol) && cp.port() == port) {
                return true;
            }
        }
        return false;
    }

    /** True when the rule's ports (absent or empty: all) match traffic to {@code dest} on port/protocol. */
    public static boolean portsMatch(Rule rule, PodInfo dest, int port, String protocol) {
        if (!rule.hasPorts()) {
            return true;
        }
        for (NetworkPolicyPort p : rule.ports()) {
            if (portMatches(p, dest, port, protocol)) {
                return true;
            }
        }
        return false;
    }
}
