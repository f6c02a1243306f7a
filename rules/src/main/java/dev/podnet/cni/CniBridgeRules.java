package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Reporter;
import dev.podnet.source.SourceDoc;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The bridge plugin (CNI045-CNI051), interface names and MTUs of the interface plugins (CNI049, CNI050) and the
 * flannel plugin's bridge delegate (CNI055-CNI057; the bridge rules also run on the delegate).
 *
 * <p>Sources: containernetworking/plugins {@code plugins/main/bridge/bridge.go} ({@code cmdAdd}: "cannot
 * set hairpin mode and promiscuous mode at the same time", {@code isDefaultGateway} forces {@code isGateway};
 * {@code calcGateways}: a default route is only de-duplicated when it has a {@code gw}); Linux
 * {@code dev_valid_name} (IFNAMSIZ 16 including the NUL byte); Linux {@code ETH_MIN_MTU} 68 and the 65535 IPv4
 * packet limit; flannel-io/cni-plugin {@code flannel_linux.go} ({@code doCmdAdd}: {@code isGateway},
 * {@code ipMasq} and {@code mtu} are filled in when absent, {@code hairpinMode} is not) and {@code flannel.go}
 * ({@code cmdAdd}: "'delegate' dictionary must not have 'name' field, it'll be set by flannel").
 * Error strings observed with plugins v1.1.1.
 */
final class CniBridgeRules {
    /** Plugin type to the member naming a host interface it creates or uses. */
    private static final java.util.Map<String, String> IFNAME_FIELDS = java.util.Map.of("bridge", "bridge",
            "macvlan", "master", "ipvlan", "master", "vlan", "master", "host-device", "device", "weave-net",
            "bridge");
    /** Plugin types whose {@code mtu} is applied to a link they create. */
    private static final Set<String> MTU_TYPES = Set.of("bridge", "ptp", "macvlan", "ipvlan", "vlan", "tuning",
            "weave-net");
    /** Largest Linux interface name in bytes (IFNAMSIZ - 1). */
    static final int IFNAME_MAX = 15;
    /** Smallest MTU Linux accepts on Ethernet-like links (ETH_MIN_MTU). */
    static final int MTU_MIN = 68;
    /** Largest useful MTU (the IPv4 total-length limit; kernels cap most links below this). */
    static final int MTU_MAX = 65535;
    /** flannel's vxlan MTU on a 1500-byte uplink (1500 - 50 bytes of VXLAN overhead). */
    static final int FLANNEL_VXLAN_MTU = 1450;

    private CniBridgeRules() {
    }

    static void check(CniConfig c, Reporter r) {
        SourceDoc doc = c.doc();
        for (CniConfig.Plugin pl : c.plugins()) {
            String type = pl.type();
            JsonNode n = pl.node();
            String field = IFNAME_FIELDS.get(type);
            if (field != null) {
                ifname(doc, n, pl.pointer(), field, r);
            }
            if (MTU_TYPES.contains(type)) {
                mtu(doc, n, pl.pointer(), r);
            }
            if (type.equals("bridge")) {
                bridge(doc, pl.pointer(), n, pl.ipam(), pl.ipamPointer(), false, r);
                if (!n.has("ipMasq") && CniRules.text(pl.ipam(), "type") != null) {
                    r.report("CNI051", doc, CniRules.anchor(doc, pl.pointer()), "bridge has no \"ipMasq\": pods "
                            + "reach addresses outside " + "the node only if the node (or another plugin) masquerades "
                            + "their traffic; add \"ipMasq\": true unless routing to the pod subnet is set up");
                }
            } else if (type.equals("flannel")) {
                flannel(doc, pl, r);
            }
        }
    }

    private static void flannel(SourceDoc doc, CniConfig.Plugin pl, Reporter r) {
        JsonNode d = pl.node().get("delegate");
        String dp = SourceDoc.child(pl.pointer(), "delegate");
        if (d != null && !d.isObject()) {
            return;
        }
        String dtype = d == null ? null : CniRules.text(d, "type");
        if (dtype != null && !dtype.equals("bridge")) {
            return;
        }
        if (d == null) {
            r.report("CNI055", doc, CniRules.anchor(doc, pl.pointer()), "flannel has no \"delegate\", so it "
                    + "delegates to bridge without hairpinMode: a pod that connects to a Service whose chosen "
                    + "endpoint is itself times out; add \"delegate\": {\"hairpinMode\": true, "
                    + "\"isDefaultGateway\": true}");
            return;
        }
        for (String k : new String[] {"name", "ipam"}) {
            if (d.has(k)) {
                r.reportKey("CNI057", doc, SourceDoc.child(dp, k), "flannel rejects a delegate with \"" + k + "\" "
                        + "(\"'delegate' dictionary must not have '" + k + "' field, it'll be set by flannel\"); "
                        + "remove it" + (k.equals("ipam") ? " and put IPAM settings such as routes in the flannel "
                        + "plugin's own \"ipam\"" : ""));
            }
        }
        ifname(doc, d, dp, "bridge", r);
        mtu(doc, d, dp, r);
        JsonNode mtu = d.get("mtu");
        if (mtu != null && mtu.isIntegralNumber() && mtu.asLong() > 0) {
            r.report("CNI056", doc, SourceDoc.child(dp, "mtu"), "delegate mtu " + mtu.asLong() + " overrides the "
                    + "FLANNEL_MTU that flanneld computes from the uplink (uplink MTU minus the backend overhead, "
                    + FLANNEL_VXLAN_MTU + " for vxlan on a 1500-byte link)" + (mtu.asLong() > FLANNEL_VXLAN_MTU
                    ? "; above the tunnel MTU large packets are dropped" : "; it breaks when nodes differ")
                    + ": remove \"mtu\" from the delegate");
        }
        bridge(doc, dp, d, pl.ipam(), pl.ipamPointer(), true, r);
    }

