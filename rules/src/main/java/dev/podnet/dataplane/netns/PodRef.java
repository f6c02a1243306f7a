package dev.podnet.dataplane.netns;

/**
 * The pod a CNI ADD is for, in the runtime's terms.
 *
 * @param namespace   Kubernetes namespace
 * @param name        pod name
 * @param netns       network namespace name ({@code ip netns} name, e.g. {@code cni-1234...})
 * @param containerId sandbox container ID ({@code CNI_CONTAINERID})
 * @param ifName      interface name in the pod ({@code CNI_IFNAME}, usually {@code eth0})
 * @param requestedIp address requested via {@code CNI_ARGS IP=} (host-local), or null
 */
public record PodRef(String namespace, String name, String netns, String containerId, String ifName,
                     String requestedIp) {

    /** A pod with netns {@code cni-<namespace>-<name>}, container ID {@code <namespace>_<name>}, eth0. */
    public static PodRef of(String namespace, String name) {
        return new PodRef(namespace, name, "cni-" + namespace + "-" + name, namespace + "_" + name, "eth0", null);
    }

    /** This pod with a requested address. */
    public PodRef withRequestedIp(String ip) {
        return new PodRef(namespace, name, netns, containerId, ifName, ip);
    }
}
