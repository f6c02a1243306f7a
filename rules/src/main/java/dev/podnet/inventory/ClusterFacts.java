package dev.podnet.inventory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Cluster facts that manifests do not carry, read from the {@code cluster:} section of the project file
 * ({@code podnet.yaml} or {@code .podnet.yaml}). Every field has a default so a run without a project file works.
 *
 * @param podCIDR              the cluster-wide pod range ("" when unknown)
 * @param serviceCIDR          the Service ClusterIP range ("" when unknown)
 * @param dnsNamespace         namespace of the cluster DNS Service (default {@code kube-system})
 * @param dnsService           name of the cluster DNS Service (default {@code kube-dns})
 * @param policyEnforcement    what enforces NetworkPolicy: {@code none}, {@code flannel} (= none), {@code calico},
 *                             {@code cilium}, {@code kube-router}, {@code weave}, {@code antrea}, ... or
 *                             {@code unknown} (default)
 * @param kubernetesVersion    e.g. {@code 1.29} ("" when unknown; the {@code kubernetes.io/metadata.name}
 *                             namespace label exists from 1.21)
 * @param ipBlockMatchesPodIPs whether ipBlock peers match pod IPs (implementation-defined: true for the upstream
 *                             e2e suite and iptables controllers, false for Cilium); default true
 */
public record ClusterFacts(String podCIDR, String serviceCIDR, String dnsNamespace, String dnsService,
                           String policyEnforcement, String kubernetesVersion, boolean ipBlockMatchesPodIPs) {

    /** The facts assumed without a project file. */
    public static ClusterFacts defaults() {
        return new ClusterFacts("", "", "kube-system", "kube-dns", "unknown", "", true);
    }

    /**
     * Reads the {@code cluster:} object of a project file; absent or mistyped keys keep their defaults (the
     * config rules report them).
     */
    public static ClusterFacts fromJson(JsonNode cluster) {
        ClusterFacts d = defaults();
        if (cluster == null || !cluster.isObject()) {
            return d;
        }
        JsonNode dns = cluster.path("dns");
        boolean enforcementIsCilium = "cilium".equals(cluster.path("policyEnforcement").asText(""));
        return new ClusterFacts(cluster.path("podCIDR").asText(d.podCIDR()),
                cluster.path("serviceCIDR").asText(d.serviceCIDR()),
                dns.path("namespace").asText(d.dnsNamespace()),
                dns.path("service").asText(d.dnsService()),
                cluster.path("policyEnforcement").asText(d.policyEnforcement()),
                cluster.path("kubernetesVersion").asText(d.kubernetesVersion()),
                cluster.path("ipBlockMatchesPodIPs").asBoolean(!enforcementIsCilium));
    }

    /** True when nothing enforces NetworkPolicy (policies are stored but have no effect). */
    public boolean noEnforcement() {
        return policyEnforcement.equals("none") || policyEnforcement.equals("flannel");
    }
}
