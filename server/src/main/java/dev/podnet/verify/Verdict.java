package dev.podnet.verify;

/** The outcome of one probe, as the conformance tables spell it. */
public enum Verdict {
    /** A reply came back (the connection was allowed). */
    ALLOW("allow"),
    /** No reply: refused (REJECT) or timed out (DROP). */
    DENY("deny"),
    /** The probe could not be sent (for example SCTP on a kernel without SCTP). */
    NOT_PROBED("not-probed");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    /** {@code allow}, {@code deny} or {@code not-probed}. */
    public String text() {
        return text;
    }

    /** Parses {@code allow} or {@code deny}; null for anything else. */
    public static Verdict parse(String s) {
        return switch (s) {
            case "allow" -> ALLOW;
            case "deny" -> DENY;
            default -> null;
        };
    }
}
