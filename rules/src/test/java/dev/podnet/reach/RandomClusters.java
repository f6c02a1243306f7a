package dev.podnet.reach;

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
 * Random clusters and NetworkPolicies for the property test and the benchmark: namespaces with labels, pods
 * with labels, IPs and named container ports, and policies mixing every feature (matchLabels and
 * matchExpressions selectors, AND/OR peers, ipBlock with except, numeric/named/ranged ports, protocols, policyTypes
 * present, absent or empty, both directions). Built directly as inventory records (no YAML).
 */
final class RandomClusters {
    static final String[] APPS = {"web", "api", "db", "cache"};
    static final List<ContainerPort> PORTS = List.of(new ContainerPort("http", 80, "TCP"),
            new ContainerPort("http", 8080, "TCP"), new ContainerPort("dns", 53, "UDP"),
            new ContainerPort("dns-tcp", 53, "TCP"), new ContainerPort("metrics", 9090, "TCP"),
            new ContainerPort("assoc", 80, "SCTP"), new ContainerPort("", 81, "TCP"));
    static final List<Probe> PROBES = List.of(Probe.parse("80/TCP"), Probe.parse("53/UDP"),
            Probe.parse("8080/TCP"), Probe.parse("80/SCTP"), Probe.parse("9090/TCP"), Probe.parse("81/TCP"),
            Probe.parse("53/TCP"));

    private final Random rnd;

    RandomClusters(Random rnd) {
        this.rnd = rnd;
    }

    /** A small random cluster: up to 4 namespaces, 10 pods, 6 policies. */
    Inventory small() {
        int nsCount = 1 + rnd.nextInt(4);
        Map<String, NamespaceInfo> nss = new LinkedHashMap<>();
        for (int i = 0; i < nsCount; i++) {
            String name = "ns" + i;
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("kubernetes.io/metadata.name", name);
            if (rnd.nextBoolean()) {
                labels.put("team", rnd.nextBoolean() ? "t1" : "t2");
            }
            if (rnd.nextInt(3) == 0) {
                labels.put("env", "prod");
            }
            nss.put(name, new NamespaceInfo(name, Map.copyOf(labels), true, null));
        }
        List<PodInfo> pods = new ArrayList<>();
        int podCount = 1 + rnd.nextInt(10);
        for (int i = 0; i < podCount; i++) {
            String ns = "ns" + rnd.nextInt(nsCount);
            Map<String, String> labels = new LinkedHashMap<>();
            if (rnd.nextInt(5) > 0) {
                labels.put("app", APPS[rnd.nextInt(APPS.length)]);
            }
            if (rnd.nextBoolean()) {
                labels.put("tier", rnd.nextBoolean() ? "fe" : "be");
            }
            List<ContainerPort> ports = new ArrayList<>();
            for (ContainerPort cp : PORTS) {
                if (rnd.nextInt(3) == 0) {
                    ports.add(cp);
                }
            }
            String ip = "10.0." + ns.substring(2) + "." + (10 + i);
            // some pods have no IP yet (pending, or a workload template), some are dual-stack
            List<String> ips = switch (rnd.nextInt(6)) {
                case 0 -> List.of();
                case 1 -> List.of(ip, "fd00::" + (10 + i));
                default -> List.of(ip);
            };
            pods.add(new PodInfo(ns, "p" + i, "Pod", Map.copyOf(labels), ips, List.copyOf(ports), "", false,
                    null, "/metadata/labels"));
        }
        List<PolicyInfo> policies = new ArrayList<>();
        int polCount = rnd.nextInt(7);
        for (int i = 0; i < polCount; i++) {
            String ns = "ns" + rnd.nextInt(nsCount);
            policies.add(new PolicyInfo(ns, "np" + i, policy(ns, "np" + i), null));
        }
        boolean ipBlockPods = rnd.nextInt(4) > 0;
        String enforcement = rnd.nextInt(15) == 0 ? "none" : "calico";
        ClusterFacts facts = new ClusterFacts(List.of(), List.of(), ClusterFacts.Dns.DEFAULT, enforcement, null,
                ipBlockPods);
        return new Inventory(facts, nss, List.copyOf(pods), List.of(), List.of(), List.of(), List.copyOf(policies));
    }

