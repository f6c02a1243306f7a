package dev.podnet.dataplane.ruleset;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Map;

/**
 * A NetworkPolicy reduced to what the generator needs, with selectors already resolved to pod addresses: the
 * pods it selects, whether it restricts ingress and/or egress ({@code policyTypes}), and its allow rules per
 * direction. Rules of all policies selecting a pod are ORed; a pod selected for a direction by any policy is
 * denied in that direction unless some rule allows (Kubernetes NetworkPolicy API semantics).
 *
 * @param name         policy identity ({@code namespace/name}), used for chain names and comments
 * @param selectedPods addresses of the pods {@code spec.podSelector} selects
 * @param ingress      true when policyTypes contains Ingress
 * @param egress       true when policyTypes contains Egress
 * @param ingressRules allowed peers/ports for ingress (empty: deny all ingress)
 * @param egressRules  allowed peers/ports for egress (empty: deny all egress)
 */
public record AllowPolicy(String name, List<IPAddress> selectedPods, boolean ingress, boolean egress,
                          List<Allow> ingressRules, List<Allow> egressRules) {

    public AllowPolicy {
        selectedPods = List.copyOf(selectedPods);
        ingressRules = List.copyOf(ingressRules);
        egressRules = List.copyOf(egressRules);
    }

    /**
     * One rule ({@code ingress[i]} / {@code egress[i]}): the peers (ORed) and ports (ORed).
     *
     * @param anyPeer true when the rule has no {@code from}/{@code to} (every peer)
     * @param pods    pod addresses selected by the rule's podSelector/namespaceSelector peers
     * @param blocks  the rule's ipBlock peers
     * @param ports   the rule's ports; empty = all ports and protocols
     */
    public record Allow(boolean anyPeer, List<IPAddress> pods, List<Block> blocks, List<PortSpec> ports) {
        public Allow {
            pods = List.copyOf(pods);
            blocks = List.copyOf(blocks);
            ports = List.copyOf(ports);
        }
    }

    /**
     * An ipBlock.
     *
     * @param cidr   the block (prefix block)
     * @param except blocks inside it that are excluded
     */
    public record Block(IPAddress cidr, List<IPAddress> except) {
        public Block {
            except = List.copyOf(except);
        }
    }

    /**
     * A port entry.
     *
     * @param protocol  {@code tcp}, {@code udp} or {@code sctp}
     * @param port      first port, or -1 for "all ports of the protocol"
     * @param endPort   last port (== port when no endPort)
     * @param namedPort for a named port: the resolved number per pod address that defines it (pods without it
     *                  never match); null for numeric ports
     */
    public record PortSpec(String protocol, int port, int endPort, Map<IPAddress, Integer> namedPort) {
        /** A single numeric port. */
        public static PortSpec of(String protocol, int port) {
            return new PortSpec(protocol, port, port, null);
        }
    }
}
