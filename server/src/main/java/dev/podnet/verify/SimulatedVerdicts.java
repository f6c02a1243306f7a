package dev.podnet.verify;

import dev.podnet.inventory.Inventory;
import dev.podnet.reach.Endpoint;
import dev.podnet.reach.ReachabilityEngine;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulation's verdicts (the NetworkPolicy semantics of {@link ReachabilityEngine}) as what {@code podnet
 * verify} compares the kernel with when no {@code --expected} table is given.
 */
public final class SimulatedVerdicts implements ExpectedVerdicts {
    private final ReachabilityEngine engine;
    private final Map<String, Endpoint.Pod> pods = new HashMap<>();

    /** Builds the engine for the inventory. */
    public SimulatedVerdicts(Inventory inv) {
        this.engine = new ReachabilityEngine(inv);
        engine.pods().forEach(p -> pods.put(p.pod().key(), p));
    }

    @Override
    public Verdict expect(String fromKey, String toKey, int port, String protocol) {
        Endpoint.Pod from = pods.get(fromKey);
        Endpoint.Pod to = pods.get(toKey);
        if (from == null || to == null) {
            return null;
        }
        boolean allowed = engine.evaluator().evaluate(from, to,
                new dev.podnet.reach.Probe(port, protocol.toUpperCase(Locale.ROOT))).allowed();
        return allowed ? Verdict.ALLOW : Verdict.DENY;
    }

    @Override
    public String describe() {
        return "the simulation";
    }
}
