package dev.podnet.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Severity;
import dev.podnet.lint.RuleRegistry;
import dev.podnet.lint.RuleInfo;
import dev.podnet.source.SourceDoc;
import dev.podnet.text.DidYouMean;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates and converts the value tree of a project file into a {@link ProjectConfig}; see that class for the
 * shape and {@code podnet/rules/config.yaml} for the rules (CFG001..CFG012). Each invalid entry yields one
 * finding and is left out; the rest of the file still applies.
 */
final class ProjectConfigParser {
    /** Top-level keys. */
    static final List<String> TOP = List.of("rules", "include", "exclude", "exemptions", "cluster");
    /** Keys of an exemption. */
    static final List<String> EXEMPTION = List.of("file", "rules", "reason");
    /** Keys of {@code cluster}. */
    static final List<String> CLUSTER = List.of("podCIDR", "serviceCIDR", "dns", "policyEnforcement",
            "kubernetesVersion", "ipBlockMatchesPodIPs");
    /** Keys of {@code cluster.dns}. */
    static final List<String> DNS = List.of("namespace", "service");
    /** Words a rule setting may be. */
    static final List<String> SETTINGS = List.of("on", "off", "error", "warning", "info", "hint");

    /** RFC 1123 label, as Kubernetes validates namespace and Service names (IsDNS1123Label / IsDNS1035Label). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(\\.\\d+)?");
    private static final Pattern CIDR_SHAPE = Pattern.compile("[0-9A-Fa-f:.]+/\\d{1,3}");

    private final JsonNode root;
    private final Path file;
    private final List<ProjectConfig.Finding> findings = new ArrayList<>();
    private final RuleRegistry registry = RuleRegistry.get();

    ProjectConfigParser(JsonNode root, Path file) {
        this.root = root;
        this.file = file;
    }

    ProjectConfig.Parsed parse() {
        Map<String, ProjectConfig.RuleSetting> rules = new LinkedHashMap<>();
        List<Glob> include = new ArrayList<>();
        List<Glob> exclude = new ArrayList<>();
        List<ProjectConfig.Exemption> exemptions = new ArrayList<>();
        ClusterFacts cluster = ClusterFacts.UNKNOWN;
        if (root == null || root.isMissingNode() || root.isNull()) {
            return result(rules, include, exclude, exemptions, cluster);
        }
        if (!root.isObject()) {
            value("CFG002", "", "the project file must be a mapping with the keys " + String.join(", ", TOP)
                    + "; found " + kind(root));
            return result(rules, include, exclude, exemptions, cluster);
        }
        unknownKeys(root, "", TOP, "top-level key");
        JsonNode r = root.get("rules");
        if (r != null && !r.isNull() && expect(r, "/rules", "a mapping of rule id to on|off|error|warning|info|hint",
                JsonNode::isObject)) {
            r.fields().forEachRemaining(e -> rule(e.getKey(), e.getValue(), rules));
        }
        globs("include", include);
        globs("exclude", exclude);
        JsonNode ex = root.get("exemptions");
        if (ex != null && !ex.isNull() && expect(ex, "/exemptions", "a list of {file, rules, reason}",
                JsonNode::isArray)) {
            for (int i = 0; i < ex.size(); i++) {
                exemption(ex.get(i), "/exemptions/" + i, exemptions);
            }
        }
        JsonNode c = root.get("cluster");
        if (c != null && !c.isNull() && expect(c, "/cluster", "a mapping of cluster facts", JsonNode::isObject)) {
            cluster = cluster(c);
        }
        return result(rules, include, exclude, exemptions, cluster);
    }

    private ProjectConfig.Parsed result(Map<String, ProjectConfig.RuleSetting> rules, List<Glob> include,
                                        List<Glob> exclude, List<ProjectConfig.Exemption> exemptions,
                                        ClusterFacts cluster) {
        Path abs = file == null ? null : file.toAbsolutePath().normalize();
        return new ProjectConfig.Parsed(new ProjectConfig(abs, rules, include, exclude, exemptions, cluster),
                List.copyOf(findings));
    }

    private void rule(String id, JsonNode v, Map<String, ProjectConfig.RuleSetting> rules) {
        String ptr = SourceDoc.child("/rules", id);
        String known = ruleId(id, ptr, true);
        ProjectConfig.RuleSetting s = setting(v);
        if (s == null) {
            value("CFG004", ptr, "rules." + id + ": '" + v.asText(v.toString()) + "' is not a rule setting; use one "
                    + "of on, off, error, warning, info, hint" + (v.isTextual()
                    ? didYouMean(v.asText(), SETTINGS) : ""));
            return;
        }
        if (known != null) {
            rules.put(known, s);
        }
    }

    private static ProjectConfig.RuleSetting setting(JsonNode v) {
        if (v.isBoolean()) {
            return new ProjectConfig.RuleSetting(v.asBoolean(), null);
        }
        if (!v.isTextual()) {
            return null;
        }
        String w = v.asText().trim().toLowerCase(Locale.ROOT);
        return switch (w) {
            case "on" -> new ProjectConfig.RuleSetting(true, null);
            case "off" -> new ProjectConfig.RuleSetting(false, null);
            case "error", "warning", "info", "hint" -> new ProjectConfig.RuleSetting(true, Severity.parse(w));
            default -> null;
        };
    }

    /** The canonical id if the rule exists; reports CFG003 (on the key or the value) otherwise. */
    private String ruleId(String id, String ptr, boolean onKey) {
        if (registry.find(id).isPresent()) {
            return id.toUpperCase(Locale.ROOT);
        }
        List<String> ids = registry.all().stream().map(RuleInfo::id).toList();
        findings.add(new ProjectConfig.Finding("CFG003", ptr, onKey, "unknown rule id '" + id + "'"
                + didYouMean(id, ids) + " ('podnet rules' lists them all)"));
        return null;
    }

