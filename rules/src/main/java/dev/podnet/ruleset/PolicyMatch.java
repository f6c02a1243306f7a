package dev.podnet.ruleset;

import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.LabelSelectors;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The selection semantics a NetworkPolicy controller needs to program a node (Kubernetes API reference
 * "NetworkPolicySpec" / "NetworkPolicyPeer"; defaulting from pkg/apis/networking/v1/defaults.go):
 * which pods a policy selects, which directions it isolates, and which pods a selector peer matches.
 */
public final class PolicyMatch {
    private PolicyMatch() {
    }

    /** policyTypes after API defaulting: as written if non-empty; else Ingress, plus Egress when egress rules exist. */
    public static List<String> policyTypes(NetworkPolicy p) {
        List<String> pt = p.getSpec() == null ? null : p.getSpec().getPolicyTypes();
        if (pt != null && !pt.isEmpty()) {
            return pt;
        }
        List<String> out = new ArrayList<>(List.of("Ingress"));
        if (p.getSpec() != null && p.getSpec().getEgress() != null && !p.getSpec().getEgress().isEmpty()) {
            out.add("Egress");
        }
        return out;
    }

    /** True when the policy selects the pod (same namespace, podSelector matches; absent selector = all). */
    public static boolean selects(PolicyInfo policy, PodInfo pod) {
        if (!policy.namespace().equals(pod.namespace()) || pod.hostNetwork()) {
            return false;
        }
        return LabelSelectors.matches(policy.policy().getSpec() == null ? null
                : policy.policy().getSpec().getPodSelector(), pod.labels());
    }

    /**
     * True when a selector peer (podSelector and/or namespaceSelector; not ipBlock) of a policy in
     * {@code policyNamespace} matches the pod: podSelector alone = pods of the policy's namespace; namespaceSelector
     * alone = all pods of matching namespaces; both = matching pods in matching namespaces.
     */
    public static boolean peerMatches(NetworkPolicyPeer peer, String policyNamespace, PodInfo pod, Inventory inv) {
        if (peer.getIpBlock() != null || pod.hostNetwork()) {
            return false;
        }
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
            return false;
        }
        if (peer.getNamespaceSelector() == null) {
            if (!pod.namespace().equals(policyNamespace)) {
                return false;
            }
        } else {
            NamespaceInfo ns = inv.namespace(pod.namespace());
            Map<String, String> nsLabels = ns == null ? Map.of("kubernetes.io/metadata.name", pod.namespace())
                    : ns.labels();
            if (!LabelSelectors.matches(peer.getNamespaceSelector(), nsLabels)) {
                return false;
            }
        }
        return peer.getPodSelector() == null || LabelSelectors.matches(peer.getPodSelector(), pod.labels());
    }
}
