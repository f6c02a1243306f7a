package dev.podnet.verify;

import java.util.List;

/**
 * What the simulation says each probe should give, for {@code podnet verify} to compare with the kernel. Pods are
 * named by {@code namespace/name} keys. Implementations: {@link VerdictTable} (a conformance-format table given with
 * {@code --expected FILE}) and {@link #none()} (no expectation: verify only reports the kernel's table).
 */
public interface ExpectedVerdicts {

    /**
     * The expected verdict of a new connection from pod {@code fromKey} to pod {@code toKey}'s IP.
     *
     * @param fromKey  source pod, {@code namespace/name}
     * @param toKey    destination pod, {@code namespace/name}
     * @param port     destination port
     * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
     * @return {@link Verdict#ALLOW} or {@link Verdict#DENY}, or null when there is no expectation for this probe
     */
    Verdict expect(String fromKey, String toKey, int port, String protocol);

    /** The probes this source has expectations for, in its order (empty when it has none to suggest). */
    default List<Probe> probes() {
        return List.of();
    }

    /** A name for messages ({@code expected.txt}, {@code simulation}). */
    String describe();

    /** No expectations at all. */
    static ExpectedVerdicts none() {
        return new ExpectedVerdicts() {
            @Override
            public Verdict expect(String fromKey, String toKey, int port, String protocol) {
                return null;
            }

            @Override
            public String describe() {
                return "nothing";
            }
        };
    }
}