    private void globs(String key, List<Glob> out) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull() || !expect(n, "/" + key, "a list of globs", JsonNode::isArray)) {
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            Glob g = glob(n.get(i), "/" + key + "/" + i, key);
            if (g != null) {
                out.add(g);
            }
        }
    }

    private Glob glob(JsonNode n, String ptr, String what) {
        if (!expect(n, ptr, "a glob string", JsonNode::isTextual)) {
            return null;
        }
        try {
            return Glob.compile(n.asText());
        } catch (IllegalArgumentException e) {
            value("CFG005", ptr, what + ": invalid glob '" + n.asText() + "': " + e.getMessage());
            return null;
        }
    }

    private void exemption(JsonNode e, String ptr, List<ProjectConfig.Exemption> out) {
        if (!expect(e, ptr, "a mapping {file, rules, reason}", JsonNode::isObject)) {
            return;
        }
        unknownKeys(e, ptr, EXEMPTION, "exemption key");
        Glob g = null;
        JsonNode f = e.get("file");
        if (f == null) {
            value("CFG007", ptr, "exemption without 'file': add the glob of the files it applies to");
        } else {
            g = glob(f, ptr + "/file", "exemptions.file");
        }
        Set<String> ids = new LinkedHashSet<>();
        JsonNode rs = e.get("rules");
        boolean rulesOk = false;
        if (rs == null || (rs.isArray() && rs.isEmpty())) {
            value("CFG007", rs == null ? ptr : ptr + "/rules", "exemption without rule ids: list the rules to "
                    + "switch off for '" + (f == null ? "?" : f.asText()) + "' in 'rules'");
        } else if (expect(rs, ptr + "/rules", "a list of rule ids", JsonNode::isArray)) {
            rulesOk = true;
            for (int i = 0; i < rs.size(); i++) {
                JsonNode id = rs.get(i);
                if (expect(id, ptr + "/rules/" + i, "a rule id string", JsonNode::isTextual)) {
                    String known = ruleId(id.asText(), ptr + "/rules/" + i, false);
                    if (known != null) {
                        ids.add(known);
                    }
                }
            }
        }
        JsonNode reason = e.get("reason");
        if (reason == null || (reason.isTextual() && reason.asText().isBlank())) {
            value("CFG006", reason == null ? ptr : ptr + "/reason", "exemption"
                    + (f == null ? "" : " for '" + f.asText() + "'") + " has no 'reason': say why the rule does not "
                    + "apply, so a reviewer can judge it later");
        } else {
            expect(reason, ptr + "/reason", "a string", JsonNode::isTextual);
        }
        if (g != null && rulesOk && !ids.isEmpty()) {
            out.add(new ProjectConfig.Exemption(g, ids, reason == null ? "" : reason.asText("")));
        }
    }

    private ClusterFacts cluster(JsonNode c) {
        unknownKeys(c, "/cluster", CLUSTER, "cluster key");
        List<IPAddress> pods = cidrs(c.get("podCIDR"), "/cluster/podCIDR", "podCIDR");
        List<IPAddress> services = cidrs(c.get("serviceCIDR"), "/cluster/serviceCIDR", "serviceCIDR");
        for (IPAddress s : services) {
            for (IPAddress p : pods) {
                if (s.getIPVersion() == p.getIPVersion() && s.toPrefixBlock().overlaps(p.toPrefixBlock())) {
                    value("CFG010", "/cluster/serviceCIDR", "serviceCIDR " + s.toPrefixBlock() + " overlaps podCIDR "
                            + p.toPrefixBlock() + ": Service IPs would be routed as pod IPs; use disjoint ranges "
                            + "(e.g. 10.96.0.0/12 for Services, 10.244.0.0/16 for pods)");
                }
            }
        }
        ClusterFacts.Dns dns = ClusterFacts.Dns.DEFAULT;
        JsonNode d = c.get("dns");
        if (d != null && !d.isNull() && expect(d, "/cluster/dns", "a mapping {namespace, service}",
                JsonNode::isObject)) {
            unknownKeys(d, "/cluster/dns", DNS, "cluster.dns key");
            String ns = label(d.get("namespace"), "/cluster/dns/namespace", "namespace", dns.namespace());
            String svc = label(d.get("service"), "/cluster/dns/service", "service", dns.service());
            dns = new ClusterFacts.Dns(ns, svc);
        }
        String enforcement = null;
        JsonNode pe = c.get("policyEnforcement");
        if (pe != null && !pe.isNull() && expect(pe, "/cluster/policyEnforcement",
                "the name of what enforces NetworkPolicy (calico, cilium, ...) or none", JsonNode::isTextual)) {
            if (pe.asText().isBlank()) {
                value("CFG002", "/cluster/policyEnforcement", "cluster.policyEnforcement is empty: name what "
                        + "enforces NetworkPolicy (calico, cilium, ...) or write none");
            } else {
                enforcement = pe.asText().trim().toLowerCase(Locale.ROOT);
            }
        }
        String version = version(c.get("kubernetesVersion"));
        Boolean ipBlock = null;
        JsonNode ib = c.get("ipBlockMatchesPodIPs");
        if (ib != null && !ib.isNull() && expect(ib, "/cluster/ipBlockMatchesPodIPs", "true or false",
                JsonNode::isBoolean)) {
            ipBlock = ib.asBoolean();
        }
        return new ClusterFacts(pods, services, dns, enforcement, version,
                ipBlock != null ? ipBlock : !"cilium".equals(enforcement));
    }

    /**
     * The cluster facts of a {@code cluster:} object alone (the findings about it are the project file's own and
     * are dropped here); {@link ClusterFacts#UNKNOWN} for a null or non-object node.
     */
    static ClusterFacts clusterFacts(JsonNode cluster) {
        if (cluster == null || !cluster.isObject()) {
            return ClusterFacts.UNKNOWN;
        }
        return new ProjectConfigParser(null, null).cluster(cluster);
    }

    private List<IPAddress> cidrs(JsonNode n, String ptr, String key) {
        List<IPAddress> out = new ArrayList<>();
        if (n == null || n.isNull() || !expect(n, ptr, "a CIDR string such as 10.244.0.0/16", JsonNode::isTextual)) {
            return out;
        }
        String[] parts = n.asText().split(",", -1);
        if (parts.length > 2) {
            value("CFG008", ptr, "cluster." + key + ": " + parts.length + " ranges given; a cluster has one range, or "
                    + "two for dual-stack (one IPv4 and one IPv6, comma-separated)");
            return out;
        }
        for (String part : parts) {
            String s = part.trim();
            IPAddressString str = new IPAddressString(s);
            IPAddress a = CIDR_SHAPE.matcher(s).matches() && str.isValid() && str.isPrefixed() ? str.getAddress() : null;
            if (a == null) {
                value("CFG008", ptr, "cluster." + key + ": '" + s + "' is not a CIDR; write ADDRESS/PREFIX such as "
                        + (key.equals("podCIDR") ? "10.244.0.0/16" : "10.96.0.0/12")
                        + " (two comma-separated CIDRs for dual-stack)");
                continue;
            }
            if (!a.equals(a.toPrefixBlock())) {
                value("CFG009", ptr, "cluster." + key + ": '" + s + "' has host bits set; the range is "
                        + a.toPrefixBlock() + ": write that");
            }
            out.add(a.toPrefixBlock());
        }
        if (out.size() == 2 && out.get(0).getIPVersion() == out.get(1).getIPVersion()) {
            value("CFG008", ptr, "cluster." + key + ": two " + out.get(0).getIPVersion() + " ranges; a dual-stack "
                    + "cluster has one IPv4 and one IPv6 range");
            return List.of();
        }
        return out;
    }

    private String label(JsonNode n, String ptr, String key, String dflt) {
        if (n == null || n.isNull() || !expect(n, ptr, "a DNS label string", JsonNode::isTextual)) {
            return dflt;
        }
        String s = n.asText();
        if (s.length() > 63 || !DNS_LABEL.matcher(s).matches()) {
            value("CFG012", ptr, "cluster.dns." + key + ": '" + s + "' is not a valid Kubernetes name (RFC 1123 "
                    + "label: lower-case letters, digits and '-', at most 63); write e.g. "
                    + (key.equals("namespace") ? "kube-system" : "kube-dns"));
            return dflt;
        }
        return s;
    }

    private String version(JsonNode n) {
        String ptr = "/cluster/kubernetesVersion";
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            value("CFG011", ptr, "cluster.kubernetesVersion is written as a number, so YAML reads 1.30 as 1.3: quote "
                    + "it (kubernetesVersion: \"" + n.asText() + "\")");
            return null;
        }
        if (!expect(n, ptr, "a version string such as \"1.29\"", JsonNode::isTextual)) {
            return null;
        }
        var m = VERSION.matcher(n.asText().trim());
        if (!m.matches()) {
            value("CFG011", ptr, "cluster.kubernetesVersion '" + n.asText() + "' is not a Kubernetes version; write "
                    + "MAJOR.MINOR such as \"1.29\"");
            return null;
        }
        String v = n.asText().trim();
        return v.startsWith("v") ? v.substring(1) : v;
    }

    private void unknownKeys(JsonNode obj, String ptr, List<String> known, String what) {
        obj.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                findings.add(new ProjectConfig.Finding("CFG001", SourceDoc.child(ptr, k), true, "unknown " + what
                        + " '" + k + "'" + didYouMean(k, known) + "; known: " + String.join(", ", known)));
            }
        });
    }

    private boolean expect(JsonNode n, String ptr, String expected, java.util.function.Predicate<JsonNode> ok) {
        if (ok.test(n)) {
            return true;
        }
        value("CFG002", ptr, ptr.substring(1).replace('/', '.') + ": expected " + expected + ", found " + kind(n));
        return false;
    }

    private void value(String rule, String ptr, String message) {
        findings.add(new ProjectConfig.Finding(rule, ptr, false, message));
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "the string '" + n.asText() + "'";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + n;
    }

    /** The message suffix {@code "; did you mean 'x'?"} ({@link DidYouMean}), or {@code ""} when nothing is close. */
    private static String didYouMean(String unknown, List<String> known) {
        return DidYouMean.closest(unknown, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }
}
