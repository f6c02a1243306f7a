package dev.podnet.source;

/**
 * Bounds that keep parsing of hostile input within time and memory: file size, nesting depth, YAML aliases
 * and the number of nodes an alias-expanded YAML document may produce (the "billion laughs" attack).
 */
public final class Limits {
    /** Largest file read, in bytes (64 MiB: a {@code kubectl get -o yaml} List of 50,000 pods fits). */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Deepest nesting of objects/arrays accepted (Jackson's default constraint, applied to YAML too). */
    public static final int MAX_DEPTH = 1000;
    /** Most aliases to collections in one YAML stream (snakeyaml-engine's maxAliasesForCollections). */
    public static final int MAX_YAML_ALIASES = 100;
    /** Most nodes one YAML document may expand to once aliases are followed. */
    public static final int MAX_YAML_NODES = 5_000_000;

    private Limits() {
    }
}
