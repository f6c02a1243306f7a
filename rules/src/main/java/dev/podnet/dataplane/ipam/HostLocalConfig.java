package dev.podnet.dataplane.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.podnet.dataplane.Addresses;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;

/**
 * The host-local IPAM configuration as the plugin loads it (containernetworking/plugins
 * {@code plugins/ipam/host-local/backend/allocator/config.go} {@code LoadIPAMConfig}): range sets from
 * {@code ranges} (an array of arrays of ranges), with an old-style single range ({@code subnet}, {@code rangeStart},
 * {@code rangeEnd}, {@code gateway} directly in {@code ipam}) and runtime-config {@code ipRanges} prepended;
 * requested addresses from {@code CNI_ARGS} {@code IP=}, {@code args.cni.ips} and runtime-config {@code ips}.
 *
 * @param rangeSets    canonicalized range sets in allocation order
 * @param routes       {@code ipam.routes} as (dst block, gw or null)
 * @param requestedIps addresses requested for this ADD, in the plugin's order
 * @param dataDir      {@code ipam.dataDir} ("" when absent; the plugin defaults to /var/lib/cni/networks)
 */
public record HostLocalConfig(List<List<IpamRange>> rangeSets, List<IpamRoute> routes, List<IPAddress> requestedIps,
                              String dataDir) {

    /**
     * A route from {@code ipam.routes}.
     *
     * @param dst destination block
     * @param gw  gateway, or null for "via the interface's gateway"
     */
    public record IpamRoute(IPAddress dst, IPAddress gw) {
    }

    /**
     * Per-ADD inputs besides the ipam object.
     *
     * @param cniArgs         the {@code CNI_ARGS} string ({@code K=V;K=V}), "" for none
     * @param argsIps         {@code args.cni.ips} of the network config
     * @param runtimeIps      runtime-config {@code ips} (capability "ips"), may carry a prefix ({@code 10.0.0.5/24})
     * @param runtimeIpRanges runtime-config {@code ipRanges} (capability "ipRanges"), as JSON (array of arrays)
     */
    public record Request(String cniArgs, List<String> argsIps, List<String> runtimeIps, JsonNode runtimeIpRanges) {
        /** No requested addresses. */
        public static Request none() {
            return new Request("", List.of(), List.of(), null);
        }

        /** Only {@code CNI_ARGS}. */
        public static Request cniArgs(String args) {
            return new Request(args, List.of(), List.of(), null);
        }
    }

    public HostLocalConfig {
        rangeSets = List.copyOf(rangeSets.stream().map(List::copyOf).toList());
        routes = List.copyOf(routes);
        requestedIps = List.copyOf(requestedIps);
    }

    /**
     * Loads and validates.
     *
     * @param ipam       the {@code ipam} object of the plugin config
     * @param cniVersion the config's {@code cniVersion} (below 0.3.0 only one range set per family is allowed)
     * @param req        requested addresses and runtime ranges
     * @throws IpamException with the plugin's error text
     */
    public static HostLocalConfig load(JsonNode ipam, String cniVersion, Request req) throws IpamException {
        if (ipam == null || ipam.isMissingNode() || ipam.isNull()) {
            throw new IpamException("IPAM config missing 'ipam' key");
        }
        List<IPAddress> requested = new ArrayList<>();
        for (String kv : req.cniArgs().split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).trim().equals("IP")) {
                requested.add(ip(kv.substring(eq + 1).trim(), "cannot understand ip"));
            }
        }
        for (String s : req.argsIps()) {
            requested.add(ip(s, "cannot understand ip"));
        }
        for (String s : req.runtimeIps()) {
            int slash = s.indexOf('/');
            requested.add(ip(slash < 0 ? s : s.substring(0, slash), "cannot understand ip"));
        }

        List<JsonNode> rawSets = new ArrayList<>();
        if (req.runtimeIpRanges() != null && req.runtimeIpRanges().isArray()) {
            req.runtimeIpRanges().forEach(rawSets::add);
        }
        if (ipam.hasNonNull("subnet")) {
            // old-style single range: after runtime ipRanges, before ipam.ranges
            rawSets.add(JsonNodeFactory.instance.arrayNode().add(ipam));
        }
        JsonNode ranges = ipam.get("ranges");
        if (ranges != null && ranges.isArray()) {
            ranges.forEach(rawSets::add);
        }
        if (rawSets.isEmpty()) {
            throw new IpamException("no IP ranges specified");
        }
        List<List<IpamRange>> sets = new ArrayList<>();
        int v4 = 0;
        int v6 = 0;
        for (int i = 0; i < rawSets.size(); i++) {
            try {
                List<IpamRange> set = canonicalizeSet(rawSets.get(i));
                sets.add(set);
                if (set.get(0).rangeStart().isIPv4()) {
                    v4++;
                } else {
                    v6++;
                }
            } catch (IpamException e) {
                throw new IpamException("invalid range set " + i + ": " + e.getMessage());
            }
        }
        if ((v4 > 1 || v6 > 1) && versionBelow030(cniVersion)) {
            throw new IpamException("CNI version " + cniVersion + " does not support more than 1 address per family");
        }
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                if (overlaps(sets.get(i), sets.get(j))) {
                    throw new IpamException("range set " + i + " overlaps with " + j);
                }
            }
        }
        List<IpamRoute> routes = new ArrayList<>();
        JsonNode rs = ipam.get("routes");
        if (rs != null && rs.isArray()) {
            for (JsonNode r : rs) {
                String dst = r.path("dst").asText("");
                try {
                    routes.add(new IpamRoute(Addresses.block(dst),
                            r.hasNonNull("gw") ? Addresses.address(r.get("gw").asText()) : null));
                } catch (IllegalArgumentException e) {
                    throw new IpamException("invalid route " + r + ": " + e.getMessage());
                }
            }
        }
        return new HostLocalConfig(sets, routes, requested, ipam.path("dataDir").asText(""));
    }

    private static boolean versionBelow030(String v) {
        String[] p = (v == null || v.isEmpty() ? "0.1.0" : v).split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return major == 0 && minor < 3;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static IPAddress ip(String s, String what) throws IpamException {
        IPAddress a = new IPAddressString(s.trim()).getAddress();
        if (a == null || a.isPrefixed()) {
            throw new IpamException(what + ": IP " + s + " not v4 nor v6");
        }
        return a;
    }

    private static List<IpamRange> canonicalizeSet(JsonNode set) throws IpamException {
        if (set == null || !set.isArray() || set.isEmpty()) {
            throw new IpamException("empty range set");
        }
        List<IpamRange> out = new ArrayList<>();
        for (JsonNode r : set) {
            IpamRange c = canonicalize(r);
            if (!out.isEmpty() && out.get(0).rangeStart().getIPVersion() != c.rangeStart().getIPVersion()) {
                throw new IpamException("mixed address families");
            }
            out.add(c);
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                if (overlaps(out.get(i), out.get(j))) {
                    throw new IpamException("subnets " + out.get(i) + " and " + out.get(j) + " overlap");
                }
            }
        }
        return out;
    }

    /** {@code Range.Canonicalize}. */
    static IpamRange canonicalize(JsonNode r) throws IpamException {
        String subnetText = r.path("subnet").asText("");
        IPAddressString ss = new IPAddressString(subnetText);
        IPAddress withHost = ss.getAddress();
        if (withHost == null || !withHost.isPrefixed()) {
            throw new IpamException("invalid CIDR address: " + subnetText);
        }
        IPAddress hostIp = ss.getHostAddress();
        int len = withHost.getNetworkPrefixLength();
        IPAddress block = withHost.toPrefixBlock();
        String shown = hostIp.toCanonicalString() + "/" + len;
        if (len > withHost.getBitCount() - 2) {
            throw new IpamException("Network " + shown + " too small to allocate from");
        }
        IPAddress gateway;
        if (r.hasNonNull("gateway")) {
            gateway = ip(r.get("gateway").asText(), "gateway");
            if (!sameFamilyContains(block, gateway)) {
                throw new IpamException("gateway " + gateway.toCanonicalString() + " not in network " + shown);
            }
        } else {
            gateway = hostIp.increment(1);
        }
        IPAddress start = null;
        IPAddress end = null;
        if (r.hasNonNull("rangeStart")) {
            start = ip(r.get("rangeStart").asText(), "rangeStart");
            inRange(block, shown, start, null, null);
        } else {
            start = hostIp.increment(1);
        }
        if (r.hasNonNull("rangeEnd")) {
            end = ip(r.get("rangeEnd").asText(), "rangeEnd");
            inRange(block, shown, end, start, null);
        } else {
            IPAddress last = block.getUpper().withoutPrefixLength();
            end = block.isIPv4() ? last.increment(-1) : last;
        }
        return new IpamRange(subnetText, block, start.withoutPrefixLength(), end.withoutPrefixLength(),
                gateway.withoutPrefixLength());
    }

    private static boolean sameFamilyContains(IPAddress block, IPAddress a) {
        return block.getIPVersion() == a.getIPVersion() && block.contains(a);
    }

    /** {@code Range.IPInRange}. */
    private static void inRange(IPAddress block, String shown, IPAddress a, IPAddress start, IPAddress end)
            throws IpamException {
        if (block.getIPVersion() != a.getIPVersion()) {
            throw new IpamException("IP " + a.toCanonicalString() + " is not the same protocol as subnet " + shown);
        }
        if (!block.contains(a)) {
            throw new IpamException(a.toCanonicalString() + " not in network " + shown);
        }
        if (start != null && IpamRange.cmp(a, start) < 0) {
            throw new IpamException(a.toCanonicalString() + " is in network " + shown + " but before start "
                    + start.toCanonicalString());
        }
        if (end != null && IpamRange.cmp(a, end) > 0) {
            throw new IpamException(a.toCanonicalString() + " is in network " + shown + " but after end "
                    + end.toCanonicalString());
        }
    }

    private static boolean overlaps(IpamRange a, IpamRange b) {
        if (a.rangeStart().getIPVersion() != b.rangeStart().getIPVersion()) {
            return false;
        }
        return a.contains(b.rangeStart()) || a.contains(b.rangeEnd()) || b.contains(a.rangeStart())
                || b.contains(a.rangeEnd());
    }

    private static boolean overlaps(List<IpamRange> a, List<IpamRange> b) {
        for (IpamRange x : a) {
            for (IpamRange y : b) {
                if (overlaps(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The range set as the plugin prints it: ranges joined by commas. */
    public static String text(List<IpamRange> set) {
        StringBuilder b = new StringBuilder();
        for (IpamRange r : set) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r);
        }
        return b.toString();
    }
}
