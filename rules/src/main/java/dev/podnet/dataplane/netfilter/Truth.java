package dev.podnet.dataplane.netfilter;

/** Three-valued result of testing a match against a packet: UNKNOWN when the match is not modelled. */
public enum Truth {
    YES, NO, UNKNOWN;

    /** YES/NO from a boolean. */
    public static Truth of(boolean b) {
        return b ? YES : NO;
    }

    /** Logical negation (UNKNOWN stays UNKNOWN). */
    public Truth not() {
        return this == YES ? NO : this == NO ? YES : UNKNOWN;
    }
}
