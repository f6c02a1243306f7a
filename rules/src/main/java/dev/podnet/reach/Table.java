package dev.podnet.reach;

import java.util.BitSet;
import java.util.List;

/**
 * A truth table: for every probe and every ordered pair of pods of the engine ({@link ReachabilityEngine#pods()}),
 * whether the policies allow a new connection. Stored per class pair, so a lookup is O(1) and memory grows with
 * the number of classes times the number of distinct rule combinations, not pods squared: per probe, each source
 * class has the set of destination classes its egress admits, and each destination class isolated for ingress has
 * the set of source classes its ingress admits (shared between classes with the same admitting rules); a verdict
 * is the AND of the two. Self pairs are always allowed.
 */
public final class Table {
    private final ReachabilityEngine engine;
    private final List<Probe> probes;
    /** Per probe, per source class: the destination classes its egress allows (never null). */
    private final List<BitSet[]> egressRows;
    /** Per probe, per destination class: the source classes its ingress admits (null: not isolated). */
    private final List<BitSet[]> ingressColumns;

    Table(ReachabilityEngine engine, List<Probe> probes, List<BitSet[]> egressRows, List<BitSet[]> ingressColumns) {
        this.engine = engine;
        this.probes = probes;
        this.egressRows = egressRows;
        this.ingressColumns = ingressColumns;
    }

    /** The probes, in the order given. */
    public List<Probe> probes() {
        return probes;
    }

    /** The pods (rows and columns), sorted by namespace then name. */
    public List<Endpoint.Pod> pods() {
        return engine.pods();
    }

    /** The engine that computed the table. */
    public ReachabilityEngine engine() {
        return engine;
    }

    /** The verdict for probe index {@code p}, source pod index {@code from}, destination pod index {@code to}. */
    public boolean allowed(int p, int from, int to) {
        if (from == to) {
            return true;
        }
        return classAllowed(p, engine.classOf(from), engine.classOf(to));
    }

    /** The verdict between two distinct pods of the given classes. */
    public boolean classAllowed(int p, int fromClass, int toClass) {
        if (!egressRows.get(p)[fromClass].get(toClass)) {
            return false;
        }
        BitSet admitted = ingressColumns.get(p)[toClass];
        return admitted == null || admitted.get(fromClass);
    }

    /**
     * The source classes the ingress of a destination class admits for probe index {@code p} (before the
     * sources' egress is applied), or null when no policy isolates the class for ingress. Read-only: the set is
     * shared.
     */
    public BitSet admittedSources(int p, int toClass) {
        return ingressColumns.get(p)[toClass];
    }

    /** The explanation of one table entry. */
    public Explanation explain(int p, int from, int to) {
        return engine.evaluator().evaluate(pods().get(from), pods().get(to), probes.get(p));
    }

    /** The number of allowed ordered pairs (self pairs included) for probe index {@code p}. */
    public long allowedCount(int p) {
        long total = 0;
        int n = engine.classCount();
        for (int s = 0; s < n; s++) {
            long ss = engine.classSize(s);
            BitSet row = egressRows.get(p)[s];
            for (int d = row.nextSetBit(0); d >= 0; d = row.nextSetBit(d + 1)) {
                if (classAllowed(p, s, d)) {
                    total += ss * engine.classSize(d);
                }
            }
            if (!classAllowed(p, s, s)) {
                total += ss; // the pod itself: always allowed
            }
        }
        return total;
    }

    /** The number of denied ordered pairs for probe index {@code p}. */
    public long deniedCount(int p) {
        long n = pods().size();
        return n * n - allowedCount(p);
    }
}
