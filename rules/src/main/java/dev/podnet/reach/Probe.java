package dev.podnet.reach;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One probe of a truth table: a destination port and a transport protocol, written {@code PORT/PROTOCOL}
 * ({@code 80/TCP}, {@code 53/UDP}) as in the conformance tables and Cyclonus/policy-assistant output.
 *
 * @param port     destination port, 1-65535 (the pod's container/target port, never a Service port)
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}, the protocols NetworkPolicy covers
 */
public record Probe(int port, String protocol) implements Comparable<Probe> {
    /** The protocols a NetworkPolicy port may name (networking/v1 {@code NetworkPolicyPort.protocol}). */
    public static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

    private static final Comparator<Probe> ORDER = Comparator.comparingInt(Probe::port)
            .thenComparingInt(p -> PROTOCOLS.indexOf(p.protocol()));

    public Probe {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is not TCP, UDP or SCTP");
        }
    }

    /**
     * Parses {@code PORT/PROTOCOL} or a bare {@code PORT} (TCP, the NetworkPolicy default); the protocol is
     * case-insensitive.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is not a probe
     */
    public static Probe parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String p = slash < 0 ? t : t.substring(0, slash);
        String proto = slash < 0 ? "TCP" : t.substring(slash + 1).toUpperCase(Locale.ROOT);
        int port;
        try {
            port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not PORT/PROTOCOL (e.g. 80/TCP, 53/UDP)");
        }
        return new Probe(port, proto);
    }

    @Override
    public int compareTo(Probe o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
