package dev.podnet.reach;

import java.util.BitSet;
import java.util.List;

/**
 * A truth table: for every probe and every ordered pair of pods of the engine ({@link ReachabilityEngine#pods()}),
 * whether the policies allow a new connection. Stored per class pair, so a lookup is O(1) and memory grows with
 * the square of the number of classes, not pods. Self pairs are always allowed.
 */
public final class Table {
    private final ReachabilityEngine engine;
    private final List<Probe> probes;
    private final List<BitSet[]> matrices;

    Table(ReachabilityEngine engine, List<Probe> probes, List<BitSet[]> matrices) {
        this.engine = engine;
        this.probes = probes;
        this.matrices = matrices;
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
        return matrices.get(p)[engine.classOf(from)].get(engine.classOf(to));
    }

    /** The verdict between two distinct pods of the given classes. */
    public boolean classAllowed(int p, int fromClass, int toClass) {
        return matrices.get(p)[fromClass].get(toClass);
    }

    /** The explanation of one table entry. */
    public Explanation explain(int p, int from, int to) {
        return engine.evaluator().evaluate(pods().get(from), pods().get(to), probes.get(p));
    }

    /** The number of allowed ordered pairs (self pairs included) for probe index {@code p}. */
    public long allowedCount(int p) {
        BitSet[] rows = matrices.get(p);
        long total = 0;
        int n = engine.classCount();
        for (int s = 0; s < n; s++) {
            long ss = engine.classSize(s);
            BitSet row = rows[s];
            for (int d = row.nextSetBit(0); d >= 0; d = row.nextSetBit(d + 1)) {
                total += ss * engine.classSize(d);
            }
            if (!row.get(s)) {
                total += ss;
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
