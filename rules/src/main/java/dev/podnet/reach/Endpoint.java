package dev.podnet.reach;

import dev.podnet.inventory.Entities.PodInfo;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One end of a connection: a pod (or a workload's pod template) or an address that belongs to no pod (an external
 * host, a node, a Service ClusterIP is not an endpoint: Services are resolved to their backend pods first).
 */
public sealed interface Endpoint {

    /** {@code ns/name} for pods, the address for IPs. */
    String label();

    /**
     * A pod with the labels of its namespace.
     *
     * @param pod      the pod or workload template
     * @param nsLabels the labels of its namespace
     * @param ips      its parsed IPs (empty for templates and pods without status)
     */
    record Pod(PodInfo pod, Map<String, String> nsLabels, List<IPAddress> ips) implements Endpoint {
        @Override
        public String label() {
            return pod.key();
        }

        /** Builds the endpoint, parsing the pod's IPs (unparsable ones are skipped). */
        public static Pod of(PodInfo pod, Map<String, String> nsLabels) {
            List<IPAddress> ips = new ArrayList<>();
            for (String s : pod.ips()) {
                IPAddress a = dev.podnet.netpol.Cidrs.address(s);
                if (a != null) {
                    ips.add(a.withoutPrefixLength());
                }
            }
            return new Pod(pod, nsLabels, List.copyOf(ips));
        }
    }

    /**
     * An address no pod has.
     *
     * @param ip   the address
     * @param node the name of the node that owns this address ("" when none does)
     */
    record Ip(IPAddress ip, String node) implements Endpoint {
        @Override
        public String label() {
            return ip.toCanonicalString();
        }
    }
}
