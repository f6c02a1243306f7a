package dev.podnet.fix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic.Edit;
import dev.podnet.diag.Diagnostic.Fix;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import dev.podnet.source.SourceText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mechanical fixes as text edits on a parsed document ({@link SourceDoc}: the value tree plus the key and value
 * range of every JSON pointer). A rule that knows the fix for its finding passes one of these to
 * {@link dev.podnet.lint.Reporter#report(String, SourceDoc, String, String, Fix)}; the language server offers it
 * as a quick fix ({@code dev.podnet.service.QuickFixes}).
 *
 * <p>Edits keep the document's style: YAML block collections get new lines at the indentation of their
 * siblings (sequence items as {@code "- "} at the column of the existing dashes), flow collections
 * ({@code [..]}, <code>{..}</code>, and so JSON) get members inserted before the closing bracket. Every helper
 * returns empty when the document is not shaped as it expects (the pointer is missing, a value has another
 * type, a merge would lose a key): a fix is either right or not offered.
 *
 * <p>All positions are zero-based UTF-16, in the coordinates of the text the document was parsed from.
 */
public final class Fixes {
    private Fixes() {
    }

    /**
     * Renames the key of the member at {@code pointer}, keeping its quoting ({@code "hairpinmode"} stays double
     * quoted, a plain YAML key stays plain).
     */
    public static Optional<Fix> renameKey(SourceDoc doc, String pointer, String newKey) {
        Range r = doc.keyRanges().get(pointer);
        if (r == null || newKey == null || newKey.isEmpty()) {
            return Optional.empty();
        }
        String old = doc.source().text(r);
        String q = old.startsWith("\"") ? "\"" : old.startsWith("'") ? "'" : "";
        String oldKey = unescape(pointer.substring(pointer.lastIndexOf('/') + 1));
        return Optional.of(new Fix("Rename \"" + oldKey + "\" to \"" + newKey + "\"",
                List.of(new Edit(r, q.equals("\"") ? jsonString(newKey) : q + newKey + q))));
    }

    /**
     * Adds the suppression annotation {@code ignore-check.podnet.dev/<rule>: "<reason>"} to the Kubernetes object
     * at {@code objectPointer} ({@code ""} for a top-level object): into {@code metadata.annotations} when it
     * exists, else as a new {@code annotations} map under {@code metadata}. Empty without {@code metadata}.
     */
    public static Optional<Fix> suppress(SourceDoc doc, String objectPointer, String rule, String reason) {
        String key = "ignore-check.podnet.dev/" + rule;
        String value = jsonString(reason);
        String title = "Suppress " + rule + " for this object (annotation " + key + ")";
        String meta = objectPointer + "/metadata";
        String ann = meta + "/annotations";
        if (!doc.at(meta).isObject()) {
            return Optional.empty();
        }
        if (doc.at(ann).isObject()) {
            return addMember(doc, ann, key, value).map(e -> new Fix(title, List.of(e)));
        }
        if (!doc.at(ann).isMissingNode()) {
            return Optional.empty(); // annotations: null or a scalar: left to the user
        }
        if (isFlow(doc, meta)) {
            return addMember(doc, meta, "annotations", "{" + jsonString(key) + ": " + value + "}")
                    .map(e -> new Fix(title, List.of(e)));
        }
        return addMember(doc, meta, "annotations", null,
                List.of(key + ": " + value)).map(e -> new Fix(title, List.of(e)));
    }

    /**
     * Adds {@code type} ({@code Egress} or {@code Ingress}) to {@code spec.policyTypes} of the NetworkPolicy at
     * {@code policyPointer}. Without {@code policyTypes} it is written as {@code [Ingress, <type>]} (Ingress is
     * what the API server defaults to; NetworkPolicySpec docs). Empty when the type is already listed.
     */
    public static Optional<Fix> addPolicyType(SourceDoc doc, String policyPointer, String type) {
        String spec = policyPointer + "/spec";
        String pt = spec + "/policyTypes";
        String title = "Add " + type + " to policyTypes";
        JsonNode types = doc.at(pt);
        if (types.isArray()) {
            for (JsonNode t : types) {
                if (type.equals(t.asText())) {
                    return Optional.empty();
                }
            }
            return appendItem(doc, pt, type).map(e -> new Fix(title, List.of(e)));
        }
        if (!types.isMissingNode() || !doc.at(spec).isObject()) {
            return Optional.empty();
        }
        List<String> list = type.equals("Ingress") ? List.of("Ingress") : List.of("Ingress", type);
        if (isFlow(doc, spec)) {
            List<String> q = list.stream().map(Fixes::jsonString).toList();
            return addMember(doc, spec, "policyTypes", "[" + String.join(", ", q) + "]")
                    .map(e -> new Fix(title, List.of(e)));
        }
        return addMember(doc, spec, "policyTypes", null, list.stream().map(t -> "- " + t).toList())
                .map(e -> new Fix(title, List.of(e)));
    }

    /**
     * Merges two peers of one {@code from}/{@code to} list into one peer (the members of {@code second} move into
     * {@code first}; {@code second} is deleted): two peers are ORed, the selectors of one peer are ANDed
     * (NetworkPolicyPeer docs). Only for block-style YAML peers with no key in common. The title names the
     * merged keys in alphabetical order: "Merge into one peer (namespaceSelector AND podSelector)".
     *
     * @param first  pointer of the peer that stays, e.g. {@code /spec/ingress/0/from/0}
     * @param second pointer of the peer that goes, a sibling of {@code first}
     */
    public static Optional<Fix> mergePeers(SourceDoc doc, String first, String second) {
        JsonNode a = doc.at(first);
        JsonNode b = doc.at(second);
        if (!a.isObject() || !b.isObject() || a.isEmpty() || b.isEmpty() || first.equals(second)
                || !SourceDoc.parent(first).equals(SourceDoc.parent(second))
                || isFlow(doc, first) || isFlow(doc, second)) {
            return Optional.empty();
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            if (a.has(it.next())) {
                return Optional.empty();
            }
        }
        SourceText src = doc.source();
        Range ra = doc.valueRanges().get(first);
        Range rb = doc.valueRanges().get(second);
        String dash = src.line(rb.startLine()).substring(0, rb.startChar());
        if (!dash.strip().equals("-")) {
            return Optional.empty();
        }
        int[] aEnd = contentEnd(doc, first);
        int[] bEnd = contentEnd(doc, second);
        // Whole lines move: a comment after the last value of either peer stays on its line.
        String moved = src.text().substring(src.offset(rb.startLine(), rb.startChar()),
                src.offset(bEnd[0], src.line(bEnd[0]).stripTrailing().length()));
        String reindented = reindent(moved, rb.startChar(), ra.startChar());
        int aLineEnd = src.line(aEnd[0]).stripTrailing().length();
        Edit insert = new Edit(Range.at(aEnd[0], aLineEnd), "\n" + " ".repeat(ra.startChar()) + reindented);
        Edit delete = new Edit(lines(src, rb.startLine(), bEnd[0]), "");
        List<Edit> edits = rb.startLine() > aEnd[0] ? List.of(insert, delete) : List.of(delete, insert);
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        return Optional.of(new Fix("Merge into one peer (" + String.join(" AND ", keys) + ")", edits));
    }

    /**
     * Adds an egress rule allowing DNS (UDP and TCP port 53) to the cluster DNS pods to the NetworkPolicy at
     * {@code policyPointer}: peer {@code namespaceSelector} {@code kubernetes.io/metadata.name: <dnsNamespace>}
     * AND {@code podSelector} {@code dnsPodLabels}. The rule is appended to {@code spec.egress}, or a new
     * {@code egress} list is created (block YAML only).
     *
     * @param dnsNamespace namespace of the DNS pods ({@code kube-system} by default, ClusterFacts)
     * @param dnsPodLabels labels of the DNS pods, e.g. {@code k8s-app: kube-dns} (set by both the kube-dns and the
     *                     CoreDNS add-on manifests)
     */
    public static Optional<Fix> addDnsEgressRule(SourceDoc doc, String policyPointer, String dnsNamespace,
                                                 Map<String, String> dnsPodLabels) {
        String spec = policyPointer + "/spec";
        String egress = spec + "/egress";
        if (!doc.at(spec).isObject() || isFlow(doc, spec)) {
            return Optional.empty();
        }
        List<String> rule = new ArrayList<>();
        rule.add("- to:");
        rule.add("  - namespaceSelector:");
        rule.add("      matchLabels:");
        rule.add("        kubernetes.io/metadata.name: " + plain(dnsNamespace));
        if (!dnsPodLabels.isEmpty()) {
            rule.add("    podSelector:");
            rule.add("      matchLabels:");
            dnsPodLabels.forEach((k, v) -> rule.add("        " + plain(k) + ": " + plain(v)));
        }
        rule.add("  ports:");
        rule.add("  - protocol: UDP");
        rule.add("    port: 53");
        rule.add("  - protocol: TCP");
        rule.add("    port: 53");
        String title = "Allow DNS egress to " + dnsNamespace + " (UDP and TCP 53)";
        JsonNode e = doc.at(egress);
        SourceText src = doc.source();
        if (e.isArray() && !e.isEmpty() && !isFlow(doc, egress)) {
            Range first = doc.valueRanges().get(egress + "/0");
            String prefix = src.line(first.startLine()).substring(0, first.startChar());
            if (!prefix.strip().equals("-")) {
                return Optional.empty();
            }
            String indent = " ".repeat(prefix.indexOf('-'));
            int[] end = contentEnd(doc, egress);
            return Optional.of(new Fix(title, List.of(insertLinesAfter(src, end[0], indent, rule))));
        }
        if (e.isArray() && e.isEmpty()) {
            Range key = doc.keyRanges().get(egress);
            Range v = doc.valueRanges().get(egress);
            if (key == null || v == null) {
                return Optional.empty();
            }
            String indent = " ".repeat(key.startChar());
            StringBuilder b = new StringBuilder();
            rule.forEach(l -> b.append('\n').append(indent).append(l));
            return Optional.of(new Fix(title, List.of(new Edit(v, b.toString()))));
        }
        if (!e.isMissingNode()) {
            return Optional.empty();
        }
        return addMember(doc, spec, "egress", null, rule).map(x -> new Fix(title, List.of(x)));
    }

    /**
     * Replaces the port at {@code portPointer} (a NetworkPolicy {@code ports[].port}) by the Service's
     * {@code targetPort}: a policy sees the pod's port after the Service's DNAT, never the Service port
     * (NetworkPolicyPort docs). A number stays plain; a port name is written plain in YAML, quoted in JSON.
     */
    public static Optional<Fix> replacePort(SourceDoc doc, String portPointer, String targetPort) {
        Range r = doc.valueRanges().get(portPointer);
        if (r == null || targetPort == null || targetPort.isEmpty()) {
            return Optional.empty();
        }
        String old = doc.source().text(r);
        boolean numeric = targetPort.matches("[0-9]+");
        String text = numeric ? targetPort : old.startsWith("\"") || isJson(doc) ? jsonString(targetPort)
                : targetPort;
        return Optional.of(new Fix("Use the pod port " + targetPort + " (the Service's targetPort) instead of "
                + old, List.of(new Edit(r, text))));
    }

    /**
     * Appends the port entry {@code {protocol: <protocol>, port: <port>}} to the NetworkPolicy {@code ports} list
     * at {@code portsPointer} (e.g. {@code /spec/egress/0/ports}), for example TCP 53 next to a UDP 53 entry: DNS
     * answers too large for one UDP message are retried over TCP (RFC 7766 section 5; the NetworkPolicyPort
     * docs for the fields). A block list gets a new {@code - protocol: ...} item whose dash and keys line up with
     * the last item's; a flow list ({@code [..]}, and so JSON) gets a flow mapping before {@code ]} (keys quoted in
     * JSON). Empty when the list is missing or empty, its last item is not written as a mapping, or an entry for
     * this protocol and port is already there.
     */
    public static Optional<Fix> addPort(SourceDoc doc, String portsPointer, String protocol, int port) {
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return addPort(doc, portsPointer, protocol, String.valueOf(port));
    }

    /**
     * As {@link #addPort(SourceDoc, String, String, int)}, for a port number or a named container port
     * ({@code http}; quoted in JSON), e.g. a Service's targetPort next to the Service port (NP054).
     */
    public static Optional<Fix> addPort(SourceDoc doc, String portsPointer, String protocol, String portText) {
        JsonNode ports = doc.at(portsPointer);
        Range r = doc.valueRanges().get(portsPointer);
        if (!ports.isArray() || ports.isEmpty() || r == null || protocol == null || portText == null
                || portText.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode p : ports) {
            if (p.path("port").asText().equals(portText) && p.path("protocol").asText("TCP")
                    .equals(protocol)) {
                return Optional.empty();
            }
        }
        String port = portText.matches("[0-9]+") || !isJson(doc) ? portText : jsonString(portText);
        String title = "Add a " + protocol + " " + port + " port entry";
        SourceText src = doc.source();
        String lastPtr = portsPointer + "/" + (ports.size() - 1);
        Range last = doc.valueRanges().get(lastPtr);
        if (last == null || !ports.get(ports.size() - 1).isObject()) {
            return Optional.empty();
        }
        if (isFlow(doc, portsPointer)) {
            int close = src.offset(r.endLine(), r.endChar()) - 1;
            if (close < 0 || src.text().charAt(close) != ']') {
                return Optional.empty();
            }
            boolean json = isJson(doc);
            String item = json ? "{\"protocol\": " + jsonString(protocol) + ", \"port\": " + port + "}"
                    : "{protocol: " + protocol + ", port: " + port + "}";
            int[] at = src.position(close);
            return Optional.of(new Fix(title, List.of(new Edit(Range.at(at[0], at[1]), ", " + item))));
        }
        String prefix = src.line(last.startLine()).substring(0, last.startChar());
        if (!prefix.strip().equals("-")) {
            return Optional.empty();
        }
        List<String> lines;
        if (isFlow(doc, lastPtr)) {
            lines = List.of(prefix + "{protocol: " + protocol + ", port: " + port + "}");
        } else {
            lines = List.of(prefix + "protocol: " + protocol, " ".repeat(prefix.length()) + "port: " + port);
        }
        return Optional.of(new Fix(title, List.of(insertLinesAfter(src, contentEnd(doc, portsPointer)[0], "",
                lines))));
    }

    // ---------------------------------------------------------------- helpers

    /** A member added to the object at {@code object}: {@code key: value} (flow) or a block line. */
    private static Optional<Edit> addMember(SourceDoc doc, String object, String key, String value) {
        if (isFlow(doc, object)) {
            Range r = doc.valueRanges().get(object);
            SourceText src = doc.source();
            int close = src.offset(r.endLine(), r.endChar()) - 1;
            if (close < 0 || src.text().charAt(close) != '}') {
                return Optional.empty();
            }
            String member = jsonString(key) + ": " + value;
            int[] at = src.position(close);
            boolean empty = doc.at(object).isEmpty();
            return Optional.of(new Edit(Range.at(at[0], at[1]), empty ? member : ", " + member));
        }
        return addMember(doc, object, key, value, List.of());
    }

    /**
     * A block member added as the first line(s) under the object's key (at the indentation of its existing
     * members): {@code key: value}, or {@code key:} followed by {@code children} indented two more spaces.
     */
    private static Optional<Edit> addMember(SourceDoc doc, String object, String key, String value,
                                            List<String> children) {
        JsonNode o = doc.at(object);
        if (!o.isObject() || o.isEmpty()) {
            return Optional.empty();
        }
        String firstChild = SourceDoc.child(object, o.fieldNames().next());
        Range childKey = doc.keyRanges().get(firstChild);
        Range ownKey = doc.keyRanges().get(object);
        if (childKey == null) {
            return Optional.empty();
        }
        String indent = " ".repeat(childKey.startChar());
        List<String> lines = new ArrayList<>();
        lines.add(key + ":" + (value == null ? "" : " " + value));
        boolean seq = !children.isEmpty() && children.get(0).startsWith("- ");
        for (String c : children) {
            lines.add((seq ? "" : "  ") + c);
        }
        if (ownKey != null && ownKey.startLine() < childKey.startLine()) {
            return Optional.of(insertLinesAfter(doc.source(), ownKey.startLine(), indent, lines));
        }
        // the object starts on its first member's line (a top-level map, a "- key: v" item): insert before it
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(i == 0 ? "" : indent).append(lines.get(i)).append('\n');
        }
        b.append(indent);
        return Optional.of(new Edit(Range.at(childKey.startLine(), childKey.startChar()), b.toString()));
    }

    /** Appends an item to the sequence at {@code seq} (flow: before ']'; block: a "- item" line). */
    private static Optional<Edit> appendItem(SourceDoc doc, String seq, String item) {
        JsonNode n = doc.at(seq);
        SourceText src = doc.source();
        Range r = doc.valueRanges().get(seq);
        if (r == null) {
            return Optional.empty();
        }
        if (isFlow(doc, seq)) {
            int close = src.offset(r.endLine(), r.endChar()) - 1;
            if (close < 0 || src.text().charAt(close) != ']') {
                return Optional.empty();
            }
            boolean quoted = isJson(doc) || !n.isEmpty() && doc.source().text(doc.valueRanges().get(seq + "/0"))
                    .startsWith("\"");
            String v = quoted ? jsonString(item) : item;
            int[] at = src.position(close);
            return Optional.of(new Edit(Range.at(at[0], at[1]), n.isEmpty() ? v : ", " + v));
        }
        if (n.isEmpty()) {
            return Optional.empty();
        }
        Range last = doc.valueRanges().get(seq + "/" + (n.size() - 1));
        String prefix = src.line(last.startLine()).substring(0, last.startChar());
        if (!prefix.strip().equals("-")) {
            return Optional.empty();
        }
        return Optional.of(insertLinesAfter(src, contentEnd(doc, seq)[0], prefix.substring(0, prefix.indexOf('-')),
                List.of("- " + item)));
    }

    /** An insertion of whole lines after line {@code line}, each prefixed by {@code indent}. */
    private static Edit insertLinesAfter(SourceText src, int line, String indent, List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(indent).append(l).append('\n');
        }
        if (line + 1 < src.lineCount() && src.offset(line + 1, 0) > src.offset(line, 0)
                && src.text().charAt(src.offset(line + 1, 0) - 1) == '\n') {
            return new Edit(Range.at(line + 1, 0), b.toString());
        }
        String s = b.toString();
        return new Edit(Range.at(line, src.line(line).length()), "\n" + s.substring(0, s.length() - 1));
    }

    /**
     * The end of the last character of the value at {@code pointer} or any value under it: the furthest end of
     * a scalar or flow collection at or under the pointer.
     */
    private static int[] contentEnd(SourceDoc doc, String pointer) {
        int line = -1;
        int ch = -1;
        String prefix = pointer + "/";
        for (Map.Entry<String, Range> e : doc.valueRanges().entrySet()) {
            if (e.getKey().equals(pointer) || e.getKey().startsWith(prefix)) {
                if (doc.at(e.getKey()).isContainerNode() && !isFlow(doc, e.getKey())) {
                    continue; // a block collection ends where the next token starts: its scalars tell the end
                }
                Range r = e.getValue();
                if (r.endLine() > line || r.endLine() == line && r.endChar() > ch) {
                    line = r.endLine();
                    ch = r.endChar();
                }
            }
        }
        String l = doc.source().line(line);
        ch = Math.min(ch, l.stripTrailing().length());
        return new int[] {line, ch};
    }

    /** Whole lines {@code from..to} (inclusive) with their line breaks. */
    private static Range lines(SourceText src, int from, int to) {
        if (to + 1 < src.lineCount()) {
            return new Range(from, 0, to + 1, 0);
        }
        return new Range(from, 0, to, src.line(to).length());
    }

    private static String reindent(String text, int from, int to) {
        String[] ls = text.split("\n", -1);
        StringBuilder b = new StringBuilder(ls[0]);
        for (int i = 1; i < ls.length; i++) {
            String l = ls[i];
            int lead = 0;
            while (lead < l.length() && lead < from && l.charAt(lead) == ' ') {
                lead++;
            }
            b.append('\n').append(" ".repeat(to)).append(l.substring(lead));
        }
        return b.toString();
    }

    private static boolean isFlow(SourceDoc doc, String pointer) {
        Range r = doc.valueRanges().get(pointer);
        if (r == null) {
            return false;
        }
        String t = doc.source().text(r);
        return t.startsWith("{") || t.startsWith("[");
    }

    private static boolean isJson(SourceDoc doc) {
        return doc.source().text().stripLeading().startsWith("{");
    }

    /**
     * A string as a YAML scalar that reads back as that string: plain when it is a word YAML cannot take for
     * another type, else double-quoted ({@code "true"}, {@code "8080"}, {@code ""}; YAML 1.1 booleans such as
     * {@code yes}/{@code on} are quoted too, as Kubernetes' YAML reader follows YAML 1.1).
     */
    static String plain(String s) {
        boolean word = s.matches("[A-Za-z][A-Za-z0-9._/-]*") && !s.matches(
                "(?i)y|n|yes|no|on|off|true|false|null");
        return word ? s : jsonString(s);
    }

    /** A JSON (and YAML double-quoted) string literal. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    /** The default labels of the cluster DNS pods ({@code k8s-app: kube-dns}). */
    public static Map<String, String> defaultDnsPodLabels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("k8s-app", "kube-dns");
        return m;
    }
}
