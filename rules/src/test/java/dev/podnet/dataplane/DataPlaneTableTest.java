package dev.podnet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.Inventory;
import dev.podnet.node.NodeFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The class-compressed table of {@link DataPlaneTable} equals the pair-by-pair walk of
 * {@link DataPlaneSimulator#connect}, on random clusters with several pods per class, two nodes, duplicate pod
 * addresses, a Service, and node facts whose own rules and sets name single pod addresses, subnets and ranges.
 */
class DataPlaneTableTest {
    static final List<String> PROBES = List.of("80/TCP", "53/UDP", "81/TCP");

    /** Node facts for node-0 with rules of its own; {@code ip} is a pod address the rules single out. */
    static NodeFacts factsWithOwnRules(Random r, String ip) {
        String rule = switch (r.nextInt(4)) {
            case 0 -> "-A FORWARD -s " + ip + "/32 -j DROP";
            case 1 -> "-A FORWARD -d 10.244.1.8/29 -j REJECT";
            case 2 -> "-A FORWARD -m iprange --src-range 10.244.1.12-" + ip + " -j DROP";
            default -> "-A FORWARD -m set --match-set blocked dst -j DROP";
        };
        return DataPlaneSimulatorTest.facts("""
                name: node-0
                podCIDR: 10.244.1.0/24
                interfaces:
                - {name: eth0, addresses: [192.0.2.11/24], kind: device}
                - {name: cni0, addresses: [10.244.1.1/24], kind: bridge}
                routes: [{dst: default, via: 192.0.2.1, dev: eth0}]
                iptablesSave: |
                  *filter
                  :INPUT ACCEPT [0:0]
                  :FORWARD ACCEPT [0:0]
                  :OUTPUT ACCEPT [0:0]
                  %s
                  COMMIT
                ipsetSave: |
                  create blocked hash:ip family inet hashsize 1024 maxelem 65536
                  add blocked %s
                """.formatted(rule, ip));
    }

    static Inventory withManyPods(Inventory base, Random r) {
        List<String> nss = List.copyOf(base.namespaces().keySet());
        List<PodInfo> pods = new ArrayList<>();
        int n = 6 + r.nextInt(14);
        for (int i = 0; i < n; i++) {
            int host = 10 + (r.nextInt(8) == 0 && i > 0 ? i - 1 : i); // now and then an address used twice
            pods.add(new PodInfo(nss.get(r.nextInt(nss.size())), "p" + i, "Pod",
                    Map.of("app", List.of("a", "b", "c").get(r.nextInt(3))),
                    List.of("10.244." + (i % 2 + 1) + "." + host),
                    List.of(new ContainerPort("http", 80, "TCP"), new ContainerPort("dns", 53, "UDP")),
                    "node-" + (i % 2), false, null, "/metadata/labels"));
        }
        List<ServiceInfo> svcs = List.of(new ServiceInfo(pods.get(0).namespace(), "web", Map.of("app", "a"),
                List.of(new ServicePort("http", 80, "http", "TCP")), List.of("10.96.0.10"), null));
        return new Inventory(base.facts(), base.namespaces(), pods, List.of(), svcs, List.of(), base.policies());
    }

    static void assertSameAsPairByPair(DataPlaneSimulator sim) {
        DataPlaneTable t = DataPlaneTable.compute(sim, PROBES, Long.MAX_VALUE, null);
        List<PodInfo> pods = t.pods();
        assertThat(t.probes()).containsExactlyElementsOf(PROBES);
        for (int p = 0; p < PROBES.size(); p++) {
            String[] pp = PROBES.get(p).split("/");
            long allowed = 0;
            for (int i = 0; i < pods.size(); i++) {
                for (int j = 0; j < pods.size(); j++) {
                    DataPlaneSimulator.Result want = sim.connect(new DataPlaneSimulator.Connection(pods.get(i).key(),
                            pods.get(j).key(), Integer.parseInt(pp[0]), pp[1]));
                    assertThat(t.verdict(p, i, j)).as("%s%n%s", want.connection(), want.trace())
                            .isEqualTo(want.verdict());
                    allowed += want.allowed() ? 1 : 0;
                }
            }
            assertThat(t.count(p, "allow")).isEqualTo(allowed);
        }
    }

    @Property(tries = 120)
    void classTableEqualsPairByPairWalk(@ForAll long seed) {
        Random r = new Random(seed);
        Inventory inv = withManyPods(DataPlanePropertyTest.randomCluster(seed), r);
        List<NodeFacts> facts = List.of();
        if (r.nextBoolean()) {
            PodInfo singled = inv.pods().stream().filter(p -> p.nodeName().equals("node-0")).findFirst()
                    .orElseThrow();
            facts = List.of(factsWithOwnRules(r, singled.ips().get(0)));
        }
        assertSameAsPairByPair(DataPlaneSimulator.build(inv, facts, false, r.nextBoolean()));
    }

    @Test
    void podsOfOneClassShareOneWalk() {
        Inventory base = DataPlanePropertyTest.randomCluster(7);
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pods.add(new PodInfo("ns0", "p" + i, "Pod", Map.of("app", "a"), List.of("10.244.1." + (10 + i)),
                    List.of(new ContainerPort("http", 80, "TCP")), "node-0", false, null, "/metadata/labels"));
        }
        Inventory inv = new Inventory(base.facts(), base.namespaces(), pods, List.of(), List.of(), List.of(),
                List.of());
        DataPlaneTable t = DataPlaneTable.compute(DataPlaneSimulator.healthy(inv), List.of("80/TCP"),
                Long.MAX_VALUE, null);
        assertThat(t.classCount()).isEqualTo(1);
        assertThat(t.walks()).isEqualTo(2); // one pod to itself, one pod to another
        assertThat(t.count(0, "allow")).isEqualTo(1600);
    }

    @Test
    void budgetSkipsWholeProbesAndSaysWhich() {
        Inventory inv = withManyPods(DataPlanePropertyTest.randomCluster(3), new Random(3));
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(inv);
        DataPlaneTable full = DataPlaneTable.compute(sim, PROBES, Long.MAX_VALUE, null);
        long perProbe = full.walks() / PROBES.size();
        List<long[]> progress = new ArrayList<>();
        DataPlaneTable cut = DataPlaneTable.compute(sim, PROBES, perProbe * 2 - 1,
                (probe, done, total) -> progress.add(new long[] {done, total}));
        assertThat(cut.probes()).containsExactly("80/TCP");
        assertThat(cut.skipped()).containsExactly(new DataPlaneTable.Skipped("53/UDP", perProbe),
                new DataPlaneTable.Skipped("81/TCP", perProbe));
        assertThat(cut.walks()).isEqualTo(perProbe);
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(perProbe, perProbe);
        StringBuilder a = new StringBuilder();
        cut.write(a);
        StringBuilder b = new StringBuilder();
        full.write(b);
        assertThat(b.toString()).startsWith(a.toString());
        assertThat(DataPlaneTable.compute(sim, PROBES, 0, null).skipped()).hasSize(3);
    }

    @Test
    void malformedProbesAreRefusedBeforeAnyWalk() {
        DataPlaneSimulator sim = DataPlaneSimulator.healthy(DataPlanePropertyTest.randomCluster(1));
        assertThatThrownBy(() -> DataPlaneTable.compute(sim, List.of("80/TCP", "80/ICMP"), 10, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ICMP");
        assertThatThrownBy(() -> DataPlaneTable.compute(sim, List.of("0/TCP"), 10, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1-65535");
    }
}
