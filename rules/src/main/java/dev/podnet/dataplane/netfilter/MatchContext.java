package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.NodeNetwork;

/**
 * What matches may consult besides the packet: the node's ipsets ({@code -m set}) and the node's addresses
 * ({@code -m addrtype}).
 *
 * @param ipsets the ipset model (may be empty)
 * @param node   the node, or null when unknown (addrtype then tests UNKNOWN)
 */
public record MatchContext(IpsetModel ipsets, NodeNetwork node) {
}
