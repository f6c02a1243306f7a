package dev.podnet.netpol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.SourceRef;
import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import dev.podnet.text.DidYouMean;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * API-server validation parity for {@code networking.k8s.io/v1} NetworkPolicy manifests (rule ids
 * {@code NP001}-{@code NP039}, documented in {@code podnet/rules/netpol-api.yaml}). It walks the raw document
 * tree ({@link SourceDoc}), not the fabric8 model, so positions are exact and a mistyped manifest is still
 * diagnosed field by field.
 *
 * <p>What is checked, after {@code pkg/apis/networking/validation} ({@code ValidateNetworkPolicy},
 * {@code ValidateNetworkPolicyPort}, {@code ValidateNetworkPolicyPeer}, {@code ValidateIPBlock}), apimachinery
 * {@code ValidateObjectMeta}, {@code ValidateLabelSelector} and {@code pkg/util/validation}: object name and
 * namespace syntax, labels and annotations, label selector keys, values and operators, policyTypes, port protocol,
 * number, name and endPort, empty peers, ipBlock next to a selector, CIDR syntax and strict {@code except}
 * subsets. On top of that it reports what the JSON decoder rejects or silently drops: unknown fields (with a
 * did-you-mean) and values of the wrong type, including YAML 1.1 booleans that kubectl reads differently.
 */
public final class NetworkPolicyValidation implements Check {
    /** A whole number written as a string ({@code port: "80"}); compiled once, tested on every string port. */
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?\\d+");

    static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    static final Set<String> META = Set.of("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
            "annotations", "ownerReferences", "finalizers", "managedFields");
    static final Set<String> SPEC = Set.of("podSelector", "ingress", "egress", "policyTypes");
    static final Set<String> INGRESS_RULE = Set.of("from", "ports");
    static final Set<String> EGRESS_RULE = Set.of("to", "ports");
    static final Set<String> PEER = Set.of("podSelector", "namespaceSelector", "ipBlock");
    static final Set<String> IPBLOCK = Set.of("cidr", "except");
    static final Set<String> PORT = Set.of("protocol", "port", "endPort");
    static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    static final Set<String> REQUIREMENT = Set.of("key", "operator", "values");
    static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
    static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    /** Plain scalars that YAML 1.1 (kubectl's sigs.k8s.io/yaml) reads as booleans while YAML 1.2 reads strings. */
    static final Set<String> YAML11_BOOLEANS = Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF");

    /** {@inheritDoc} Here: a walk of every policy. */
    @Override
    public int relativeCost() {
        return 2;
    }

