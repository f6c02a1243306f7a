package dev.podnet.cni;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * Address parsing with the strictness of Go's {@code net.ParseIP} and {@code net.ParseCIDR}, which is what CNI
 * plugins use for every address in a config (libcni {@code types.IPNet}, host-local {@code allocator.Range},
 * static IPAM). Built on seancfoley {@code ipaddress}: dotted-decimal IPv4 without leading zeros, RFC 4291 IPv6
 * text (with embedded IPv4 allowed), no zones, no wildcards, ranges, masks or {@code inet_aton} forms.
 */
public final class GoNet {

    private static final IPAddressStringParameters CIDR = params(true);
    private static final IPAddressStringParameters IP = params(false);

    private GoNet() {
    }

    private static IPAddressStringParameters params(boolean prefix) {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowPrefix(prefix)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        b.getIPv4AddressParametersBuilder().allowLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false).allowBinary(false);
        b.getIPv6AddressParametersBuilder().allowZone(false).allowEmptyZone(false).allowBinary(false)
                .allowPrefixesBeyondAddressSize(false);
        return b.toParams();
    }

    /**
     * A parsed CIDR as written, e.g. {@code 10.1.0.7/24}.
     *
     * @param address the address part as written, without prefix length ({@code 10.1.0.7})
     * @param network the network it belongs to, as a prefix block ({@code 10.1.0.0/24})
     * @param prefix  the prefix length in bits
     */
    public record Cidr(IPAddress address, IPAddress network, int prefix) {
        /** True when the written address is not the network address ("host bits set"). */
        public boolean hostBitsSet() {
            return !address.equals(network.getLower().withoutPrefixLength());
        }

        /** The network address without prefix ({@code 10.1.0.0}). */
        public IPAddress networkAddress() {
            return network.getLower().withoutPrefixLength();
        }

        /** The last address of the network ({@code 10.1.0.255}, the IPv4 broadcast address). */
        public IPAddress lastAddress() {
            return network.getUpper().withoutPrefixLength();
        }

        /** True when {@code ip} (an address without prefix) lies inside the network. */
        public boolean contains(IPAddress ip) {
            return ip.getIPVersion() == network.getIPVersion() && network.contains(ip);
        }

        /** Total bits of the address family (32 or 128). */
        public int bits() {
            return address.getBitCount();
        }

        /** The network in canonical text ({@code 10.1.0.0/24}). */
        @Override
        public String toString() {
            return networkAddress().toCanonicalString() + "/" + prefix;
        }
    }

    /**
     * Parses {@code text} as Go's {@code net.ParseCIDR} would: an address with a mandatory {@code /prefix}.
     *
     * @return the CIDR, or null when Go would reject it ({@code invalid CIDR address: <text>})
     */
    public static Cidr parseCidr(String text) {
        if (text == null || text.indexOf('/') < 0) {
            return null;
        }
        IPAddress a = new IPAddressString(text.strip().equals(text) ? text : "", CIDR).getAddress();
        if (a == null || a.getNetworkPrefixLength() == null) {
            return null;
        }
        int prefix = a.getNetworkPrefixLength();
        IPAddress written = a.getLower().withoutPrefixLength();
        return new Cidr(written, a.toPrefixBlock(), prefix);
    }

    /**
     * Parses {@code text} as Go's {@code net.ParseIP} would: a single address, no prefix. An IPv4-mapped IPv6
     * address ({@code ::ffff:10.1.0.1}) is returned as the IPv4 address, as Go's {@code To4} (and so host-local)
     * treats it.
     *
     * @return the address, or null when Go would reject it
     */
    public static IPAddress parseIp(String text) {
        if (text == null || !text.strip().equals(text)) {
            return null;
        }
        IPAddress a = new IPAddressString(text, IP).getAddress();
        if (a == null || a.isMultiple()) {
            return null;
        }
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped()) {
            return a.toIPv6().getEmbeddedIPv4Address(); // Go treats ::ffff:a.b.c.d as the IPv4 address a.b.c.d
        }
        return a.withoutPrefixLength();
    }
}
