package dev.podnet.inventory;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;

/**
 * The objects of the cluster inventory. Each carries a {@link SourceRef} so findings can point at the manifest
 * (null for objects podnet assumed, such as a namespace that is referenced but not declared).
 */
public final class Entities {
    private Entities() {
    }

    /**
     * A namespace.
     *
     * @param name     the namespace name
     * @param labels   its labels; an undeclared namespace gets {@code kubernetes.io/metadata.name: <name>} (set by
     *                 the API server since Kubernetes 1.21), and so does a declared one that lacks it
     * @param declared true when a Namespace manifest was read; false when podnet assumed it exists
     * @param source   the manifest, or null when assumed
     */
    public record NamespaceInfo(String name, Map<String, String> labels, boolean declared, SourceRef source) {
    }

    /**
     * A container port as declared in a pod spec.
     *
     * @param name     the port name ("" when unnamed)
     * @param port     containerPort (1-65535)
     * @param protocol TCP (default), UDP or SCTP
     */
    public record ContainerPort(String name, int port, String protocol) {
    }

    /**
     * A pod, or a workload's pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob).
     *
     * @param namespace   namespace (the manifest's, default {@code default})
     * @param name        pod name, or the workload's name
     * @param kind        {@code Pod}, or the workload kind
     * @param labels      pod labels (template labels for workloads)
     * @param ips         {@code status.podIPs}/{@code status.podIP} (empty for templates and pending pods)
     * @param ports       every container port of every container
     * @param nodeName    {@code spec.nodeName} ("" when unscheduled)
     * @param hostNetwork {@code spec.hostNetwork}
     * @param source      the manifest; {@code source.ptr("/spec/template")} etc. point into it
     * @param labelsPointer JSON pointer (relative to the object) of the labels map ({@code /metadata/labels} for
     *                    Pods, {@code /spec/template/metadata/labels} for workloads)
     */
    public record PodInfo(String namespace, String name, String kind, Map<String, String> labels, List<String> ips,
                          List<ContainerPort> ports, String nodeName, boolean hostNetwork, SourceRef source,
                          String labelsPointer) {

        /**
         * The order in which the truth tables list pods (namespace, then name, then kind): {@code podnet simulate}
         * and its {@code --data-plane} table use it, so the two compare line by line.
         */
        public static final java.util.Comparator<PodInfo> TABLE_ORDER = java.util.Comparator
                .comparing(PodInfo::namespace).thenComparing(PodInfo::name).thenComparing(PodInfo::kind);

        /** True for a real Pod object (not a workload template). */
        public boolean isPod() {
            return kind.equals("Pod");
        }

        /** {@code namespace/name}, the form used in tables. */
        public String key() {
            return namespace + "/" + name;
        }
    }

    /**
     * A Service port.
     *
     * @param name       port name ("" when unnamed)
     * @param port       the Service port
     * @param targetPort the pod port: a number as a string, or a container port name; defaults to {@code port}
     * @param protocol   TCP (default), UDP or SCTP
     */
    public record ServicePort(String name, int port, String targetPort, String protocol) {
    }

    /**
     * A Service.
     *
     * @param namespace  namespace
     * @param name       name
     * @param selector   pod selector (empty map: selector-less Service)
     * @param ports      ports
     * @param clusterIPs ClusterIPs ("None" for headless; empty when not assigned yet)
     * @param source     the manifest
     */
    public record ServiceInfo(String namespace, String name, Map<String, String> selector, List<ServicePort> ports,
                              List<String> clusterIPs, SourceRef source) {
    }

    /**
     * A node.
     *
     * @param name      node name
     * @param podCIDRs  {@code spec.podCIDRs} (or {@code spec.podCIDR})
     * @param addresses {@code status.addresses[].address} (InternalIP, ExternalIP)
     * @param source    the manifest
     */
    public record NodeInfo(String name, List<String> podCIDRs, List<String> addresses, SourceRef source) {
    }

    /**
     * A NetworkPolicy.
     *
     * @param namespace the policy's namespace ({@code default} when the manifest has none)
     * @param name      the policy's name
     * @param policy    the fabric8 model of the manifest (as written: no defaulting applied)
     * @param source    the manifest; {@code source.ptr("/spec/ingress/0/from/1")} points at a peer
     */
    public record PolicyInfo(String namespace, String name, NetworkPolicy policy, SourceRef source) {
    }
}