    /**
     * The bridge rules for a bridge plugin object or flannel's bridge delegate.
     *
     * @param ipam    the IPAM object whose routes the bridge will install (flannel: the flannel plugin's ipam)
     * @param flannel true for a flannel delegate (flannel fills in isGateway and ipMasq)
     */
    private static void bridge(SourceDoc doc, String p, JsonNode n, JsonNode ipam, String ipamPointer,
                               boolean flannel, Reporter r) {
        JsonNode hairpin = n.get("hairpinMode");
        boolean promisc = CniRules.isTrue(n.get("promiscMode"));
        String hp = SourceDoc.child(p, "hairpinMode");
        if (CniRules.isTrue(hairpin) && promisc) {
            r.report("CNI046", doc, SourceDoc.child(p, "promiscMode"), "hairpinMode and promiscMode are both true:"
                    + " the bridge plugin fails with \"cannot set hairpin mode and promiscuous mode at the same "
                    + "time.\"; keep hairpinMode and remove promiscMode");
        } else if (!CniRules.isTrue(hairpin) && !promisc) {
            String rule = flannel ? "CNI055" : "CNI045";
            String who = flannel ? "the bridge flannel delegates to" : "this bridge";
            String msg = "hairpinMode is " + (hairpin == null ? "not enabled" : "false") + " on " + who + ", so a "
                    + "pod that connects to a Service whose chosen endpoint is itself times out; set \"hairpinMode\""
                    + ": true" + (flannel ? " in " + CniRules.path(p) : "");
            if (hairpin != null) {
                r.report(rule, doc, hp, msg);
            } else {
                r.report(rule, doc, flannel ? p : CniRules.anchor(doc, p), msg);
            }
        }
        JsonNode defGw = n.get("isDefaultGateway");
        if (CniRules.isTrue(defGw)) {
            JsonNode isGw = n.get("isGateway");
            if (!CniRules.isTrue(isGw) && !(flannel && isGw == null)) {
                r.report("CNI047", doc, isGw != null ? SourceDoc.child(p, "isGateway")
                        : SourceDoc.child(p, "isDefaultGateway"), "isDefaultGateway is true but isGateway is "
                        + (isGw == null ? "not set" : "false") + ": the bridge plugin forces isGateway to true (the "
                        + "gateway address goes on the bridge); set \"isGateway\": true to say what happens");
            }
            JsonNode routes = ipam.path("routes");
            for (int i = 0; routes.isArray() && i < routes.size(); i++) {
                JsonNode rt = routes.get(i);
                String dst = CniRules.text(rt, "dst");
                if (dst == null || rt.has("gw")) {
                    continue;
                }
                GoNet.Cidr cidr = GoNet.parseCidr(dst);
                if (cidr != null && cidr.prefix() == 0) {
                    r.report("CNI048", doc, ipamPointer + "/routes/" + i + "/dst", "IPAM route " + dst + " has no "
                            + "gw and " + CniRules.path(SourceDoc.child(p, "isDefaultGateway")) + " is true: the "
                            + "bridge plugin adds the default route a second time and fails with \"failed to add "
                            + "route ... file exists\"; remove this route (isDefaultGateway already adds it)");
                }
            }
        }
    }

    private static void ifname(SourceDoc doc, JsonNode n, String p, String field, Reporter r) {
        String name = CniRules.text(n, field);
        if (name == null) {
            return;
        }
        String fp = SourceDoc.child(p, field);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > IFNAME_MAX) {
            r.report("CNI049", doc, fp, field + " \"" + name + "\" is " + bytes + " bytes; Linux interface names "
                    + "hold at most " + IFNAME_MAX + " (IFNAMSIZ), so creating it fails with \"numerical result "
                    + "out of range\"; use a shorter name such as \"" + shortName(name) + "\"");
        } else if (name.isEmpty() && !field.equals("bridge")) {
            return;
        } else if (name.equals(".") || name.equals("..") || name.chars().anyMatch(ch -> ch == '/' || ch == ':'
                || Character.isWhitespace(ch))) {
            r.report("CNI049", doc, fp, field + " \"" + name + "\" is not a valid Linux interface name (no '/', ':'"
                    + " or whitespace, not \".\" or \"..\"); use letters, digits, '-' and '_'");
        }
    }

    private static void mtu(SourceDoc doc, JsonNode n, String p, Reporter r) {
        JsonNode m = n.get("mtu");
        if (m == null || !m.isIntegralNumber()) {
            return;
        }
        long v = m.asLong();
        if ((v > 0 && v < MTU_MIN) || v > MTU_MAX) {
            r.report("CNI050", doc, SourceDoc.child(p, "mtu"), "mtu " + m + " is out of range: Linux accepts "
                    + MTU_MIN + ".." + MTU_MAX + " (1280 or more for IPv6), so creating the link fails with "
                    + "\"invalid argument\"; use the uplink MTU minus any tunnel overhead (e.g. 1500 or 1450), or "
                    + "remove \"mtu\"");
        }
    }

    private static String shortName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_-]", "");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= IFNAME_MAX ? (s.isEmpty() ? "cni0" : s) : s.substring(0, IFNAME_MAX);
    }
}
