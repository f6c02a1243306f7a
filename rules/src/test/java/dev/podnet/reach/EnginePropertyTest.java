package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Inventory;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random clusters and random policies: the fast class-based engine, the per-connection {@link Evaluator} and the
 * deliberately simple {@link ReferenceEvaluator} must give identical tables.
 */
class EnginePropertyTest {

    @Property(tries = 250)
    void engineEqualsReference(@ForAll Random random) {
        Inventory inv = new RandomClusters(random).small();
        ReachabilityEngine engine = new ReachabilityEngine(inv);
        Table t = engine.compute(RandomClusters.PROBES);
        ReferenceEvaluator ref = new ReferenceEvaluator(inv);
        List<Endpoint.Pod> pods = t.pods();
        for (int p = 0; p < t.probes().size(); p++) {
            Probe probe = t.probes().get(p);
            for (int i = 0; i < pods.size(); i++) {
                for (int j = 0; j < pods.size(); j++) {
                    PodInfo a = pods.get(i).pod();
                    PodInfo b = pods.get(j).pod();
                    boolean expected = ref.allowed(a, b, probe.port(), probe.protocol());
                    String where = a.key() + " -> " + b.key() + " " + probe + "\n" + inv.policies();
                    assertThat(t.allowed(p, i, j)).as(where).isEqualTo(expected);
                    assertThat(t.explain(p, i, j).allowed()).as(where).isEqualTo(expected);
                }
            }
        }
        long allowed = 0;
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                allowed += t.allowed(0, i, j) ? 1 : 0;
            }
        }
        assertThat(t.allowedCount(0)).isEqualTo(allowed);
    }
}
