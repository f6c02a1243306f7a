package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One (sub)schema of podnet's CNI schemas: the file it lives in (so relative {@code $ref}s resolve) and the raw
 * schema node. Compared by node identity, so the same subschema reached twice is recognised.
 *
 * @param file schema file name, e.g. {@code bridge.schema.json}
 * @param node the raw JSON Schema object
 */
record SchemaRef(String file, JsonNode node) {
    @Override
    public boolean equals(Object o) {
        return o instanceof SchemaRef r && r.node == node;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(node);
    }
}
