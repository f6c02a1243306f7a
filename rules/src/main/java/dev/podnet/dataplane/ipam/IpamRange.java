package dev.podnet.dataplane.ipam;

import inet.ipaddr.IPAddress;

/**
 * One canonicalized host-local range (containernetworking/plugins
 * {@code plugins/ipam/host-local/backend/allocator/range.go} {@code Range.Canonicalize}): rangeStart defaults to
 * the subnet address + 1, rangeEnd to the last address of the subnet (minus the broadcast for IPv4), gateway to
 * the subnet address + 1.
 *
 * @param subnetText the subnet as written (the plugin keeps host bits of {@code subnet} and prints them)
 * @param subnet     the subnet's prefix block
 * @param rangeStart first allocatable address (inclusive)
 * @param rangeEnd   last allocatable address (inclusive)
 * @param gateway    the gateway address (skipped by the allocator)
 */
public record IpamRange(String subnetText, IPAddress subnet, IPAddress rangeStart, IPAddress rangeEnd,
                        IPAddress gateway) {

    /** True when {@code a} is in the subnet and between rangeStart and rangeEnd ({@code Range.Contains}). */
    public boolean contains(IPAddress a) {
        return a.getIPVersion() == subnet.getIPVersion() && subnet.contains(a)
                && cmp(a, rangeStart) >= 0 && cmp(a, rangeEnd) <= 0;
    }

    /** Prefix length of the subnet. */
    public int prefixLength() {
        return subnet.getNetworkPrefixLength();
    }

    /** {@code rangeStart-rangeEnd}, as the plugin prints a range. */
    @Override
    public String toString() {
        return rangeStart.toCanonicalString() + "-" + rangeEnd.toCanonicalString();
    }

    static int cmp(IPAddress a, IPAddress b) {
        return a.getValue().compareTo(b.getValue());
    }
}
