package dev.podnet.lint;

/**
 * What a document is, decided by its content (never by the file name): CNI spec "network configuration"
 * (top-level {@code type}), "network configuration list" ({@code plugins}), a Kubernetes object
 * ({@code apiVersion} and {@code kind}; {@code List} kinds included), or something podnet does not read.
 */
public enum DocKind {
    /** A single-plugin CNI network configuration (NetConf), as in {@code .conf} files. */
    CNI_CONF,
    /** A CNI network configuration list (conflist), as in {@code .conflist} files. */
    CNI_CONFLIST,
    /** A Kubernetes object (or a podnet object such as ConnectivityExpectations / NodeFacts). */
    MANIFEST,
    /** Facts about a node ({@code kind: NodeFacts}, or a node.yaml with node keys; see dev.podnet.node.NodeFacts). */
    NODE_FACTS,
    /** flannel's own network config ({@code net-conf.json} of the kube-flannel ConfigMap: {@code Network}, {@code Backend}). */
    FLANNEL_NETCONF,
    /** The podnet project file ({@code podnet.yaml} / {@code .podnet.yaml}). */
    PROJECT,
    /** Anything else; skipped with one info finding per file. */
    OTHER
}
