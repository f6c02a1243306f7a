package dev.podnet.config;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * The cluster facts of the project file's {@code cluster:} section: what podnet cannot see in the manifests but
 * needs to judge them (simulations and reachability rules read it).
 *
 * @param podCIDRs             the cluster-wide pod ranges ({@code podCIDR}; one per IP family, written
 *                             {@code "10.244.0.0/16"} or {@code "10.244.0.0/16,fd00:10:244::/56"} as
 *                             kube-controller-manager's {@code --cluster-cidr}); empty when not given
 * @param serviceCIDRs         the Service ClusterIP ranges ({@code serviceCIDR}, kube-apiserver's
 *                             {@code --service-cluster-ip-range}); empty when not given
 * @param dns                  where the cluster DNS Service lives ({@code dns.namespace}/{@code dns.service})
 * @param policyEnforcement    what enforces NetworkPolicy ({@code calico}, {@code cilium}, ...; {@code none} when
 *                             nothing does), lower case; null when not given
 * @param kubernetesVersion    {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH} without a leading {@code v}; null
 *                             when not given
 * @param ipBlockMatchesPodIPs whether {@code ipBlock} peers match pod IPs on this cluster (the NetworkPolicy API
 *                             leaves it to the implementation); null when not given
 */
public record ClusterFacts(List<IPAddress> podCIDRs, List<IPAddress> serviceCIDRs, Dns dns,
                           String policyEnforcement, String kubernetesVersion, Boolean ipBlockMatchesPodIPs) {

    /** The cluster DNS Service. Defaults: {@code kube-system/kube-dns} (the name kubeadm and CoreDNS use). */
    public record Dns(String namespace, String service) {
        /** kube-system/kube-dns. */
        public static final Dns DEFAULT = new Dns("kube-system", "kube-dns");
    }

    /** No facts given: every field unknown, DNS at its default. */
    public static final ClusterFacts UNKNOWN = new ClusterFacts(List.of(), List.of(), Dns.DEFAULT, null, null, null);

    public ClusterFacts {
        podCIDRs = List.copyOf(podCIDRs);
        serviceCIDRs = List.copyOf(serviceCIDRs);
        dns = dns == null ? Dns.DEFAULT : dns;
    }
}
