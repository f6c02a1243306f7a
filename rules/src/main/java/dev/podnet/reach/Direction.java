package dev.podnet.reach;

/** The two directions a NetworkPolicy can isolate ({@code spec.policyTypes} values). */
public enum Direction {
    INGRESS("Ingress", "ingress"), EGRESS("Egress", "egress");

    private final String policyType;
    private final String field;

    Direction(String policyType, String field) {
        this.policyType = policyType;
        this.field = field;
    }

    /** The {@code policyTypes} word: {@code Ingress} or {@code Egress}. */
    public String policyType() {
        return policyType;
    }

    /** The spec field holding the rules: {@code ingress} or {@code egress}. */
    public String field() {
        return field;
    }
}
