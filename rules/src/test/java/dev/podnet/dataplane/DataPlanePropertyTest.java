package dev.podnet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random clusters (2-3 namespaces, 2-6 pods with labels {@code app: a|b|c}, ports 80/TCP {@code http} and 53/UDP
 * {@code dns}, placed by nodeName on one or two nodes) and random policies (pod/namespace/combined selectors,
 * ipBlocks with except, numeric and named ports, absent from/to and ports, both directions): the data-plane verdict
 * of every ordered pair and probe equals the {@link Reference} evaluator written from the Kubernetes semantics
 * (research notes netpol-anchors.md §b).
 */
class DataPlanePropertyTest {

    /**
     * The NetworkPolicy semantics, per connection, in the words of the API reference: a connection is allowed when
     * the source pod's egress and the destination pod's ingress both allow it; a direction allows when no policy
     * selecting the pod has that direction in its (defaulted) policyTypes, or some rule of such a policy matches
     * (peers: any when absent/empty; ports: any when absent/empty; named ports resolved on the destination pod).
     * A pod always reaches itself. ipBlocks match pod IPs (the upstream e2e behaviour).
     */
    static final class Reference {
        final Inventory inv;

        Reference(Inventory inv) {
            this.inv = inv;
        }

        boolean allowed(PodInfo src, PodInfo dst, int port, String proto) {
            if (src.key().equals(dst.key())) {
                return true;
            }
            return direction(src, dst, src, port, proto, false) && direction(src, dst, dst, port, proto, true);
        }

        private boolean direction(PodInfo src, PodInfo dst, PodInfo subject, int port, String proto,
                                  boolean ingress) {
            String type = ingress ? "Ingress" : "Egress";
            boolean isolated = false;
            for (PolicyInfo p : inv.policies()) {
                NetworkPolicy np = p.policy();
                if (!p.namespace().equals(subject.namespace()) || !labels(np.getSpec().getPodSelector(),
                        subject.labels())) {
                    continue;
                }
                List<String> types = np.getSpec().getPolicyTypes();
                if (types == null || types.isEmpty()) {
                    types = np.getSpec().getEgress() == null || np.getSpec().getEgress().isEmpty()
                            ? List.of("Ingress") : List.of("Ingress", "Egress");
                }
                if (!types.contains(type)) {
                    continue;
                }
                isolated = true;
                PodInfo peer = ingress ? src : dst;
                if (ingress) {
                    for (NetworkPolicyIngressRule r : np.getSpec().getIngress()) {
                        if (peers(r.getFrom(), p.namespace(), peer) && ports(r.getPorts(), dst, port, proto)) {
                            return true;
                        }
                    }
                } else {
                    for (NetworkPolicyEgressRule r : np.getSpec().getEgress()) {
                        if (peers(r.getTo(), p.namespace(), peer) && ports(r.getPorts(), dst, port, proto)) {
                            return true;
                        }
                    }
                }
            }
            return !isolated;
        }

        private boolean peers(List<NetworkPolicyPeer> list, String policyNs, PodInfo pod) {
            if (list == null || list.isEmpty()) {
                return true;
            }
            for (NetworkPolicyPeer peer : list) {
                if (peer.getIpBlock() != null) {
                    IPBlock b = peer.getIpBlock();
                    var ip = new IPAddressString(pod.ips().get(0)).getAddress();
                    boolean in = new IPAddressString(b.getCidr()).getAddress().toPrefixBlock().contains(ip);
                    for (String e : b.getExcept()) {
                        in &= !new IPAddressString(e).getAddress().toPrefixBlock().contains(ip);
                    }
                    if (in) {
                        return true;
                    }
                    continue;
                }
                boolean nsOk = peer.getNamespaceSelector() == null ? pod.namespace().equals(policyNs)
                        : labels(peer.getNamespaceSelector(), inv.namespace(pod.namespace()).labels());
                boolean podOk = peer.getPodSelector() == null || labels(peer.getPodSelector(), pod.labels());
                if (nsOk && podOk) {
                    return true;
                }
            }
            return false;
        }

        private boolean ports(List<NetworkPolicyPort> list, PodInfo dst, int port, String proto) {
            if (list == null || list.isEmpty()) {
                return true;
            }
            for (NetworkPolicyPort pp : list) {
                String p = pp.getProtocol() == null ? "TCP" : pp.getProtocol();
                if (!p.equals(proto)) {
                    continue;
                }
                if (pp.getPort() == null) {
                    return true;
                }
                if (pp.getPort().getStrVal() != null) {
                    for (ContainerPort cp : dst.ports()) {
                        if (cp.name().equals(pp.getPort().getStrVal()) && cp.protocol().equals(p)
                                && cp.port() == port) {
                            return true;
                        }
                    }
                } else if (pp.getPort().getIntVal() == port) {
                    return true;
                }
            }
            return false;
        }

