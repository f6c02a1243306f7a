package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Reporter;
import dev.podnet.source.SourceDoc;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cniVersion} and {@code cniVersions} (CNI010-CNI017).
 *
 * <p>Sources: CNI SPEC.md version table (0.1.0 .. 1.1.0) and section 1 ({@code cniVersions}, version selection,
 * 1.1.0); libcni {@code libcni/conf.go} ("invalid cniVersions entry"), {@code pkg/version} (an absent version is
 * 0.1.0); the {@code VERSION} answers of containernetworking/plugins v1.1.1 (bandwidth supports 0.3.0+,
 * firewall 0.4.0+, vrf 0.3.1+; no plugin before v1.6.0 supports 1.1.0) and their "incompatible CNI versions"
 * error.
 */
final class CniVersionRules {
    /** Every released CNI spec version, oldest first. */
    static final List<String> KNOWN = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    /** Plugin type to the oldest config version its binary accepts (reference plugins v1.1.1 VERSION output). */
    static final Map<String, String> MIN_VERSION = Map.of("bandwidth", "0.3.0", "firewall", "0.4.0", "vrf", "0.3.1");

    /** Semantic Versioning 2.0.0 (semver.org), the form the spec requires. */
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$");

    private CniVersionRules() {
    }

    static void check(CniConfig c, Reporter r) {
        SourceDoc doc = c.doc();
        JsonNode root = c.root();
        JsonNode v = root.get("cniVersion");
        String version = null;
        if (v == null || v.isNull()) {
            r.reportKey("CNI010", doc, "/cniVersion", "\"cniVersion\" is missing: " + (root.has("cniVersions")
                    ? "runtimes before CNI 1.1.0 ignore \"cniVersions\", so they " : "libcni and the plugins then ")
                    + "use 0.1.0 and return the legacy result format (ip4/ip6, no interfaces), which chained plugins and "
                    + "runtimes misread; add \"cniVersion\": \"1.0.0\" (or the newest version your plugins support)");
        } else if (!v.isTextual()) {
            String err = c.list() ? "libcni rejects the list (\"error parsing configuration list: invalid "
                    + "cniVersion type " + goType(v) + "\")" : "the plugin fails with \"decoding version from "
                    + "network config: json: cannot unmarshal " + jsonType(v) + " into Go struct field .cniVersion "
                    + "of type string\"";
            r.report("CNI011", doc, "/cniVersion", "\"cniVersion\" must be a string: " + err + "; write \""
                    + completed(v.asText()) + "\"");
        } else if (!SEMVER.matcher(v.asText()).matches()) {
            r.report("CNI011", doc, "/cniVersion", "cniVersion \"" + v.asText() + "\" is not a semantic version "
                    + "(MAJOR.MINOR.PATCH): plugins compare versions as strings and fail with \"incompatible CNI "
                    + "versions\"; write \"" + completed(v.asText()) + "\"");
        } else if (!KNOWN.contains(v.asText())) {
            r.report("CNI012", doc, "/cniVersion", "cniVersion \"" + v.asText() + "\" is not a CNI spec version "
                    + "(known: " + String.join(", ", KNOWN) + "): every plugin fails with \"incompatible CNI "
                    + "versions\"; use " + nearestKnown(v.asText()));
        } else {
            version = v.asText();
        }

        String highest = version;
        JsonNode vs = root.get("cniVersions");
        if (vs != null && !vs.isNull()) {
            if (!vs.isArray()) {
                r.report("CNI014", doc, "/cniVersions", "\"cniVersions\" must be an array of version strings: "
                        + "libcni rejects the list (\"error parsing configuration list: invalid type for "
                        + "cniVersions\"); write [\"1.0.0\", \"1.1.0\"]");
            } else {
                boolean listed = false;
                for (int i = 0; i < vs.size(); i++) {
                    JsonNode e = vs.get(i);
                    String p = "/cniVersions/" + i;
                    if (!e.isTextual()) {
                        r.report("CNI014", doc, p, "cniVersions[" + i + "] " + e + " is not a string: libcni "
                                + "rejects the list (\"error parsing configuration list: invalid type for cniVersions "
                                + "index " + i + ": " + goType(e) + "\"); write \"" + completed(e.asText()) + "\"");
                    } else if (!SEMVER.matcher(e.asText()).matches()) {
                        r.report("CNI014", doc, p, "cniVersions[" + i + "] \"" + e.asText() + "\" is not a semantic "
                                + "version (MAJOR.MINOR.PATCH): libcni rejects or misreads it (\"invalid cniVersions "
                                + "entry " + e.asText() + " at index " + i + "\"); write \"" + completed(e.asText())
                                + "\"");
                    } else if (!KNOWN.contains(e.asText())) {
                        r.report("CNI014", doc, p, "cniVersions[" + i + "] \"" + e.asText() + "\" is not a CNI "
                                + "spec version (known: " + String.join(", ", KNOWN) + "); remove it");
                    } else {
                        listed |= e.asText().equals(version);
                        if (highest == null || compare(e.asText(), highest) > 0) {
                            highest = e.asText();
                        }
                    }
                }
                if (version != null && !listed) {
                    r.report("CNI015", doc, "/cniVersions", "\"cniVersions\" does not list cniVersion \"" + version
                            + "\": runtimes before CNI 1.1.0 use only cniVersion, newer ones pick the highest of both"
                            + ", so the two fields describe different configs; add \"" + version + "\" to "
                            + "cniVersions");
                }
            }
        }

        if (highest != null && highest.equals("1.1.0")) {
            String at = vs != null && vs.isArray() && (version == null || !version.equals("1.1.0"))
                    ? "/cniVersions" : "/cniVersion";
            r.report("CNI016", doc, at, "CNI spec 1.1.0 needs runtimes built with libcni >= v1.2.0 and plugins "
                    + ">= v1.6.0; older reference plugins fail with \"incompatible CNI versions\" (config is "
                    + "\"1.1.0\"); use \"1.0.0\" unless every node has them");
        }

        if (version != null) {
            for (CniConfig.Plugin pl : c.plugins()) {
                String min = MIN_VERSION.get(pl.type());
                if (min != null && compare(version, min) < 0) {
                    r.report("CNI013", doc, CniRules.anchor(doc, pl.pointer()), "plugin \"" + pl.type()
                            + "\" supports cniVersion " + min + " and newer, but the config says \"" + version
                            + "\": it fails with \"incompatible CNI versions\" (config is \"" + version + "\"); set "
                            + "cniVersion to \"" + min + "\" or newer (e.g. \"1.0.0\")");
                }
            }
        }

        if (c.list()) {
            for (CniConfig.Plugin pl : c.plugins()) {
                JsonNode pv = pl.node().get("cniVersion");
                if (pv != null && !pv.isNull() && (v == null || !pv.equals(v))) {
                    r.report("CNI017", doc, SourceDoc.child(pl.pointer(), "cniVersion"), "plugins[" + pl.index()
                            + "].cniVersion " + pv + " differs from the list's cniVersion " + (v == null ? "(none)"
                            : v.toString()) + ": the runtime overwrites it with the list's version, so it has no "
                            + "effect; remove it and set the version once at the top");
                }
            }
        }
    }

