package dev.podnet.dataplane;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Small helpers around seancfoley {@code inet.ipaddr} used by the data-plane model: single addresses, CIDR
 * blocks and interface addresses (an address together with its on-link prefix, as {@code ip addr} shows them).
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * An interface address such as {@code 10.88.0.1/24}: the host address (no prefix) and the on-link network
     * block (the /24 prefix block). A bare address gets a /32 (/128) network.
     *
     * @param host    the address itself, without prefix length
     * @param network the prefix block it belongs to
     */
    public record IfAddress(IPAddress host, IPAddress network) {
        /** Prefix length of the network. */
        public int prefixLength() {
            return network.getNetworkPrefixLength() == null ? network.getBitCount() : network.getNetworkPrefixLength();
        }

        /** {@code host/prefix} as {@code ip addr} prints it. */
        @Override
        public String toString() {
            return text(host) + "/" + prefixLength();
        }
    }

    /**
     * A single address without prefix length.
     *
     * @throws IllegalArgumentException when {@code text} is not one IPv4/IPv6 address (a CIDR is rejected)
     */
    public static IPAddress address(String text) {
        if (text == null || text.contains("/")) {
            throw new IllegalArgumentException("not a single IP address: " + text);
        }
        return parse(text).withoutPrefixLength();
    }

    /**
     * A network block: {@code 10.0.0.0/24} gives the /24 prefix block, a bare address its /32 (/128) block, and
     * host bits are cleared ({@code 10.0.0.5/24} gives 10.0.0.0/24).
     *
     * @throws IllegalArgumentException when the text is not an address or CIDR
     */
    public static IPAddress block(String text) {
        IPAddress a = parse(text);
        if (!a.isPrefixed()) {
            return a.toPrefixBlock(a.getBitCount());
        }
        return a.toPrefixBlock();
    }

    /**
     * An interface address {@code 10.0.0.1/24} (host bits kept).
     *
     * @throws IllegalArgumentException when the text is not an address or address/prefix
     */
    public static IfAddress ifAddress(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing IP address");
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        IPAddress host = address(slash < 0 ? t : t.substring(0, slash));
        IPAddress net = block(t);
        return new IfAddress(host, net);
    }

    /** The canonical text of an address without prefix length. */
    public static String text(IPAddress a) {
        return plain(a).toCanonicalString();
    }

    /** {@code a} without prefix length; {@code a} itself when it has none (keeps its cached hash and strings). */
    public static IPAddress plain(IPAddress a) {
        return a.isPrefixed() ? a.withoutPrefixLength() : a;
    }

    /** True when {@code block} contains the single address {@code a} (false across IP versions). */
    public static boolean contains(IPAddress block, IPAddress a) {
        return block.getIPVersion() == a.getIPVersion() && block.contains(plain(a));
    }

    private static IPAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing IP address");
        }
        try {
            IPAddress a = new IPAddressString(text.trim()).toAddress();
            if (a == null) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            return a;
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }
}
