package dev.podnet.config;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * The cluster facts of the project file's {@code cluster:} section ({@code podnet.yaml} or {@code .podnet.yaml}):
 * what podnet cannot see in the manifests but needs to judge them. The inventory, the NetworkPolicy lint, the
 * reachability engine and the simulations read it; every field has a default, so a run without a project file
 * works. Values the project-file rules (CFG008-CFG012) reject are left at their defaults.
 *
 * @param podCIDRs             the cluster-wide pod ranges ({@code podCIDR}; one per IP family, written
 *                             {@code "10.244.0.0/16"} or {@code "10.244.0.0/16,fd00:10:244::/56"} as
 *                             kube-controller-manager's {@code --cluster-cidr}), as prefix blocks; empty when not
 *                             given
 * @param serviceCIDRs         the Service ClusterIP ranges ({@code serviceCIDR}, kube-apiserver's
 *                             {@code --service-cluster-ip-range}), as prefix blocks; empty when not given
 * @param dns                  where the cluster DNS Service lives ({@code dns.namespace}/{@code dns.service}; default
 *                             {@code kube-system/kube-dns})
 * @param policyEnforcement    what enforces NetworkPolicy ({@code none}, {@code flannel} (= none), {@code calico},
 *                             {@code cilium}, {@code kube-router}, {@code antrea}, ...), trimmed and lower case; null
 *                             when not given
 * @param kubernetesVersion    {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH} without a leading {@code v}; null
 *                             when not given (the {@code kubernetes.io/metadata.name} namespace label exists from
 *                             1.21)
 * @param ipBlockMatchesPodIPs whether {@code ipBlock} peers match pod IPs on this cluster (the NetworkPolicy API
 *                             leaves it to the implementation): as given, else false when the enforcement is
 *                             {@code cilium} and true otherwise (the upstream e2e suite and iptables-based
 *                             controllers match them)
 */
public record ClusterFacts(List<IPAddress> podCIDRs, List<IPAddress> serviceCIDRs, Dns dns,
                           String policyEnforcement, String kubernetesVersion, boolean ipBlockMatchesPodIPs) {

    /** The cluster DNS Service. Defaults: {@code kube-system/kube-dns} (the name kubeadm and CoreDNS use). */
    public record Dns(String namespace, String service) {
        /** kube-system/kube-dns. */
        public static final Dns DEFAULT = new Dns("kube-system", "kube-dns");
    }

    /** No facts given: every field unknown, DNS at its default, ipBlock matching pod IPs. */
    public static final ClusterFacts UNKNOWN = new ClusterFacts(List.of(), List.of(), Dns.DEFAULT, null, null, true);

    public ClusterFacts {
        podCIDRs = List.copyOf(podCIDRs);
        serviceCIDRs = List.copyOf(serviceCIDRs);
        dns = dns == null ? Dns.DEFAULT : dns;
    }

    /**
     * The facts of a project file's {@code cluster:} object, read by the same rules as the project file itself
     * ({@link ProjectConfig#parse}); values it rejects keep their defaults, and {@link #UNKNOWN} is returned for a
     * null or non-object node. Never throws.
     */
    public static ClusterFacts fromJson(JsonNode cluster) {
        return ProjectConfigParser.clusterFacts(cluster);
    }

    /** Namespace of the cluster DNS Service. */
    public String dnsNamespace() {
        return dns.namespace();
    }

    /** Name of the cluster DNS Service. */
    public String dnsService() {
        return dns.service();
    }

    /** True when nothing enforces NetworkPolicy ({@code none} or {@code flannel}: policies are stored, not applied). */
    public boolean noEnforcement() {
        return "none".equals(policyEnforcement) || "flannel".equals(policyEnforcement);
    }
}
