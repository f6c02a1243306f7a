package dev.podnet.netpol;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CIDR parsing with the API server's rules for NetworkPolicy {@code ipBlock} ("legacy" CIDR fields, validated by
 * {@code IsValidCIDRForLegacyField} with {@code netutils.ParseCIDRSloppy}): an IPv4 or IPv6 address, '/', and a
 * prefix length. Leading zeros in IPv4 octets or the prefix and host bits beyond the prefix are accepted by the
 * API server with a warning (rejected once the {@code StrictIPCIDRValidation} feature gate is on), so they are
 * reported as {@link Parsed#warnings()}. All address math uses the seancfoley {@code inet.ipaddr} library.
 */
public final class Cidrs {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    private Cidrs() {
    }

    /**
     * A parsed CIDR.
     *
     * @param block     the network block (host bits cleared), as an {@link IPAddress} prefix block
     * @param canonical the canonical form of the block ({@code 10.0.0.0/24})
     * @param warnings  accepted-but-ambiguous forms, in the API server's warning words (empty when clean)
     */
    public record Parsed(IPAddress block, String canonical, List<String> warnings) {
    }

    /**
     * Parses a CIDR; returns null when the API server rejects it ("must be a valid CIDR value").
     */
    public static Parsed parse(String value) {
        if (value == null) {
            return null;
        }
        int slash = value.indexOf('/');
        if (slash < 0 || slash != value.lastIndexOf('/')) {
            return null;
        }
        String ip = value.substring(0, slash);
        String pfx = value.substring(slash + 1);
        if (!PREFIX.matcher(pfx).matches()) {
            return null;
        }
        List<String> warnings = new ArrayList<>();
        boolean leadingZero = pfx.length() > 1 && pfx.charAt(0) == '0';
        int prefix = Integer.parseInt(pfx);
        String normalized;
        java.util.regex.Matcher m = V4.matcher(ip);
        if (m.matches()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                String o = m.group(i);
                int v = Integer.parseInt(o);
                if (v > 255) {
                    return null;
                }
                leadingZero |= o.length() > 1 && o.charAt(0) == '0';
                sb.append(i > 1 ? "." : "").append(v);
            }
            if (prefix > 32) {
                return null;
            }
            normalized = sb.toString();
        } else if (ip.contains(":") && V6.matcher(ip).matches()) {
            if (prefix > 128) {
                return null;
            }
            normalized = ip;
        } else {
            return null;
        }
        IPAddressString s = new IPAddressString(normalized + "/" + prefix);
        IPAddress addr = s.getAddress();
        if (addr == null || (ip.contains(":") && !addr.isIPv6())) {
            return null;
        }
        if (addr.isIPv6() && addr.toIPv6().isIPv4Mapped()) {
            warnings.add("is an IPv4-mapped IPv6 address");
        }
        IPAddress block = addr.toPrefixBlock();
        String canonical = block.toCanonicalString();
        if (leadingZero) {
            warnings.add("has leading zeros, which some software reads as octal");
        }
        if (!addr.isSinglePrefixBlock() && !block.getLower().equals(addr.getLower())) {
            warnings.add("has bits set beyond the prefix length (should it be " + canonical + " or "
                    + addr.getLower().withoutPrefixLength().toCanonicalString() + "/" + addr.getBitCount() + "?)");
        }
        return new Parsed(block, canonical, warnings);
    }

    /** Parses a plain IP address (no prefix); null when invalid. */
    public static IPAddress ip(String value) {
        if (value == null || value.isEmpty() || value.contains("/")) {
            return null;
        }
        IPAddress a = address(value);
        return a == null || a.isMultiple() ? null : a.withoutPrefixLength();
    }

    private static final Object INVALID = new Object();
    /** Parsed address texts (ipaddress's {@code IPAddress} is immutable): a pod IP is read by several checks. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Object> ADDRESSES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@code new IPAddressString(value).getAddress()} (an address, or with a prefix a block; null when the text is
     * neither), remembered for the texts seen last (at most 100,000, then forgotten at once): pod IPs are parsed by
     * the inventory validation, the NetworkPolicy lint and the reachability engine alike.
     */
    public static IPAddress address(String value) {
        Object known = ADDRESSES.get(value);
        if (known == null) {
            IPAddress a = new IPAddressString(value).getAddress();
            known = a == null ? INVALID : a;
            if (ADDRESSES.size() >= 100_000) {
                ADDRESSES.clear();
            }
            ADDRESSES.put(value, known);
        }
        return known == INVALID ? null : (IPAddress) known;
    }

    /**
     * The addresses of {@code block} minus every {@code except} block (ranges; empty when nothing is left).
     * Excepts of the other IP family are ignored.
     */
    public static List<IPAddress> minus(IPAddress block, List<IPAddress> excepts) {
        List<IPAddress> left = new ArrayList<>(List.of(block));
        for (IPAddress e : excepts) {
            if (e.getIPVersion() != block.getIPVersion()) {
                continue;
            }
            List<IPAddress> next = new ArrayList<>();
            for (IPAddress l : left) {
                IPAddress[] r = l.subtract(e);
                if (r != null) {
                    next.addAll(List.of(r));
                }
            }
            left = next;
        }
        return left;
    }

    /** True when any of the ranges contains the address. */
    public static boolean contains(List<IPAddress> ranges, IPAddress ip) {
        for (IPAddress r : ranges) {
            if (r.getIPVersion() == ip.getIPVersion() && r.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** True when any of the ranges overlaps the block. */
    public static boolean overlaps(List<IPAddress> ranges, IPAddress block) {
        for (IPAddress r : ranges) {
            if (r.getIPVersion() == block.getIPVersion() && r.intersect(block) != null) {
                return true;
            }
        }
        return false;
    }
}
