package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Reporter;
import dev.podnet.source.SourceDoc;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * host-local and static IPAM (CNI030-CNI040): every subnet, range bound, gateway, address and route is parsed
 * as Go's {@code net.ParseCIDR} / {@code net.ParseIP} would ({@link GoNet}); then the range arithmetic
 * host-local does on ADD is repeated so its failures show up before a pod starts.
 *
 * <p>Sources: containernetworking/plugins {@code plugins/ipam/host-local/backend/allocator/range.go}
 * ({@code Canonicalize}: "Network has host bits set", "too small to allocate from", "RangeStart %s not in
 * network %s"), {@code range_set.go} / {@code config.go} (legacy {@code subnet} becomes range set 0;
 * "range set %d overlaps with %d", "no IP ranges specified"), {@code plugins/ipam/static/main.go}
 * ("the 'address' field is expected to be in CIDR notation"), libcni {@code pkg/types} (routes; "invalid CIDR
 * address"). Behaviour observed with plugins v1.1.1: a gateway outside the subnet is accepted; static IPAM with
 * no addresses returns an empty result.
 */
final class CniIpamRules {

    private CniIpamRules() {
    }

    /** One host-local range with its effective first and last allocatable address. */
    private record Span(int order, int set, String pointer, GoNet.Cidr subnet, BigInteger first, BigInteger last,
                        String text) {
    }

    static void check(CniConfig c, Reporter r) {
        SourceDoc doc = c.doc();
        for (CniConfig.Plugin pl : c.plugins()) {
            JsonNode ipam = pl.ipam();
            if (!ipam.isObject()) {
                continue;
            }
            String ip = pl.ipamPointer();
            String type = CniRules.text(ipam, "type");
            boolean flannel = pl.type().equals("flannel");
            if ("host-local".equals(type) || (flannel && type == null)) {
                hostLocal(doc, pl, ipam, ip, flannel, r);
                routes(doc, ipam, ip, r);
            } else if ("static".equals(type)) {
                staticIpam(doc, pl, ipam, ip, r);
                routes(doc, ipam, ip, r);
            }
        }
    }

    private static boolean capability(CniConfig.Plugin pl, String name) {
        return CniRules.isTrue(pl.node().path("capabilities").get(name));
    }

    private static void hostLocal(SourceDoc doc, CniConfig.Plugin pl, JsonNode ipam, String ip, boolean flannel,
                                  Reporter r) {
        boolean calico = pl.type().equals("calico");
        List<Span> spans = new ArrayList<>();
        int set = 0;
        boolean any = false;
        if (ipam.has("subnet")) {
            any = true;
            range(doc, ipam, ip, set++, calico, spans, r);
        }
        JsonNode ranges = ipam.get("ranges");
        if (ranges != null && ranges.isArray()) {
            for (int i = 0; i < ranges.size(); i++) {
                JsonNode rs = ranges.get(i);
                if (!rs.isArray()) {
                    continue;
                }
                for (int j = 0; j < rs.size(); j++) {
                    if (rs.get(j).isObject()) {
                        any = true;
                        range(doc, rs.get(j), ip + "/ranges/" + i + "/" + j, set, calico, spans, r);
                    }
                }
                set++;
            }
        }
        if (!any && !flannel && !capability(pl, "ipRanges")) {
            r.reportKey("CNI039", doc, ip, "host-local IPAM in " + CniRules.path(ip) + " has no range (no "
                    + "\"subnet\", no entry in \"ranges\"): the plugin fails with \"no IP ranges specified\"; add "
                    + "\"ranges\": [[{\"subnet\": \"<pod CIDR>\"}]]");
        }
        overlaps(doc, spans, r);
    }

    /**
     * Reports each range that overlaps an earlier one (in address order, per family), comparing every range with
     * the earlier range reaching furthest: O(n log n), so a file with many thousands of ranges stays fast.
     */
    private static void overlaps(SourceDoc doc, List<Span> spans, Reporter r) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(java.util.Comparator.<Span, Boolean>comparing(x -> x.subnet().network().isIPv6())
                .thenComparing(Span::first).thenComparing(Span::last));
        Span reach = null;
        for (Span y : sorted) {
            if (reach != null && reach.subnet().network().getIPVersion() == y.subnet().network().getIPVersion()
                    && y.first().compareTo(reach.last()) <= 0) {
                Span x = reach.order() < y.order() ? reach : y;
                Span later = x == reach ? y : reach;
                String err = x.set() == later.set()
                        ? "invalid range set " + x.set() + ": subnets " + x.text() + " and " + later.text()
                        + " overlap"
                        : "range set " + x.set() + " overlaps with " + later.set();
                r.report("CNI037", doc, SourceDoc.child(later.pointer(), "subnet"), "range " + later.text() + " ("
                        + CniRules.path(later.pointer()) + ") overlaps " + x.text() + " ("
                        + CniRules.path(x.pointer()) + "): host-local fails with \"" + err + "\"; give each range "
                        + "its own addresses");
            }
            if (reach == null || reach.subnet().network().getIPVersion() != y.subnet().network().getIPVersion()
                    || y.last().compareTo(reach.last()) > 0) {
                reach = y;
            }
        }
    }

    /** Checks one range object ({@code ipam} itself for the legacy form, or a {@code ranges} element). */
    private static void range(SourceDoc doc, JsonNode rg, String p, int set, boolean calico, List<Span> spans,
                              Reporter r) {
        String sp = SourceDoc.child(p, "subnet");
        JsonNode sn = rg.get("subnet");
        if (sn == null || sn.isNull()) {
            r.reportKey("CNI039", doc, sp, CniRules.path(p) + " has no \"subnet\": host-local cannot allocate from "
                    + "it; add \"subnet\": \"<CIDR>\"");
            return;
        }
        if (!sn.isTextual()) {
            r.report("CNI030", doc, sp, "\"subnet\" must be a CIDR string such as \"10.22.0.0/16\"");
            return;
        }
        String text = sn.asText();
        if (text.equals("usePodCidr")) {
            if (!calico) {
                r.report("CNI030", doc, sp, "\"usePodCidr\" is understood only by Calico's plugin; host-local "
                        + "fails with \"invalid CIDR address: usePodCidr\": write the node's pod CIDR");
            }
            return;
        }
        GoNet.Cidr cidr = GoNet.parseCidr(text);
        if (cidr == null) {
            r.report("CNI030", doc, sp, "subnet \"" + text + "\" is not a valid CIDR: host-local fails with "
                    + "\"invalid CIDR address: " + text + "\"; " + cidrHint(text));
            return;
        }
        if (cidr.bits() - cidr.prefix() < 2) {
            r.report("CNI040", doc, sp, "subnet " + text + " is too small: host-local fails with \"Network "
                    + text + " too small to allocate from\" (a /" + (cidr.bits() - 2) + " or larger is needed: "
                    + "the network, gateway and broadcast addresses are not handed out); use a wider prefix");
            return;
        }
        if (cidr.hostBitsSet()) {
            r.report("CNI031", doc, sp, "subnet " + text + " has host bits set: host-local fails with \"Network "
                    + "has host bits set. For a subnet mask of length " + cidr.prefix() + " the network address is "
                    + cidr.networkAddress().toCanonicalString() + "\"; write \"" + cidr + "\"");
        }
        IPAddress start = address(doc, rg, p, "rangeStart", r);
        IPAddress end = address(doc, rg, p, "rangeEnd", r);
        IPAddress gw = address(doc, rg, p, "gateway", r);
        boolean startIn = start == null || cidr.contains(start);
        boolean endIn = end == null || cidr.contains(end);
        if (!startIn) {
            r.report("CNI032", doc, SourceDoc.child(p, "rangeStart"), "rangeStart " + start.toCanonicalString()
                    + " is outside subnet " + cidr + ": host-local fails with \"RangeStart "
                    + start.toCanonicalString() + " not in network " + cidr + "\"; pick an address inside " + cidr);
        }
        if (!endIn) {
            r.report("CNI032", doc, SourceDoc.child(p, "rangeEnd"), "rangeEnd " + end.toCanonicalString()
                    + " is outside subnet " + cidr + ": host-local fails with \"RangeEnd " + end.toCanonicalString()
                    + " not in network " + cidr + "\"; pick an address inside " + cidr);
        }
        if (start != null && end != null && startIn && endIn && start.getValue().compareTo(end.getValue()) > 0) {
            r.report("CNI034", doc, SourceDoc.child(p, "rangeEnd"), "rangeEnd " + end.toCanonicalString()
                    + " comes before rangeStart " + start.toCanonicalString() + ": host-local rejects the range "
                    + "with a misleading \"not in network " + cidr + "\" error; swap the two values");
        }
        boolean v4 = cidr.network().isIPv4();
        if (gw != null) {
            if (!cidr.contains(gw)) {
                r.report("CNI033", doc, SourceDoc.child(p, "gateway"), "gateway " + gw.toCanonicalString()
                        + " is outside subnet " + cidr + ": host-local accepts it, but pods get a gateway they cannot "
                        + "reach (\"network is unreachable\" with isDefaultGateway) and " + cidr.networkAddress()
                        .increment(1).toCanonicalString() + " is handed to a pod; use an address inside " + cidr);
            } else {
                reserved(doc, cidr, gw, v4, SourceDoc.child(p, "gateway"), "gateway", r);
            }
        }
        if (start != null && startIn) {
            reserved(doc, cidr, start, v4, SourceDoc.child(p, "rangeStart"), "rangeStart", r);
        }
        if (end != null && endIn) {
            reserved(doc, cidr, end, v4, SourceDoc.child(p, "rangeEnd"), "rangeEnd", r);
        }
        BigInteger first = (start != null && startIn ? start : cidr.networkAddress()).getValue();
        if (start == null || !startIn) {
            first = first.add(BigInteger.ONE);
        }
        BigInteger last = end != null && endIn ? end.getValue() : cidr.lastAddress().getValue()
                .subtract(BigInteger.ONE);
        if (first.compareTo(last) <= 0) {
            spans.add(new Span(spans.size(), set, p, cidr, first, last, cidr.toString()));
        }
    }

    private static void reserved(SourceDoc doc, GoNet.Cidr cidr, IPAddress a, boolean v4, String p, String field,
                                 Reporter r) {
        if (a.equals(cidr.networkAddress())) {
            r.report("CNI035", doc, p, field + " " + a.toCanonicalString() + " is the network address of " + cidr
                    + (field.equals("gateway") ? ": pods would route through an address no host answers on"
                    : ": a pod can be given the network address") + "; use " + cidr.networkAddress().increment(1)
                    .toCanonicalString() + (field.equals("gateway") ? "" : " or later"));
        } else if (v4 && a.equals(cidr.lastAddress())) {
            r.report("CNI035", doc, p, field + " " + a.toCanonicalString() + " is the broadcast address of " + cidr
                    + (field.equals("gateway") ? ": pods would send routed traffic to broadcast"
                    : ": a pod can be given the broadcast address") + "; use " + cidr.lastAddress().increment(-1)
                    .toCanonicalString() + (field.equals("gateway") ? "" : " or earlier"));
        }
    }

    /** Parses an optional address member; reports CNI030 and returns null when it does not parse. */
    private static IPAddress address(SourceDoc doc, JsonNode obj, String p, String key, Reporter r) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        IPAddress a = v.isTextual() ? GoNet.parseIp(v.asText()) : null;
        if (a == null) {
            String hint = v.isTextual() && v.asText().contains("/") ? "write the address without a prefix length"
                    : "write one IPv4 or IPv6 address";
            r.report("CNI030", doc, SourceDoc.child(p, key), key + " " + v + " is not an IP address (\"invalid IP "
                    + "address: " + v.asText() + "\"); " + hint);
        }
        return a;
    }

    private static void staticIpam(SourceDoc doc, CniConfig.Plugin pl, JsonNode ipam, String ip, Reporter r) {
        JsonNode addrs = ipam.get("addresses");
        if (addrs == null || (addrs.isArray() && addrs.isEmpty())) {
            if (!capability(pl, "ips")) {
                r.reportKey("CNI038", doc, addrs == null ? ip : ip + "/addresses", "static IPAM in "
                        + CniRules.path(ip) + " has no \"addresses\": the plugin succeeds with no IP, so the pod "
                        + "has no address unless the runtime passes IP=... in CNI_ARGS; add \"addresses\": "
                        + "[{\"address\": \"<ip>/<prefix>\"}] or enable \"capabilities\": {\"ips\": true}");
            }
            return;
        }
        if (!addrs.isArray()) {
            return;
        }
        for (int i = 0; i < addrs.size(); i++) {
            JsonNode e = addrs.get(i);
            String p = ip + "/addresses/" + i;
            if (!e.isObject()) {
                continue;
            }
            JsonNode a = e.get("address");
            GoNet.Cidr cidr = null;
            if (a != null && !a.isNull()) {
                cidr = a.isTextual() ? GoNet.parseCidr(a.asText()) : null;
                if (cidr == null) {
                    r.report("CNI030", doc, p + "/address", "address " + a + " is not in CIDR notation: static "
                            + "IPAM fails with \"the 'address' field is expected to be in CIDR notation, got: '"
                            + a.asText() + "'\"; " + cidrHint(a.asText()));
                }
            }
            IPAddress gw = address(doc, e, p, "gateway", r);
            if (gw != null && cidr != null && !cidr.contains(gw)) {
                r.report("CNI033", doc, p + "/gateway", "gateway " + gw.toCanonicalString() + " is outside "
                        + cidr + " (the network of address " + a.asText() + "): the pod cannot reach it; use an "
                        + "address inside " + cidr);
            }
        }
    }

    private static void routes(SourceDoc doc, JsonNode ipam, String ip, Reporter r) {
        JsonNode rs = ipam.get("routes");
        if (rs == null || !rs.isArray()) {
            return;
        }
        for (int i = 0; i < rs.size(); i++) {
            JsonNode rt = rs.get(i);
            String p = ip + "/routes/" + i;
            if (!rt.isObject()) {
                continue;
            }
            JsonNode dst = rt.get("dst");
            GoNet.Cidr d = null;
            if (dst == null || dst.isNull()) {
                r.reportKey("CNI036", doc, p + "/dst", "route " + CniRules.path(p) + " has no \"dst\": the plugin "
                        + "fails with \"invalid CIDR address: \"; add \"dst\": \"<CIDR>\" (\"0.0.0.0/0\" for a "
                        + "default route)");
            } else {
                d = dst.isTextual() ? GoNet.parseCidr(dst.asText()) : null;
                if (d == null) {
                    r.report("CNI036", doc, p + "/dst", "route dst " + dst + " is not a CIDR: the plugin fails with "
                            + "\"invalid CIDR address: " + dst.asText() + "\"; " + routeHint(dst.asText()));
                }
            }
            JsonNode gw = rt.get("gw");
            if (gw != null && !gw.isNull()) {
                IPAddress g = gw.isTextual() ? GoNet.parseIp(gw.asText()) : null;
                if (g == null) {
                    r.report("CNI036", doc, p + "/gw", "route gw " + gw + " is not an IP address (\"invalid IP "
                            + "address\"); write one address without prefix length, or drop \"gw\" to use the "
                            + "interface's gateway");
                } else if (d != null && g.getIPVersion() != d.network().getIPVersion()) {
                    r.report("CNI036", doc, p + "/gw", "route gw " + g.toCanonicalString() + " is " + g.getIPVersion()
                            + " but dst " + d + " is " + d.network().getIPVersion() + ": the kernel rejects the route"
                            + "; use a gateway of the same family");
                }
            }
        }
    }

    private static String routeHint(String text) {
        IPAddress a = GoNet.parseIp(text);
        if (a == null) {
            return "write a destination such as \"0.0.0.0/0\" or \"10.96.0.0/12\"";
        }
        String plen = a.isZero() ? "/0" : "/" + a.getBitCount();
        return "add the prefix length, e.g. \"" + text + plen + "\"" + (a.isZero() ? " for the default route"
                : " for a host route");
    }

    private static String cidrHint(String text) {
        if (GoNet.parseIp(text) != null) {
            return "add the prefix length, e.g. \"" + text + (text.contains(":") ? "/64" : "/24") + "\"";
        }
        return "write an address and prefix length such as \"10.22.0.0/16\"";
    }
}
