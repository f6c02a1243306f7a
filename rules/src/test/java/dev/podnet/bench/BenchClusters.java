package dev.podnet.bench;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic clusters shaped like real ones, for the benchmark: 25 pods per namespace, grouped into Deployments
 * (replicas share labels and ports) with one StatefulSet in five namespaces whose pods carry a unique
 * {@code statefulset.kubernetes.io/pod-name} label; namespaces labelled by team and environment; one policy per
 * five pods, mixing default-deny, same-app, cross-namespace (AND and OR peers, matchExpressions), DNS egress,
 * ipBlock with except, named ports and endPort ranges. Deterministic for a given seed.
 */
final class BenchClusters {
    private BenchClusters() {
    }

    static Inventory generate(int podCount, long seed) {
        Random rnd = new Random(seed);
        int nsCount = Math.max(1, podCount / 25);
        Map<String, NamespaceInfo> nss = new LinkedHashMap<>();
        List<PodInfo> pods = new ArrayList<>();
        for (int n = 0; n < nsCount; n++) {
            String ns = "ns-" + n;
            nss.put(ns, new NamespaceInfo(ns, Map.of("kubernetes.io/metadata.name", ns, "team", "team-" + (n % 10),
                    "env", n % 3 == 0 ? "prod" : "dev"), true, null));
        }
        nss.put("kube-system", new NamespaceInfo("kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                true, null));
        pods.add(pod("kube-system", "coredns-0", Map.of("k8s-app", "kube-dns"), List.of(
                new ContainerPort("dns", 53, "UDP"), new ContainerPort("dns-tcp", 53, "TCP")), "10.255.0.10"));
        int made = 1;
        for (int n = 0; made < podCount; n = (n + 1) % nsCount) {
            String ns = "ns-" + n;
            int inNs = 0;
            for (int app = 0; app < 5 && made < podCount && inNs < 25; app++) {
                boolean stateful = app == 4 && n % 5 == 0;
                String name = "app-" + ((n * 7 + app) % 40);
                List<ContainerPort> ports = new ArrayList<>();
                ports.add(new ContainerPort("http", app % 2 == 0 ? 8080 : 8081, "TCP"));
                if (app == 1) {
                    ports.add(new ContainerPort("metrics", 9090, "TCP"));
                }
                if (app == 3) {
                    ports.add(new ContainerPort("dns", 53, "UDP"));
                }
                for (int r = 0; r < 5 && made < podCount && inNs < 25; r++) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    labels.put("app", name);
                    labels.put("tier", app < 2 ? "frontend" : "backend");
                    labels.put("pod-template-hash", Integer.toHexString((n * 31 + app) * 7919));
                    if (stateful) {
                        labels.put("statefulset.kubernetes.io/pod-name", name + "-" + r);
                    }
                    String ip = "10." + (n / 250) + "." + (n % 250) + "." + (10 + inNs + 25 * (made / (25 * nsCount)));
                    pods.add(pod(ns, name + "-" + r + "-" + made, Map.copyOf(labels), List.copyOf(ports), ip));
                    made++;
                    inNs++;
                }
            }
        }
        List<PolicyInfo> policies = new ArrayList<>();
        int policyCount = Math.max(1, podCount / 5);
        for (int i = 0; i < policyCount; i++) {
            int n = i % nsCount;
            String ns = "ns-" + n;
            String name = "np-" + i;
            policies.add(new PolicyInfo(ns, name, policy(ns, name, i / nsCount, n, rnd), null));
        }
        ClusterFacts facts = new ClusterFacts(List.of(new inet.ipaddr.IPAddressString("10.0.0.0/8").getAddress()),
                List.of(), ClusterFacts.Dns.DEFAULT, "calico", "1.29", true);
        return new Inventory(facts, nss, List.copyOf(pods), List.of(), List.of(), List.of(), List.copyOf(policies));
    }

    private static PodInfo pod(String ns, String name, Map<String, String> labels, List<ContainerPort> ports,
                               String ip) {
        return new PodInfo(ns, name, "Pod", labels, List.of(ip), ports, "node-1", false, null, "/metadata/labels");
    }

    private static NetworkPolicy policy(String ns, String name, int kind, int n, Random rnd) {
        NetworkPolicySpec spec = new NetworkPolicySpec();
        String app = "app-" + ((n * 7 + rnd.nextInt(5)) % 40);
        switch (kind % 5) {
            case 0 -> { // default deny ingress + egress, DNS allowed to kube-dns (AND peer)
                spec.setPodSelector(new LabelSelector());
                spec.setPolicyTypes(List.of("Ingress", "Egress"));
                NetworkPolicyEgressRule dns = new NetworkPolicyEgressRule();
                NetworkPolicyPeer p = new NetworkPolicyPeer();
                p.setNamespaceSelector(labels("kubernetes.io/metadata.name", "kube-system"));
                p.setPodSelector(labels("k8s-app", "kube-dns"));
                dns.setTo(List.of(p));
                dns.setPorts(List.of(port("UDP", 53, null), port("TCP", 53, null)));
                spec.setEgress(List.of(dns));
            }
            case 1 -> { // same-app ingress on the named port, egress to same namespace
                spec.setPodSelector(labels("app", app));
                NetworkPolicyIngressRule r = new NetworkPolicyIngressRule();
                NetworkPolicyPeer p = new NetworkPolicyPeer();
                p.setPodSelector(labels("app", app));
                r.setFrom(List.of(p));
                r.setPorts(List.of(port("TCP", null, "http")));
                spec.setIngress(List.of(r));
                NetworkPolicyEgressRule e = new NetworkPolicyEgressRule();
                NetworkPolicyPeer q = new NetworkPolicyPeer();
                q.setPodSelector(new LabelSelector());
                e.setTo(List.of(q));
                spec.setEgress(List.of(e));
            }
            case 2 -> { // frontends from the same team's namespaces (AND) or prod monitoring (OR)
                spec.setPodSelector(labels("tier", "frontend"));
                spec.setPolicyTypes(List.of("Ingress"));
                NetworkPolicyIngressRule r = new NetworkPolicyIngressRule();
                NetworkPolicyPeer and = new NetworkPolicyPeer();
                and.setNamespaceSelector(labels("team", "team-" + rnd.nextInt(10)));
                LabelSelector tier = new LabelSelector();
                tier.setMatchExpressions(List.of(expr("tier", "In", List.of("frontend", "backend"))));
                and.setPodSelector(tier);
                NetworkPolicyPeer or = new NetworkPolicyPeer();
                LabelSelector env = new LabelSelector();
                env.setMatchExpressions(List.of(expr("env", "NotIn", List.of("dev"))));
                or.setNamespaceSelector(env);
                r.setFrom(List.of(and, or));
                r.setPorts(List.of(port("TCP", 8000, null, 8100)));
                spec.setIngress(List.of(r));
            }
            case 3 -> { // egress to an external range except one subnet, and to the pod range on 8080
                spec.setPodSelector(labels("app", app));
                spec.setPolicyTypes(List.of("Egress"));
                NetworkPolicyEgressRule r = new NetworkPolicyEgressRule();
                NetworkPolicyPeer ext = new NetworkPolicyPeer();
                IPBlock b = new IPBlock();
                b.setCidr("10." + (n / 250) + ".0.0/16");
                b.setExcept(List.of("10." + (n / 250) + "." + rnd.nextInt(250) + ".0/24"));
                ext.setIpBlock(b);
                r.setTo(List.of(ext));
                r.setPorts(List.of(port("TCP", 8080, null)));
                spec.setEgress(List.of(r));
            }
            default -> { // backends accept from everything in namespaces of one team, any port
                spec.setPodSelector(labels("tier", "backend"));
                NetworkPolicyIngressRule r = new NetworkPolicyIngressRule();
                NetworkPolicyPeer p = new NetworkPolicyPeer();
                p.setNamespaceSelector(labels("team", "team-" + rnd.nextInt(10)));
                r.setFrom(List.of(p));
                spec.setIngress(List.of(r));
            }
        }
        NetworkPolicy np = new NetworkPolicy();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(ns);
        np.setMetadata(meta);
        np.setSpec(spec);
        return np;
    }

    private static LabelSelector labels(String k, String v) {
        LabelSelector s = new LabelSelector();
        s.setMatchLabels(Map.of(k, v));
        return s;
    }

    private static LabelSelectorRequirement expr(String key, String op, List<String> values) {
        LabelSelectorRequirement r = new LabelSelectorRequirement();
        r.setKey(key);
        r.setOperator(op);
        r.setValues(values);
        return r;
    }

    private static NetworkPolicyPort port(String proto, Integer port, String name) {
        return port(proto, port, name, null);
    }

    private static NetworkPolicyPort port(String proto, Integer port, String name, Integer endPort) {
        NetworkPolicyPort p = new NetworkPolicyPort();
        p.setProtocol(proto);
        if (port != null) {
            p.setPort(new IntOrString(port));
        } else if (name != null) {
            p.setPort(new IntOrString(name));
        }
        p.setEndPort(endPort);
        return p;
    }
}