    NetworkPolicy policy(String ns, String name) {
        NetworkPolicy np = new NetworkPolicy();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(ns);
        np.setMetadata(meta);
        NetworkPolicySpec spec = new NetworkPolicySpec();
        spec.setPodSelector(rnd.nextInt(8) == 0 ? null : podSelector());
        switch (rnd.nextInt(5)) {
            case 0 -> spec.setPolicyTypes(null);
            case 1 -> spec.setPolicyTypes(new ArrayList<>());
            case 2 -> spec.setPolicyTypes(List.of("Ingress"));
            case 3 -> spec.setPolicyTypes(List.of("Egress"));
            default -> spec.setPolicyTypes(List.of("Ingress", "Egress"));
        }
        if (rnd.nextInt(4) > 0) {
            List<NetworkPolicyIngressRule> in = new ArrayList<>();
            int n = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                NetworkPolicyIngressRule r = new NetworkPolicyIngressRule();
                r.setFrom(peers());
                r.setPorts(ports());
                in.add(r);
            }
            spec.setIngress(in);
        } else {
            spec.setIngress(null);
        }
        if (rnd.nextInt(4) > 0) {
            List<NetworkPolicyEgressRule> out = new ArrayList<>();
            int n = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                NetworkPolicyEgressRule r = new NetworkPolicyEgressRule();
                r.setTo(peers());
                r.setPorts(ports());
                out.add(r);
            }
            spec.setEgress(out);
        } else {
            spec.setEgress(null);
        }
        np.setSpec(spec);
        return np;
    }

    private List<NetworkPolicyPeer> peers() {
        int k = rnd.nextInt(5);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return new ArrayList<>();
        }
        List<NetworkPolicyPeer> out = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            NetworkPolicyPeer p = new NetworkPolicyPeer();
            switch (rnd.nextInt(4)) {
                case 0 -> p.setPodSelector(podSelector());
                case 1 -> p.setNamespaceSelector(namespaceSelector());
                case 2 -> {
                    p.setPodSelector(podSelector());
                    p.setNamespaceSelector(namespaceSelector());
                }
                default -> p.setIpBlock(ipBlock());
            }
            out.add(p);
        }
        return out;
    }

    private IPBlock ipBlock() {
        IPBlock b = new IPBlock();
        String[] cidrs = {"10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/8", "0.0.0.0/0", "10.0.2.10/32", "192.0.2.0/24",
            "fd00::/64", "::/0"};
        b.setCidr(cidrs[rnd.nextInt(cidrs.length)]);
        if (rnd.nextBoolean()) {
            String[] ex = {"10.0.1.0/25", "10.0.0.0/24", "10.0.2.0/24", "10.0.1.12/32", "fd00::10/127"};
            b.setExcept(List.of(ex[rnd.nextInt(ex.length)]));
        }
        return b;
    }

    private List<NetworkPolicyPort> ports() {
        int k = rnd.nextInt(4);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return new ArrayList<>();
        }
        List<NetworkPolicyPort> out = new ArrayList<>();
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            NetworkPolicyPort p = new NetworkPolicyPort();
            String[] protos = {null, "TCP", "UDP", "SCTP"};
            p.setProtocol(protos[rnd.nextInt(protos.length)]);
            switch (rnd.nextInt(5)) {
                case 0 -> p.setPort(null);
                case 1 -> p.setPort(new IntOrString(new int[] {80, 53, 8080, 81, 9090}[rnd.nextInt(5)]));
                case 2 -> {
                    p.setPort(new IntOrString(new int[] {50, 80, 8000}[rnd.nextInt(3)]));
                    p.setEndPort(new int[] {81, 9000, 60}[rnd.nextInt(3)]);
                }
                default -> p.setPort(new IntOrString(new String[] {"http", "dns", "dns-tcp", "metrics", "assoc",
                    "nope"}[rnd.nextInt(6)]));
            }
            out.add(p);
        }
        return out;
    }

    LabelSelector podSelector() {
        LabelSelector s = new LabelSelector();
        switch (rnd.nextInt(4)) {
            case 0 -> {
            }
            case 1 -> s.setMatchLabels(Map.of("app", APPS[rnd.nextInt(APPS.length)]));
            case 2 -> s.setMatchExpressions(List.of(expr(rnd.nextBoolean() ? "app" : "tier",
                    rnd.nextBoolean() ? List.of("web", "fe") : List.of("db", "api", "be"))));
            default -> {
                s.setMatchLabels(Map.of("tier", rnd.nextBoolean() ? "fe" : "be"));
                s.setMatchExpressions(List.of(expr("app", List.of("web", "api"))));
            }
        }
        return s;
    }

    LabelSelector namespaceSelector() {
        LabelSelector s = new LabelSelector();
        switch (rnd.nextInt(4)) {
            case 0 -> {
            }
            case 1 -> s.setMatchLabels(Map.of("team", rnd.nextBoolean() ? "t1" : "t2"));
            case 2 -> s.setMatchLabels(Map.of("kubernetes.io/metadata.name", "ns" + rnd.nextInt(4)));
            default -> s.setMatchExpressions(List.of(expr(rnd.nextBoolean() ? "team" : "env",
                    List.of("t1", "prod"))));
        }
        return s;
    }

    private LabelSelectorRequirement expr(String key, List<String> values) {
        String[] ops = {"In", "NotIn", "Exists", "DoesNotExist"};
        String op = ops[rnd.nextInt(ops.length)];
        LabelSelectorRequirement r = new LabelSelectorRequirement();
        r.setKey(key);
        r.setOperator(op);
        r.setValues(op.equals("In") || op.equals("NotIn") ? values : null);
        return r;
    }
}