    @Override
    public void run(Workspace ws, Reporter r) {
        for (SourceFile f : ws.files()) {
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() != DocKind.MANIFEST) {
                    continue;
                }
                r.checkCanceled();
                // The findings depend on the document alone: the language server replays them while it is unchanged.
                ws.memo().findingsPerDoc(FINDINGS, d.doc(), r, rec -> {
                    for (SourceRef ref : InventoryBuilder.objects(d.doc())) {
                        JsonNode obj = d.doc().at(ref.base());
                        if (isNetworkPolicy(obj)) {
                            new Walk(ref, rec).object(obj);
                        }
                    }
                });
            }
        }
    }

    private static final Workspace.Key<dev.podnet.lint.RecordedFindings> FINDINGS =
            new Workspace.Key<>("NetworkPolicy validation findings of a document");

    /**
     * True for a Kubernetes NetworkPolicy object: {@code kind} NetworkPolicy (any case) with an apiVersion of the
     * core, {@code extensions} or {@code networking.k8s.io} group; Calico's and Cilium's own NetworkPolicy kinds
     * (other API groups) are not.
     */
    static boolean isNetworkPolicy(JsonNode obj) {
        String kind = obj.path("kind").asText("");
        String api = obj.path("apiVersion").asText("");
        return kind.equalsIgnoreCase("NetworkPolicy") && (api.startsWith("networking.k8s.io/")
                || api.startsWith("extensions/") || api.equals("v1") || api.startsWith("networking/")
                || !obj.has("apiVersion"));
    }

    /** One object's walk. */
    private static final class Walk {
        private final SourceRef ref;
        private final SourceDoc doc;
        private final Reporter r;

        Walk(SourceRef ref, Reporter r) {
            this.ref = ref;
            this.doc = ref.doc();
            this.r = r;
        }

        private String p(String rel) {
            return ref.ptr(rel);
        }

        private void report(String rule, String rel, String msg) {
            r.report(rule, doc, p(rel), msg);
        }

        private void reportKey(String rule, String rel, String msg) {
            r.reportKey(rule, doc, p(rel), msg);
        }

        void object(JsonNode obj) {
            String api = obj.path("apiVersion").asText("");
            String kind = obj.path("kind").asText("");
            if (!obj.has("apiVersion")) {
                reportKey("NP020", "/kind", "apiVersion is missing, so the API server rejects the object; add "
                        + "apiVersion: networking.k8s.io/v1");
            } else if (!api.equals("networking.k8s.io/v1")) {
                report("NP020", "/apiVersion", "apiVersion " + api + " does not serve NetworkPolicy (removed in "
                        + "Kubernetes 1.16 for extensions/v1beta1; only networking.k8s.io/v1 exists); write "
                        + "apiVersion: networking.k8s.io/v1");
            }
            if (!kind.equals("NetworkPolicy")) {
                report("NP020", "/kind", "kind " + kind + " is not a known kind (kinds are case-sensitive); write "
                        + "kind: NetworkPolicy");
            }
            fields("", obj, TOP, "NetworkPolicy");
            JsonNode meta = obj.get("metadata");
            if (meta == null || meta.isNull()) {
                report("NP001", "", "metadata.name is required; add metadata: {name: <policy name>}");
            } else if (expect(meta, "/metadata", Shape.OBJECT)) {
                metadata(meta);
            }
            JsonNode spec = obj.get("spec");
            if (spec != null && !spec.isNull() && expect(spec, "/spec", Shape.OBJECT)) {
                spec(spec);
            }
        }

        private void metadata(JsonNode meta) {
            fields("/metadata", meta, META, "metadata");
            JsonNode name = meta.get("name");
            JsonNode gen = meta.get("generateName");
            boolean hasName = name != null && !name.isNull() && !name.asText("").isEmpty();
            boolean hasGen = gen != null && !gen.isNull() && !gen.asText("").isEmpty();
            if (!hasName && !hasGen) {
                reportKey("NP001", "/metadata/name", "metadata.name is required; give the policy a name (lower-case "
                        + "letters, digits, '-' and '.')");
            }
            if (name != null && !name.isNull() && expect(name, "/metadata/name", Shape.STRING) && hasName) {
                List<String> errs = K8sNames.dns1123Subdomain(name.asText());
                if (!errs.isEmpty()) {
                    report("NP001", "/metadata/name", "metadata.name \"" + name.asText() + "\" is not a valid name: "
                            + errs.get(0) + "; try \"" + suggestName(name.asText()) + "\"");
                }
            }
            if (gen != null && !gen.isNull() && expect(gen, "/metadata/generateName", Shape.STRING) && hasGen) {
                String g = gen.asText();
                String masked = g.endsWith("-") ? g.substring(0, g.length() - 1) + "a" : g;
                List<String> errs = K8sNames.dns1123Subdomain(masked);
                if (!errs.isEmpty()) {
                    report("NP001", "/metadata/generateName", "metadata.generateName \"" + g + "\" is not a valid "
                            + "name prefix: " + errs.get(0));
                }
            }
            JsonNode ns = meta.get("namespace");
            if (ns != null && !ns.isNull() && expect(ns, "/metadata/namespace", Shape.STRING)
                    && !ns.asText().isEmpty()) {
                List<String> errs = K8sNames.dns1123Label(ns.asText());
                if (!errs.isEmpty()) {
                    report("NP002", "/metadata/namespace", "metadata.namespace \"" + ns.asText() + "\" is not a valid "
                            + "namespace name: " + errs.get(0) + "; try \"" + suggestLabel(ns.asText()) + "\"");
                }
            }
            JsonNode labels = meta.get("labels");
            if (labels != null && !labels.isNull() && expect(labels, "/metadata/labels", Shape.OBJECT)) {
                labelMap("/metadata/labels", labels, "metadata.labels");
            }
            JsonNode ann = meta.get("annotations");
            if (ann != null && !ann.isNull() && expect(ann, "/metadata/annotations", Shape.OBJECT)) {
                long size = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = ann.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String kp = "/metadata/annotations/" + esc(e.getKey());
                    List<String> errs = K8sNames.qualifiedName(e.getKey().toLowerCase(Locale.ROOT));
                    if (!errs.isEmpty()) {
                        reportKey("NP021", kp, "annotation key \"" + e.getKey() + "\" is invalid: " + errs.get(0));
                    }
                    JsonNode v = e.getValue();
                    if (v != null && !v.isNull() && !v.isTextual()) {
                        report("NP019", kp, "annotation \"" + e.getKey() + "\" has a " + typeName(v) + " value; "
                                + "annotation values are strings: quote it (\"" + LabelValidation.written(doc,
                                p(kp), v) + "\")");
                    }
                    size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                            + (v == null ? 0 : v.asText("").getBytes(StandardCharsets.UTF_8).length);
                }
                if (size > 256 * 1024) {
                    reportKey("NP021", "/metadata/annotations", "metadata.annotations total " + size + " bytes; the "
                            + "API server allows at most 262144; move large data elsewhere");
                }
            }
        }

        private void spec(JsonNode spec) {
            fields("/spec", spec, SPEC, "spec");
            JsonNode ps = spec.get("podSelector");
            if (ps != null && !ps.isNull()) {
                selector("/spec/podSelector", ps, "spec.podSelector");
            }
            rules(spec, "ingress", "from", INGRESS_RULE);
            rules(spec, "egress", "to", EGRESS_RULE);
            JsonNode pt = spec.get("policyTypes");
            if (pt != null && !pt.isNull() && expect(pt, "/spec/policyTypes", Shape.ARRAY)) {
                if (pt.size() > 2) {
                    reportKey("NP007", "/spec/policyTypes", "spec.policyTypes has " + pt.size() + " entries; the API "
                            + "allows at most two (Ingress and Egress): remove the extra entries");
                }
                for (int i = 0; i < pt.size(); i++) {
                    JsonNode t = pt.get(i);
                    String tp = "/spec/policyTypes/" + i;
                    if (!expect(t, tp, Shape.STRING)) {
                        continue;
                    }
                    if (!POLICY_TYPES.contains(t.asText())) {
                        String s = DidYouMean.closest(t.asText(), POLICY_TYPES).orElse(null);
                        report("NP007", tp, "policyTypes entry \"" + t.asText() + "\" is not supported: use Ingress "
                                + "or Egress" + (s == null ? "" : " (did you mean " + s + "?)"));
                    }
                }
            }
        }

        private void rules(JsonNode spec, String dir, String peers, Set<String> known) {
            JsonNode list = spec.get(dir);
            String lp = "/spec/" + dir;
            if (list == null || list.isNull() || !expect(list, lp, Shape.ARRAY)) {
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode rule = list.get(i);
                String rp = lp + "/" + i;
                if (rule.isNull() || !expect(rule, rp, Shape.OBJECT)) {
                    continue;
                }
                fields(rp, rule, known, dir + " rule");
                JsonNode ports = rule.get("ports");
                if (ports != null && !ports.isNull() && expect(ports, rp + "/ports", Shape.ARRAY)) {
                    for (int j = 0; j < ports.size(); j++) {
                        JsonNode port = ports.get(j);
                        String pp = rp + "/ports/" + j;
                        if (!port.isNull() && expect(port, pp, Shape.OBJECT)) {
                            port(pp, port);
                        }
                    }
                }
                JsonNode ps = rule.get(peers);
                if (ps != null && !ps.isNull() && expect(ps, rp + "/" + peers, Shape.ARRAY)) {
                    for (int j = 0; j < ps.size(); j++) {
                        peer(rp + "/" + peers + "/" + j, ps.get(j), dir, peers);
                    }
                }
            }
        }

        private void port(String pp, JsonNode port) {
            fields(pp, port, PORT, "port");
            JsonNode proto = port.get("protocol");
            if (proto != null && proto.isNumber()) {
                // an IP protocol number (6, 17): quoting it would only make it an unsupported protocol name
                report("NP019", pp + "/protocol", "protocol must be a string but is a number (" + proto.asText()
                        + "); the API rejects the manifest and accepts only the names TCP, UDP or SCTP: write "
                        + "protocol: " + switch (proto.asText()) {
                            case "17" -> "UDP";
                            case "132" -> "SCTP";
                            default -> "TCP";
                        });
            } else if (proto != null && !proto.isNull() && expect(proto, pp + "/protocol", Shape.STRING)
                    && !PROTOCOLS.contains(proto.asText())) {
                String s = DidYouMean.closest(proto.asText(), PROTOCOLS).orElse(null);
                report("NP008", pp + "/protocol", "protocol \"" + proto.asText() + "\" is not supported: use TCP, UDP "
                        + "or SCTP" + (s == null ? (proto.asText().equalsIgnoreCase("ICMP")
                        ? " (NetworkPolicy cannot filter ICMP)" : "") : " (did you mean " + s + "?)"));
            }
            JsonNode pv = port.get("port");
            JsonNode ep = port.get("endPort");
            boolean epSet = ep != null && !ep.isNull();
            Long epVal = null;
            if (epSet && expect(ep, pp + "/endPort", Shape.INT32)) {
                epVal = ep.asLong();
            }
            if (pv == null || pv.isNull()) {
                if (epSet) {
                    reportKey("NP012", pp + "/endPort", "endPort may not be specified when port is not specified; "
                            + "add port: <first port of the range> or remove endPort");
                }
                return;
            }
            if (pv.isIntegralNumber()) {
                if (!fitsInt32(pv)) {
                    report("NP019", pp + "/port", "port " + pv.asText() + " does not fit a 32-bit integer; use a "
                            + "port number between 1 and 65535");
                    return;
                }
                long n = pv.asLong();
                if (n < 1 || n > 65535) {
                    report("NP009", pp + "/port", "port " + n + " is out of range: must be between 1 and 65535, "
                            + "inclusive");
                }
                if (epVal != null) {
                    if (epVal < n) {
                        report("NP012", pp + "/endPort", "endPort " + epVal + " is smaller than port " + n + ": must "
                                + "be greater than or equal to port; swap the two values");
                    }
                    if (epVal < 1 || epVal > 65535) {
                        report("NP012", pp + "/endPort", "endPort " + epVal + " is out of range: must be between 1 "
                                + "and 65535, inclusive");
                    }
                }
            } else if (pv.isTextual()) {
                String s = pv.asText();
                if (INTEGER.matcher(s).matches()) {
                    report("NP011", pp + "/port", "port \"" + s + "\" is quoted, so the API reads it as a port name "
                            + "and rejects it (a name needs a letter); write port: " + s + " without quotes");
                } else {
                    List<String> errs = K8sNames.portName(s);
                    if (!errs.isEmpty()) {
                        report("NP010", pp + "/port", "port name \"" + s + "\" is invalid: " + errs.get(0)
                                + "; use the container port's name (e.g. http) or its number");
                    }
                }
                if (epSet) {
                    reportKey("NP012", pp + "/endPort", "endPort may not be specified when port is non-numeric; "
                            + "use a numeric port to start the range, or remove endPort");
                }
            } else {
                report("NP019", pp + "/port", "port has a " + typeName(pv) + " value; write a port number (80) or "
                        + "a port name (http)");
            }
        }

        private void peer(String pp, JsonNode peer, String dir, String peers) {
            if (peer.isNull() || (peer.isObject() && peer.isEmpty())) {
                report("NP013", pp, dir + "." + peers + " entry sets no field: must specify a peer "
                        + "(podSelector, namespaceSelector or ipBlock); remove the empty '-' item or fill it in");
                return;
            }
            if (!expect(peer, pp, Shape.OBJECT)) {
                return;
            }
            fields(pp, peer, PEER, "peer");
            int n = 0;
            boolean ip = false;
            JsonNode ps = peer.get("podSelector");
            if (ps != null && !ps.isNull()) {
                n++;
                selector(pp + "/podSelector", ps, "podSelector");
            }
            JsonNode ns = peer.get("namespaceSelector");
            if (ns != null && !ns.isNull()) {
                n++;
                selector(pp + "/namespaceSelector", ns, "namespaceSelector");
            }
            JsonNode ib = peer.get("ipBlock");
            if (ib != null && !ib.isNull()) {
                n++;
                ip = true;
                if (expect(ib, pp + "/ipBlock", Shape.OBJECT)) {
                    ipBlock(pp + "/ipBlock", ib);
                }
            }
            if (n == 0) {
                String nulled = null;
                for (String k : List.of("podSelector", "namespaceSelector", "ipBlock")) {
                    if (peer.has(k) && nulled == null) {
                        nulled = k;
                    }
                }
                if (nulled != null) {
                    reportKey("NP013", pp + "/" + nulled, nulled + " has no value, so the API sees a peer with no "
                            + "field set and rejects it (must specify a peer); write " + nulled + ": {} to match all");
                } else {
                    report("NP013", pp, dir + "." + peers + " entry sets none of podSelector, namespaceSelector or "
                            + "ipBlock: must specify a peer");
                }
            } else if (n > 1 && ip) {
                reportKey("NP014", pp + "/ipBlock", "ipBlock may not be combined with podSelector or "
                        + "namespaceSelector in one peer; make it a separate '-' item of " + peers);
            }
        }

        private void ipBlock(String bp, JsonNode ib) {
            fields(bp, ib, IPBLOCK, "ipBlock");
            JsonNode cidr = ib.get("cidr");
            if (cidr == null || cidr.isNull() || (cidr.isTextual() && cidr.asText().isEmpty())) {
                reportKey("NP015", bp + "/cidr", "ipBlock.cidr is required; add cidr: <address>/<prefix length>");
                return;
            }
            if (!expect(cidr, bp + "/cidr", Shape.STRING)) {
                return;
            }
            Cidrs.Parsed block = Cidrs.parse(cidr.asText());
            if (block == null) {
                report("NP015", bp + "/cidr", "ipBlock.cidr \"" + cidr.asText() + "\" must be a valid CIDR value "
                        + "(e.g. 10.9.8.0/24 or 2001:db8::/64)" + (Cidrs.ip(cidr.asText()) != null
                        ? "; add the prefix length, e.g. " + cidr.asText() + (cidr.asText().contains(":") ? "/128"
                        : "/32") : ""));
            } else {
                for (String w : block.warnings()) {
                    report("NP017", bp + "/cidr", "ipBlock.cidr \"" + cidr.asText() + "\" " + w + "; write "
                            + block.canonical());
                }
            }
            JsonNode ex = ib.get("except");
            if (ex == null || ex.isNull() || !expect(ex, bp + "/except", Shape.ARRAY)) {
                return;
            }
            for (int i = 0; i < ex.size(); i++) {
                JsonNode e = ex.get(i);
                String ep = bp + "/except/" + i;
                if (!expect(e, ep, Shape.STRING)) {
                    continue;
                }
                Cidrs.Parsed eb = Cidrs.parse(e.asText());
                if (eb == null) {
                    report("NP016", ep, "except entry \"" + e.asText() + "\" must be a valid CIDR value (e.g. "
                            + "10.9.8.0/24)");
                    continue;
                }
                for (String w : eb.warnings()) {
                    report("NP017", ep, "except entry \"" + e.asText() + "\" " + w + "; write " + eb.canonical());
                }
                if (block == null) {
                    continue;
                }
                IPAddress b = block.block();
                IPAddress x = eb.block();
                boolean inside = b.getIPVersion() == x.getIPVersion() && b.contains(x.getLower());
                if (!inside || x.getNetworkPrefixLength() <= b.getNetworkPrefixLength()) {
                    report("NP016", ep, "except entry " + e.asText() + " must be a strict subset of cidr "
                            + cidr.asText() + (inside ? " (it is the whole block; remove the peer or narrow the "
                            + "except)" : " (it lies outside; remove it or widen the cidr)"));
                }
            }
        }

        private void selector(String sp, JsonNode sel, String what) {
            if (!expect(sel, sp, Shape.OBJECT)) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = sel.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (SELECTOR.contains(e.getKey())) {
                    continue;
                }
                String k = e.getKey();
                String s = DidYouMean.closest(k, SELECTOR).orElse(null);
                String fp = sp + "/" + esc(k);
                if (s != null) {
                    reportKey("NP018", fp, what + " has unknown field \"" + k + "\" (did you mean " + s + "?); the API "
                            + "drops it (or rejects it with strict field validation)");
                } else if (e.getValue() != null && e.getValue().isValueNode()) {
                    reportKey("NP018", fp, what + " has unknown field \"" + k + "\": labels go under matchLabels ("
                            + what + ": {matchLabels: {" + k + ": " + e.getValue().asText() + "}}); as written the API "
                            + "drops the field and the selector selects every pod");
                } else {
                    reportKey("NP018", fp, what + " has unknown field \"" + k + "\"; a label selector has only "
                            + "matchLabels and matchExpressions");
                }
            }
            JsonNode ml = sel.get("matchLabels");
            if (ml != null && !ml.isNull() && expect(ml, sp + "/matchLabels", Shape.OBJECT)) {
                labelMap(sp + "/matchLabels", ml, what + ".matchLabels");
            }
            JsonNode me = sel.get("matchExpressions");
            if (me == null || me.isNull() || !expect(me, sp + "/matchExpressions", Shape.ARRAY)) {
                return;
            }
            for (int i = 0; i < me.size(); i++) {
                JsonNode req = me.get(i);
                String rp = sp + "/matchExpressions/" + i;
                if (!expect(req, rp, Shape.OBJECT)) {
                    continue;
                }
                fields(rp, req, REQUIREMENT, "matchExpressions entry");
                JsonNode key = req.get("key");
                if (key == null || key.isNull()) {
                    reportKey("NP003", rp + "/key", "matchExpressions entry has no key; add key: <label key>");
                } else if (expect(key, rp + "/key", Shape.STRING)) {
                    List<String> errs = K8sNames.qualifiedName(key.asText());
                    if (!errs.isEmpty()) {
                        report("NP003", rp + "/key", "label key \"" + key.asText() + "\" is invalid: " + errs.get(0));
                    }
                }
                JsonNode op = req.get("operator");
                String opText = null;
                if (op == null || op.isNull()) {
                    reportKey("NP005", rp + "/operator", "matchExpressions entry has no operator; add operator: In, "
                            + "NotIn, Exists or DoesNotExist");
                } else if (expect(op, rp + "/operator", Shape.STRING)) {
                    opText = op.asText();
                    if (!OPERATORS.contains(opText)) {
                        String s = operatorHint(opText);
                        report("NP005", rp + "/operator", "operator \"" + opText + "\" is not supported: use In, NotIn, "
                                + "Exists or DoesNotExist" + (s == null ? "" : " (did you mean " + s + "?)"));
                        opText = null;
                    }
                }
                JsonNode vals = req.get("values");
                boolean hasVals = vals != null && !vals.isNull() && (!vals.isArray() || !vals.isEmpty());
                if (vals != null && !vals.isNull() && expect(vals, rp + "/values", Shape.ARRAY)) {
                    for (int j = 0; j < vals.size(); j++) {
                        labelValue(rp + "/values/" + j, vals.get(j), "matchExpressions value");
                    }
                }
                if (opText != null) {
                    if ((opText.equals("In") || opText.equals("NotIn")) && !hasVals) {
                        reportKey("NP006", vals == null ? rp + "/operator" : rp + "/values", "values must be "
                                + "specified when operator is " + opText + "; add values: [<value>, ...] (or use "
                                + "Exists)");
                    } else if ((opText.equals("Exists") || opText.equals("DoesNotExist")) && hasVals) {
                        reportKey("NP006", rp + "/values", "values may not be specified when operator is " + opText
                                + "; remove values (or use In/NotIn to compare values)");
                    }
                }
            }
        }

        private void labelMap(String mp, JsonNode map, String what) {
            LabelValidation.labelMap(doc, p(mp), map, what, LabelValidation.NETWORK_POLICY, this::sink);
        }

        private void labelValue(String vp, JsonNode v, String what) {
            LabelValidation.labelValue(doc, p(vp), v, what, LabelValidation.NETWORK_POLICY, this::sink);
        }

        private void sink(String rule, String pointer, boolean onKey, String message) {
            if (onKey) {
                r.reportKey(rule, doc, pointer, message);
            } else {
                r.report(rule, doc, pointer, message);
            }
        }

        /** Reports unknown fields of an object with a did-you-mean. */
        private void fields(String op, JsonNode obj, Set<String> known, String what) {
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (known.contains(k)) {
                    continue;
                }
                String hint = misplaced(what, k);
                String s = hint == null ? DidYouMean.closest(k, known).orElse(null) : null;
                reportKey("NP018", op + "/" + esc(k), what + " has unknown field \"" + k + "\""
                        + (hint != null ? "; " + hint : s != null ? " (did you mean " + s + "?)" : "")
                        + "; the API drops it (or rejects it with strict field validation)");
            }
        }

        /** Explains a field that belongs at another level (the usual indentation slips). */
        private static String misplaced(String what, String k) {
            switch (what) {
                case "spec":
                    if (k.equals("from") || k.equals("to") || k.equals("ports")) {
                        return k + " belongs inside an ingress or egress rule (a '-' item of spec.ingress/egress)";
                    }
                    if (k.equals("namespaceSelector")) {
                        return "a policy always applies to its own namespace; to select peers put namespaceSelector "
                                + "in a from/to item";
                    }
                    return null;
                case "ingress rule":
                    if (k.equals("to")) {
                        return "ingress rules use from (to is for egress rules)";
                    }
                    return ruleHint(k, "from");
                case "egress rule":
                    if (k.equals("from")) {
                        return "egress rules use to (from is for ingress rules)";
                    }
                    return ruleHint(k, "to");
                case "peer":
                    if (k.equals("cidr") || k.equals("except")) {
                        return k + " belongs under ipBlock: (ipBlock: {" + k + ": ...})";
                    }
                    if (k.equals("matchLabels") || k.equals("matchExpressions")) {
                        return k + " belongs under podSelector: or namespaceSelector:";
                    }
                    if (k.equals("namespace") || k.equals("namespaces")) {
                        return "no field selects a namespace by name: use namespaceSelector: {matchLabels: "
                                + "{kubernetes.io/metadata.name: <namespace>}}";
                    }
                    if (k.equals("ports") || k.equals("port")) {
                        return "ports belong to the rule, not the peer: outdent ports to the level of from/to";
                    }
                    return null;
                case "port":
                    if (k.equals("name")) {
                        return "a named port goes in port: (port: http)";
                    }
                    if (k.equals("targetPort") || k.equals("containerPort")) {
                        return "NetworkPolicy ports use port: (the pod's port number or name)";
                    }
                    return null;
                default:
                    return null;
            }
        }

        private static String ruleHint(String k, String peers) {
            if (k.equals("podSelector") || k.equals("namespaceSelector") || k.equals("ipBlock")) {
                return k + " belongs in a " + peers + " list item (" + peers + ": [{" + k + ": ...}])";
            }
            if (k.equals("port") || k.equals("protocol") || k.equals("endPort")) {
                return k + " belongs in a ports list item (ports: [{" + k + ": ...}])";
            }
            return null;
        }

        private static String operatorHint(String op) {
            String s = DidYouMean.closest(op, OPERATORS).orElse(null);
            if (s != null) {
                return s;
            }
            return switch (op.toLowerCase(Locale.ROOT)) {
                case "=", "==", "equals", "eq", "in" -> "In";
                case "!=", "notequals", "ne" -> "NotIn";
                case "notexists", "notexist", "doesnotexists", "absent" -> "DoesNotExist";
                case "exist", "present" -> "Exists";
                default -> null;
            };
        }

        /** Checks the JSON type; reports NP019 and returns false when it is wrong. */
        private boolean expect(JsonNode v, String ptr, Shape shape) {
            boolean ok = switch (shape) {
                case OBJECT -> v.isObject();
                case ARRAY -> v.isArray();
                case STRING -> v.isTextual();
                case INT32 -> v.isIntegralNumber() && fitsInt32(v);
            };
            if (!ok) {
                String field = ptr.isEmpty() ? "the object" : ptr.substring(ptr.lastIndexOf('/') + 1);
                if (field.matches("\\d+")) {
                    String parent = SourceDoc.parent(ptr);
                    field = parent.substring(parent.lastIndexOf('/') + 1) + "[" + field + "]";
                }
                String want = switch (shape) {
                    case OBJECT -> "an object (key: value lines)";
                    case ARRAY -> "a list ('-' items)";
                    case STRING -> "a string";
                    case INT32 -> "an integer";
                };
                String fix = shape == Shape.ARRAY && v.isObject() ? "; put a '-' before the first key to make it "
                        + "a list item" : shape == Shape.INT32 && v.isTextual() && v.asText().matches("\\d+")
                        ? "; remove the quotes" : shape == Shape.STRING && v.isValueNode() && !v.isNull()
                        ? "; quote it (\"" + LabelValidation.written(doc, p(ptr), v) + "\")" : "";
                if (shape == Shape.INT32 && v.isIntegralNumber()) {
                    report("NP019", ptr, field + " " + v.asText() + " does not fit a 32-bit integer; the API rejects "
                            + "the manifest; use a port number between 1 and 65535");
                    return false;
                }
                report("NP019", ptr, field + " must be " + want + " but is " + article(typeName(v)) + "; the API "
                        + "rejects the manifest" + fix);
            }
            return ok;
        }
    }

    enum Shape { OBJECT, ARRAY, STRING, INT32 }

    static boolean fitsInt32(JsonNode v) {
        if (!v.isIntegralNumber()) {
            return false;
        }
        BigInteger b = v.bigIntegerValue();
        return b.bitLength() < 32;
    }

    static String typeName(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isIntegralNumber()) {
            return "number";
        }
        if (v.isNumber()) {
            return "decimal number";
        }
        if (v.isArray()) {
            return "list";
        }
        if (v.isObject()) {
            return "object";
        }
        return "null";
    }

    private static String article(String t) {
        return (t.startsWith("o") ? "an " : "a ") + t;
    }

    private static String esc(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** A valid DNS-1123 subdomain built from an invalid name (lower-cased, bad characters replaced by '-'). */
    static String suggestName(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+", "")
                .replaceAll("[^a-z0-9]+$", "");
        if (s.length() > 253) {
            s = s.substring(0, 253).replaceAll("[^a-z0-9]+$", "");
        }
        return s.isEmpty() ? "my-policy" : s;
    }

    /** A valid DNS-1123 label built from an invalid one. */
    static String suggestLabel(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^[^a-z0-9]+", "")
                .replaceAll("[^a-z0-9]+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("[^a-z0-9]+$", "");
        }
        return s.isEmpty() ? "default" : s;
    }
}
