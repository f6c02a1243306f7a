package dev.podnet.inventory;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.NodeInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the cluster looks like, built from the manifests podnet was given ({@link InventoryBuilder}): namespaces
 * (declared or assumed), pods, workload pod templates, Services, Nodes, NetworkPolicies, and the cluster facts of
 * the project file. Immutable.
 *
 * @param facts      cluster facts from {@code podnet.yaml}/{@code .podnet.yaml} (defaults without one)
 * @param namespaces every namespace by name, including assumed ones ({@link NamespaceInfo#declared()} false)
 * @param pods       Pod objects, in input order
 * @param workloads  pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs
 * @param services   Services
 * @param nodes      Nodes
 * @param policies   NetworkPolicies
 */
public record Inventory(ClusterFacts facts, Map<String, NamespaceInfo> namespaces, List<PodInfo> pods,
                        List<PodInfo> workloads, List<ServiceInfo> services, List<NodeInfo> nodes,
                        List<PolicyInfo> policies) {

    /** Pods and workload templates together (what a policy may select). */
    public List<PodInfo> podsAndWorkloads() {
        return java.util.stream.Stream.concat(pods.stream(), workloads.stream()).toList();
    }

    /**
     * True when both inventories hold the very same namespaces, pods, workloads, Services and Nodes (the same
     * collection objects) and equal facts: the builder keeps these when no document that declares them changed
     * between two language-server runs, so a result computed from them alone still holds. Policies may differ.
     */
    public boolean sameWorld(Inventory o) {
        return o != null && facts.equals(o.facts) && namespaces == o.namespaces && pods == o.pods
                && workloads == o.workloads && services == o.services && nodes == o.nodes;
    }

    /** The namespace with this name, or null. */
    public NamespaceInfo namespace(String name) {
        return namespaces.get(name);
    }

    /** Every namespace. */
    public Collection<NamespaceInfo> allNamespaces() {
        return namespaces.values();
    }
}
