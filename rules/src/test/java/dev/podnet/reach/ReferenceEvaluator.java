package dev.podnet.reach;

import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.LabelSelectors;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple per-pair evaluator of NetworkPolicy v1, written straight from the kubernetes.io text and
 * the networking/v1 field docs, reading the fabric8 objects on every call (no compilation, no caching). It is the
 * oracle the fast {@link ReachabilityEngine} is compared against (property test, benchmark). It shares only
 * {@link LabelSelectors} (metav1 selector matching) with the main code.
 */
public final class ReferenceEvaluator {
    private final Inventory inv;

    public ReferenceEvaluator(Inventory inv) {
        this.inv = inv;
    }

    /** Is a new connection from pod {@code a} to pod {@code b} on {@code port}/{@code proto} allowed? */
    public boolean allowed(PodInfo a, PodInfo b, int port, String proto) {
        if (a == b) {
            return true;
        }
        if (inv.facts().noEnforcement()) {
            return true;
        }
        return egressAllows(a, b, port, proto) && ingressAllows(a, b, port, proto);
    }

    private boolean egressAllows(PodInfo src, PodInfo dst, int port, String proto) {
        boolean isolated = false;
        for (PolicyInfo p : inv.policies()) {
            if (!p.namespace().equals(src.namespace()) || !selects(p, src)) {
                continue;
            }
            NetworkPolicySpec spec = p.policy().getSpec() == null ? new NetworkPolicySpec() : p.policy().getSpec();
            if (!hasType(spec, "Egress")) {
                continue;
            }
            isolated = true;
            if (spec.getEgress() != null) {
                for (NetworkPolicyEgressRule r : spec.getEgress()) {
                    if (r == null) {
                        r = new NetworkPolicyEgressRule();
                    }
                    if (peersMatch(r.getTo(), p.namespace(), dst) && portsMatch(r.getPorts(), dst, port, proto)) {
                        return true;
                    }
                }
            }
        }
        return !isolated;
    }

    private boolean ingressAllows(PodInfo src, PodInfo dst, int port, String proto) {
        boolean isolated = false;
        for (PolicyInfo p : inv.policies()) {
            if (!p.namespace().equals(dst.namespace()) || !selects(p, dst)) {
                continue;
            }
            NetworkPolicySpec spec = p.policy().getSpec() == null ? new NetworkPolicySpec() : p.policy().getSpec();
            if (!hasType(spec, "Ingress")) {
                continue;
            }
            isolated = true;
            if (spec.getIngress() != null) {
                for (NetworkPolicyIngressRule r : spec.getIngress()) {
                    if (r == null) {
                        r = new NetworkPolicyIngressRule();
                    }
                    if (peersMatch(r.getFrom(), p.namespace(), src) && portsMatch(r.getPorts(), dst, port, proto)) {
                        return true;
                    }
                }
            }
        }
        return !isolated;
    }

    private static boolean selects(PolicyInfo p, PodInfo pod) {
        NetworkPolicySpec spec = p.policy().getSpec();
        return spec == null || LabelSelectors.matches(spec.getPodSelector(), pod.labels());
    }

    private static boolean hasType(NetworkPolicySpec spec, String type) {
        List<String> types = spec.getPolicyTypes();
        if (types == null || types.isEmpty()) {
            if (type.equals("Ingress")) {
                return true;
            }
            return spec.getEgress() != null && !spec.getEgress().isEmpty();
        }
        return types.contains(type);
    }

    private boolean peersMatch(List<NetworkPolicyPeer> peers, String policyNs, PodInfo pod) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer == null) {
                continue;
            }
            if (peer.getIpBlock() != null) {
                if (inv.facts().ipBlockMatchesPodIPs() && ipBlockMatches(peer.getIpBlock().getCidr(),
                        peer.getIpBlock().getExcept(), pod.ips())) {
                    return true;
                }
                continue;
            }
            if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
                continue;
            }
            boolean nsOk = peer.getNamespaceSelector() == null ? pod.namespace().equals(policyNs)
                    : LabelSelectors.matches(peer.getNamespaceSelector(), nsLabels(pod.namespace()));
            boolean podOk = peer.getPodSelector() == null || LabelSelectors.matches(peer.getPodSelector(),
                    pod.labels());
            if (nsOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private Map<String, String> nsLabels(String ns) {
        var n = inv.namespace(ns);
        return n == null ? Map.of("kubernetes.io/metadata.name", ns) : n.labels();
    }

    private static boolean ipBlockMatches(String cidr, List<String> except, List<String> ips) {
        IPAddress block = cidr == null ? null : new IPAddressString(cidr.trim()).getAddress();
        if (block == null) {
            return false;
        }
        block = block.toPrefixBlock();
        for (String s : ips) {
            IPAddress ip = new IPAddressString(s).getAddress();
            if (ip == null || ip.getIPVersion() != block.getIPVersion() || !block.contains(ip)) {
                continue;
            }
            boolean excluded = false;
            for (String e : except == null ? List.<String>of() : except) {
                IPAddress ex = e == null ? null : new IPAddressString(e.trim()).getAddress();
                if (ex != null && ex.getIPVersion() == ip.getIPVersion() && ex.toPrefixBlock().contains(ip)) {
                    excluded = true;
                }
            }
            if (!excluded) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, PodInfo dst, int port, String proto) {
        if (ports == null || ports.isEmpty() || ports.stream().allMatch(p -> p == null)) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            if (p == null) {
                continue;
            }
            String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!pp.equals(proto)) {
                continue;
            }
            Object v = p.getPort() == null ? null : p.getPort().getValue();
            if (v == null) {
                return true;
            }
            if (v instanceof Number num) {
                int lo = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, num.longValue()));
                int hi = p.getEndPort() == null ? lo : p.getEndPort();
                if (port >= lo && port <= hi) {
                    return true;
                }
                continue;
            }
            for (ContainerPort cp : dst.ports()) {
                if (cp.name().equals(v.toString()) && cp.protocol().equals(pp) && cp.port() == port) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The table in the expected.txt format, for the given pods (already sorted) and probes. */
    String table(List<PodInfo> pods, List<Probe> probes) {
        StringBuilder sb = new StringBuilder();
        for (Probe pr : probes) {
            sb.append('[').append(pr).append("]\n");
            for (PodInfo a : pods) {
                for (PodInfo b : pods) {
                    sb.append(a.key()).append(' ').append(b.key()).append(' ')
                            .append(allowed(a, b, pr.port(), pr.protocol()) ? "allow" : "deny").append('\n');
                }
            }
        }
        return sb.toString();
    }

    public static List<PodInfo> sorted(Inventory inv) {
        List<PodInfo> out = new ArrayList<>(inv.podsAndWorkloads());
        out.sort(java.util.Comparator.comparing(PodInfo::namespace).thenComparing(PodInfo::name)
                .thenComparing(PodInfo::kind));
        return out;
    }
}
