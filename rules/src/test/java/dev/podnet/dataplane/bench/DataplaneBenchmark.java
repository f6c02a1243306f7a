package dev.podnet.dataplane.bench;

import dev.podnet.dataplane.DataPlaneSimulator;
import dev.podnet.dataplane.DataPlaneSimulator.Connection;
import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Benchmark harness (not a test): builds an inventory of PODS pods in 50 namespaces (labels {@code app: app0..19},
 * {@code tier: web|db}; ports 80/TCP {@code http} and 53/UDP) and POLICIES NetworkPolicies (each selects one app
 * in its namespace, allows ingress from one app of any namespace with {@code team} label on port 80 and from an
 * ipBlock with one except on 443; every fifth also restricts egress to UDP 53 and the named port {@code http}),
 * generates the ruleset with {@link RulesetGenerator} for the whole cluster on one node, and walks CONNECTIONS
 * random pod-to-pod connections with {@link DataPlaneSimulator}. Prints rule/set counts, wall and CPU times.
 *
 * <p>Run: {@code mvn -B -o -q test-compile -pl rules && mvn -B -o -q exec:java -pl rules
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.podnet.dataplane.bench.DataplaneBenchmark
 * [-Dexec.args="5000 1000 100000"]}.
 */
public final class DataplaneBenchmark {
    private DataplaneBenchmark() {
    }

    static Inventory inventory(int pods, int policies, Random r) {
        Map<String, NamespaceInfo> nss = new LinkedHashMap<>();
        for (int n = 0; n < 50; n++) {
            String name = "ns" + n;
            nss.put(name, new NamespaceInfo(name, Map.of("kubernetes.io/metadata.name", name, "team",
                    "t" + (n % 5)), true, null));
        }
        List<PodInfo> podList = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            int ip = i + 2;
            podList.add(new PodInfo("ns" + (i % 50), "p" + i, "Pod", Map.of("app", "app" + (i % 20),
                    "tier", i % 2 == 0 ? "web" : "db"), List.of("10.64." + (ip / 256) + "." + (ip % 256)),
                    List.of(new ContainerPort("http", 80, "TCP"), new ContainerPort("dns", 53, "UDP")), "", false,
                    null, "/metadata/labels"));
        }
        List<PolicyInfo> pols = new ArrayList<>();
        for (int p = 0; p < policies; p++) {
            String ns = "ns" + (p % 50);
            NetworkPolicyPeer fromPods = new NetworkPolicyPeer(null,
                    new LabelSelector(null, Map.of("team", "t" + r.nextInt(5))),
                    new LabelSelector(null, Map.of("app", "app" + r.nextInt(20))));
            NetworkPolicyPeer fromBlock = new NetworkPolicyPeer(new IPBlock("192.0.2.0/24",
                    List.of("192.0.2." + r.nextInt(256) + "/32")), null, null);
            List<NetworkPolicyIngressRule> ingress = List.of(
                    new NetworkPolicyIngressRule(List.of(fromPods), List.of(port("TCP", 80))),
                    new NetworkPolicyIngressRule(List.of(fromBlock), List.of(port("TCP", 443))));
            boolean egress = p % 5 == 0;
            List<NetworkPolicyEgressRule> eg = egress ? List.of(new NetworkPolicyEgressRule(
                    List.of(new NetworkPolicyPort(null, new IntOrString(53), "UDP"),
                            new NetworkPolicyPort(null, new IntOrString("http"), "TCP")), List.of())) : List.of();
            NetworkPolicy np = new NetworkPolicyBuilder().withNewMetadata().withName("pol" + p).withNamespace(ns)
                    .endMetadata().withNewSpec().withPodSelector(new LabelSelector(null, Map.of("app",
                            "app" + r.nextInt(20)))).withIngress(ingress).withEgress(eg)
                    .withPolicyTypes(egress ? List.of("Ingress", "Egress") : List.of("Ingress")).endSpec().build();
            pols.add(new PolicyInfo(ns, "pol" + p, np, null));
        }
        return new Inventory(ClusterFacts.UNKNOWN, nss, podList, List.of(), List.of(), List.of(), pols);
    }

    private static NetworkPolicyPort port(String proto, int port) {
        return new NetworkPolicyPort(null, new IntOrString(port), proto);
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Random r = new Random(42);
        Inventory inv = inventory(pods, policies, r);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Ruleset rs = RulesetGenerator.generate(inv, null);
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        DataPlaneSimulator sim = DataPlaneSimulator.healthySingleNode(inv);
        long t2 = System.nanoTime();
        long c2 = mx.getCurrentThreadCpuTime();
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            PodInfo s = inv.pods().get(r.nextInt(pods));
            PodInfo d = inv.pods().get(r.nextInt(pods));
            boolean dns = r.nextInt(4) == 0;
            counts.merge(sim.connect(new Connection(s.key(), d.key(), dns ? 53 : 80, dns ? "UDP" : "TCP"))
                    .verdict(), 1, Integer::sum);
        }
        long t3 = System.nanoTime();
        long c3 = mx.getCurrentThreadCpuTime();
        int setMembers = rs.ipsetRules().split("\n(?=add )", -1).length - 1;
        System.out.printf("pods=%d policies=%d%n", pods, policies);
        System.out.printf("filter rules=%d (+%d entry jumps) chains=%d sets=%d set-entries=%d "
                        + "iptables-restore=%d bytes ipset-restore=%d bytes%n", rs.ruleCount(), rs.entryJumps().size(),
                rs.chains().size(), rs.sets().size(), setMembers, rs.filterRules().length(), rs.ipsetRules().length());
        System.out.printf("generate: %.1f ms (cpu %.1f ms)%n", (t1 - t0) / 1e6, (c1 - c0) / 1e6);
        System.out.printf("simulator setup (generate + parse + node): %.1f ms (cpu %.1f ms)%n", (t2 - t1) / 1e6,
                (c2 - c1) / 1e6);
        System.out.printf("walk %d connections: %.1f ms (%.1f us/connection; cpu %.1f us/connection) verdicts=%s%n",
                connections, (t3 - t2) / 1e6, (t3 - t2) / 1e3 / connections, (c3 - c2) / 1e3 / connections, counts);
        System.out.printf("load average: %.1f on %d cpus%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