    /**
     * Compares two versions of the form MAJOR.MINOR.PATCH numerically (pre-release and build suffixes ignored).
     *
     * @throws IllegalArgumentException if either is not of that form
     */
    static int compare(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] parts(String v) {
        Matcher m = SEMVER.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: " + v);
        }
        return new int[] {number(m.group(1)), number(m.group(2)), number(m.group(3))};
    }

    private static int number(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /** {@code "1.0"} becomes {@code "1.0.0"}, {@code "1"} becomes {@code "1.0.0"}; other text "1.0.0". */
    private static String completed(String s) {
        String t = s.strip().replaceFirst("^[vV]", "");
        if (t.matches("\\d+")) {
            t = t + ".0.0";
        } else if (t.matches("\\d+\\.\\d+")) {
            t = t + ".0";
        }
        return SEMVER.matcher(t).matches() && KNOWN.contains(t) ? t : "1.0.0";
    }

    private static String nearestKnown(String v) {
        String best = KNOWN.get(0);
        for (String k : KNOWN) {
            if (compare(k, v) <= 0) {
                best = k;
            }
        }
        return "\"" + best + "\"";
    }

    /** The Go {@code %T} of a value decoded into {@code interface{}} by encoding/json. */
    private static String goType(JsonNode v) {
        if (v.isNumber()) {
            return "float64";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "[]interface {}";
        }
        if (v.isObject()) {
            return "map[string]interface {}";
        }
        return v.isNull() ? "<nil>" : "string";
    }

    private static String jsonType(JsonNode v) {
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : "value";
    }
}
