package dev.podnet.verify;

import java.util.Locale;

/**
 * One probe: a destination port and transport protocol, written {@code PORT/PROTOCOL} as in the conformance
 * tables ({@code 80/TCP}, {@code 53/UDP}, {@code 81/SCTP}).
 *
 * @param port     destination port, 1-65535
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP} (upper case)
 */
public record Probe(int port, String protocol) {

    public Probe {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        protocol = protocol.toUpperCase(Locale.ROOT);
        if (!protocol.equals("TCP") && !protocol.equals("UDP") && !protocol.equals("SCTP")) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is not TCP, UDP or SCTP");
        }
    }

    /**
     * Parses {@code PORT/PROTOCOL}; the protocol defaults to TCP when omitted ({@code 80}).
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static Probe parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String port = slash < 0 ? t : t.substring(0, slash);
        String proto = slash < 0 ? "TCP" : t.substring(slash + 1);
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("probe '" + text + "' is not PORT/PROTOCOL (for example 80/TCP)");
        }
        return new Probe(Integer.parseInt(port), proto);
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