        /** matchLabels only (the generator below writes no expressions): every pair present. */
        private static boolean labels(LabelSelector s, Map<String, String> labels) {
            if (s == null || s.getMatchLabels() == null) {
                return true;
            }
            return s.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    static Inventory randomCluster(long seed) {
        Random r = new Random(seed);
        Map<String, NamespaceInfo> nss = new LinkedHashMap<>();
        int nsCount = 2 + r.nextInt(2);
        for (int n = 0; n < nsCount; n++) {
            String name = "ns" + n;
            nss.put(name, new NamespaceInfo(name, Map.of("kubernetes.io/metadata.name", name, "team",
                    n % 2 == 0 ? "red" : "blue"), true, null));
        }
        List<PodInfo> pods = new ArrayList<>();
        int podCount = 2 + r.nextInt(5);
        boolean twoNodes = r.nextBoolean();
        for (int i = 0; i < podCount; i++) {
            pods.add(new PodInfo("ns" + r.nextInt(nsCount), "p" + i, "Pod", Map.of("app", app(r)),
                    List.of("10.244." + (i % 2 + 1) + "." + (10 + i)),
                    List.of(new ContainerPort("http", 80, "TCP"), new ContainerPort("dns", 53, "UDP")),
                    twoNodes ? "node-" + (i % 2) : "node-0", false, null, "/metadata/labels"));
        }
        List<PolicyInfo> pols = new ArrayList<>();
        int polCount = r.nextInt(4);
        for (int p = 0; p < polCount; p++) {
            String ns = "ns" + r.nextInt(nsCount);
            List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
            List<NetworkPolicyEgressRule> egress = new ArrayList<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                ingress.add(new NetworkPolicyIngressRule(peers(r), ports(r)));
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                egress.add(new NetworkPolicyEgressRule(ports(r), peers(r)));
            }
            List<String> types = switch (r.nextInt(4)) {
                case 0 -> List.of();
                case 1 -> List.of("Ingress");
                case 2 -> List.of("Egress");
                default -> List.of("Ingress", "Egress");
            };
            NetworkPolicy np = new NetworkPolicyBuilder().withNewMetadata().withName("pol" + p).withNamespace(ns)
                    .endMetadata().withNewSpec().withPodSelector(selector(r)).withIngress(ingress).withEgress(egress)
                    .withPolicyTypes(types).endSpec().build();
            pols.add(new PolicyInfo(ns, "pol" + p, np, null));
        }
        return new Inventory(ClusterFacts.UNKNOWN, nss, pods, List.of(), List.of(), List.of(), pols);
    }

    private static String app(Random r) {
        return List.of("a", "b", "c").get(r.nextInt(3));
    }

    private static LabelSelector selector(Random r) {
        return r.nextInt(3) == 0 ? new LabelSelector(null, Map.of()) : new LabelSelector(null, Map.of("app", app(r)));
    }

    private static List<NetworkPolicyPeer> peers(Random r) {
        List<NetworkPolicyPeer> out = new ArrayList<>();
        for (int k = r.nextInt(3); k > 0; k--) {
            out.add(switch (r.nextInt(4)) {
                case 0 -> new NetworkPolicyPeer(null, null, selector(r));
                case 1 -> new NetworkPolicyPeer(null, new LabelSelector(null, r.nextBoolean() ? Map.of()
                        : Map.of("team", r.nextBoolean() ? "red" : "blue")), null);
                case 2 -> new NetworkPolicyPeer(null, new LabelSelector(null, Map.of("team", "red")), selector(r));
                default -> new NetworkPolicyPeer(new IPBlock(r.nextBoolean() ? "10.244.0.0/16" : "10.244.1.0/24",
                        r.nextBoolean() ? List.of() : List.of("10.244.1." + (10 + r.nextInt(6)) + "/32")), null, null);
            });
        }
        return out;
    }

    private static List<NetworkPolicyPort> ports(Random r) {
        List<NetworkPolicyPort> out = new ArrayList<>();
        for (int k = r.nextInt(3); k > 0; k--) {
            out.add(switch (r.nextInt(5)) {
                case 0 -> new NetworkPolicyPort(null, new IntOrString(80), null);
                case 1 -> new NetworkPolicyPort(null, new IntOrString(53), "UDP");
                case 2 -> new NetworkPolicyPort(null, new IntOrString("http"), "TCP");
                case 3 -> new NetworkPolicyPort(null, new IntOrString("dns"), null);
                default -> new NetworkPolicyPort(null, null, r.nextBoolean() ? "UDP" : "TCP");
            });
        }
        return out;
    }

    @Property(tries = 150)
    void dataPlaneAgreesWithReference(@ForAll long seed) {
        Inventory inv = randomCluster(seed);
        Reference ref = new Reference(inv);
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(inv);
        for (PodInfo s : inv.pods()) {
            for (PodInfo d : inv.pods()) {
                for (Object[] probe : new Object[][] {{80, "TCP"}, {53, "UDP"}, {81, "TCP"}}) {
                    int port = (Integer) probe[0];
                    String proto = (String) probe[1];
                    DataPlaneSimulator.Result res = sim.connect(new DataPlaneSimulator.Connection(s.key(), d.key(),
                            port, proto));
                    String want = ref.allowed(s, d, port, proto) ? "allow" : "deny";
                    assertThat(res.verdict()).as("%s%n%s", inv.policies().stream().map(p -> p.policy().getSpec()
                            .toString()).toList(), res.trace()).isEqualTo(want);
                }
            }
        }
    }
}
