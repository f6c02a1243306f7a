package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import dev.podnet.text.DidYouMean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns networknt validation messages into podnet findings with plain messages naming the field (as a path
 * such as {@code plugins[0].ipam.routes[1]}) and the fix. The keyword decides the rule:
 * {@code type} is CNI001; {@code enum}/{@code const} CNI002; {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code minItems}, {@code maxItems} and {@code minLength}
 * CNI003; {@code required} and {@code dependentRequired} CNI004; {@code not} (keys that exclude each other)
 * CNI009. The failures of one {@code anyOf} at one value are merged into a single finding whose rule follows
 * what its branches require (all types: CNI001, all ranges: CNI003, all required keys: CNI004, else CNI002).
 * Keywords owned by the semantic CNI rules are dropped (see {@link CniSchemaCheck}).
 */
public final class Findings {

    /**
     * One schema finding.
     *
     * @param rule    rule id, CNI001..CNI009
     * @param pointer JSON pointer of the value (or, when {@code onKey}, of the member whose key is reported)
     * @param onKey   true to report on the member's key rather than its value
     * @param message one line naming the field and the fix
     * @param rename  for an unknown key with a did-you-mean: the key to rename it to; else null
     */
    public record Finding(String rule, String pointer, boolean onKey, String message, String rename) {
        /** A finding with no rename. */
        public Finding(String rule, String pointer, boolean onKey, String message) {
            this(rule, pointer, onKey, message, null);
        }
    }

    private static final Set<String> SEMANTIC_REQUIRED = Set.of("type", "cniVersion", "name", "plugins");
    private static final Set<String> RANGE = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "minItems", "maxItems", "minLength");

    private final JsonNode root;
    private final Map<String, Map<String, List<SchemaRef>>> objects;
    private final SchemaStore store = SchemaStore.get();

    private final Set<String> defaulted;

    Findings(JsonNode root, Map<String, Map<String, List<SchemaRef>>> objects, Set<String> defaulted) {
        this.root = root;
        this.objects = objects;
        this.defaulted = defaulted;
    }

    /** Maps the messages of one validation run. */
    List<Finding> map(List<CniSchemaCheck.Located> msgs) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<CniSchemaCheck.Located>> anyOf = new LinkedHashMap<>();
        for (CniSchemaCheck.Located l : msgs) {
            String frag = fragment(l.message());
            int i = frag.indexOf("/anyOf/");
            String inBranch = i < 0 ? "" : frag.substring(i + "/anyOf/".length());
            if (i >= 0 && !inBranch.contains("/properties/") && !inBranch.contains("/items")) {
                // a failure of the value the anyOf applies to (not of a member inside a branch)
                anyOf.computeIfAbsent(l.pointer() + "\n" + file(l.message()) + "\n" + frag.substring(0, i),
                        k -> new ArrayList<>()).add(l);
            } else {
                one(l, out);
            }
        }
        for (Map.Entry<String, List<CniSchemaCheck.Located>> g : anyOf.entrySet()) {
            String[] k = g.getKey().split("\n", -1);
            anyOfGroup(k[0], k[1], k[2], g.getValue(), out);
        }
        return out;
    }

    private void one(CniSchemaCheck.Located l, List<Finding> out) {
        ValidationMessage m = l.message();
        String ptr = l.pointer();
        String path = display(ptr);
        String key = lastKey(ptr);
        JsonNode value = root.at(ptr);
        JsonNode schema = m.getSchemaNode();
        String frag = fragment(m);
        String when = condition(file(m), frag);
        switch (m.getType()) {
            case "type" -> out.add(new Finding("CNI001", ptr, false, typeMessage(path, value, schema)));
            case "enum", "const" -> {
                if ("cniVersion".equals(key) || ("type".equals(key) && m.getType().equals("const"))) {
                    return;
                }
                List<JsonNode> allowed = new ArrayList<>();
                if (m.getType().equals("enum")) {
                    schema.forEach(allowed::add);
                } else {
                    allowed.add(schema);
                }
                out.add(new Finding("CNI002", ptr, false, enumMessage(path, value, allowed) + when));
            }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                JsonNode parent = store.node(file(m), SchemaViewPaths.parent(frag));
                out.add(new Finding("CNI003", ptr, false, path + " is " + value + " but must be "
                        + bounds(parent) + when + ": use a value in that range"));
            }
            case "minItems", "maxItems" -> {
                if (ptr.equals("/plugins")) {
                    return; // empty plugins list: semantic CNI rules
                }
                JsonNode parent = store.node(file(m), SchemaViewPaths.parent(frag));
                String need = m.getType().equals("minItems") ? "at least " + parent.path("minItems").asInt()
                        : "at most " + parent.path("maxItems").asInt();
                out.add(new Finding("CNI003", ptr, false, path + " has " + value.size() + " item"
                        + (value.size() == 1 ? "" : "s") + " but needs " + need + when
                        + (m.getType().equals("minItems") ? ": add the missing entries or remove " + path
                        : ": remove the extra entries")));
            }
            case "minLength" -> {
                if (key != null && SEMANTIC_REQUIRED.contains(key)) {
                    return;
                }
                int min = schema.asInt();
                out.add(new Finding("CNI003", ptr, false, path + (min <= 1 ? " must not be empty"
                        : " must have at least " + min + " characters") + ": set a value or remove the key"));
            }
            case "required" -> {
                String prop = m.getProperty();
                if (prop == null || semanticPlace(ptr) && SEMANTIC_REQUIRED.contains(prop)
                        || prop.equals("type") && defaulted.contains(ptr)) {
                    return;
                }
                out.add(new Finding("CNI004", ptr, true, display(ptr) + " lacks the required key \"" + prop + "\""
                        + describeKey(ptr, prop) + (when.isEmpty() ? "" : ", needed" + when) + ": add it"));
            }
            case "dependentRequired" -> {
                String present = m.getProperty();
                Object[] args = m.getArguments();
                String missing = args != null && args.length > 0 ? String.valueOf(args[0]) : "?";
                out.add(new Finding("CNI004", present == null ? ptr : ptr + "/" + escape(present), true, path
                        + " has \"" + present + "\" but lacks \"" + missing + "\"" + describeKey(ptr, missing)
                        + ": add \"" + missing + "\" (the two go together)"));
            }
            case "not" -> notMessage(ptr, schema, out);
            case "pattern", "maxLength" -> {
                // name / cniVersion / type syntax and interface-name length: semantic CNI rules
            }
            default -> out.add(new Finding("CNI002", ptr, false, path + " is not valid here (schema keyword \""
                    + m.getType() + "\"): compare it with the plugin's documented format"));
        }
    }

    private void notMessage(String ptr, JsonNode not, List<Finding> out) {
        Set<String> keys = new LinkedHashSet<>();
        boolean together = not.has("required");
        not.path("required").forEach(k -> keys.add(k.asText()));
        for (JsonNode branch : not.path("anyOf")) {
            branch.path("required").forEach(k -> keys.add(k.asText()));
        }
        JsonNode obj = root.at(ptr);
        List<String> present = keys.stream().filter(obj::has).toList();
        if (present.isEmpty() || keys.equals(Set.of("hairpinMode", "promiscMode"))) {
            return; // hairpinMode with promiscMode: semantic CNI rule
        }
        String path = display(ptr);
        if (together) {
            String last = present.get(present.size() - 1);
            out.add(new Finding("CNI009", ptr + "/" + escape(last), true, path + " sets "
                    + quoteJoin(present, " and ") + ", which cannot be used together: keep only one"));
        } else {
            for (String k : present) {
                out.add(new Finding("CNI009", ptr + "/" + escape(k), true, "\"" + k + "\" is not allowed in " + path
                        + " (the plugin sets it itself or rejects it): remove it"));
            }
        }
    }

    private void anyOfGroup(String ptr, String file, String prefix, List<CniSchemaCheck.Located> group,
                            List<Finding> out) {
        JsonNode parent = store.node(file, prefix);
        JsonNode branches = parent.path("anyOf");
        JsonNode value = root.at(ptr);
        String path = display(ptr);
        Set<String> kinds = new LinkedHashSet<>();
        for (CniSchemaCheck.Located l : group) {
            String t = l.message().getType();
            kinds.add(RANGE.contains(t) ? "range" : t);
        }
        if (prefix.endsWith("/$defs/boolish")) {
            out.add(new Finding(value.isTextual() ? "CNI002" : "CNI001", ptr, false, path
                    + " must be true or false (libcni also accepts the strings \"true\"/\"false\"), not "
                    + actual(value) + ": write true or false"));
            return;
        }
        if (kinds.equals(Set.of("required"))) {
            List<String> names = new ArrayList<>();
            for (JsonNode b : branches) {
                b.path("required").forEach(n -> names.add(n.asText()));
            }
            if (semanticPlace(ptr) && SEMANTIC_REQUIRED.containsAll(names)) {
                return;
            }
            out.add(new Finding("CNI004", ptr, true, path + " needs one of " + quoteJoin(names, ", ")
                    + ": add one"));
            return;
        }
        List<String> forms = new ArrayList<>();
        for (JsonNode b : branches) {
            forms.add(form(b));
        }
        String rule = kinds.equals(Set.of("range")) ? "CNI003" : kinds.equals(Set.of("type")) ? "CNI001" : "CNI002";
        out.add(new Finding(rule, ptr, false, path + " is " + actual(value) + " but must be "
                + String.join(" or ", forms) + ": change it to one of these"));
    }

    /** Words for one anyOf branch: its type and bounds. */
    private static String form(JsonNode b) {
        List<String> parts = new ArrayList<>();
        if (b.has("type")) {
            parts.add(typeWord(b.get("type").asText()));
        }
        String bounds = bounds(b);
        if (!bounds.isEmpty()) {
            parts.add(bounds);
        }
        if (b.has("const")) {
            parts.add(b.get("const").toString());
        }
        if (b.has("enum")) {
            parts.add("one of " + b.get("enum").toString());
        }
        if (b.has("pattern")) {
            parts.add("matching " + b.get("pattern").asText());
        }
        return parts.isEmpty() ? "another form" : String.join(" ", parts);
    }

    /** "between 68 and 65535", "at least 1", "greater than 0", "at most 0" (or "" when unbounded). */
    static String bounds(JsonNode s) {
        String lo = s.has("minimum") ? s.get("minimum").asText() : null;
        String hi = s.has("maximum") ? s.get("maximum").asText() : null;
        if (lo != null && hi != null) {
            return "between " + lo + " and " + hi;
        }
        List<String> p = new ArrayList<>();
        if (lo != null) {
            p.add("at least " + lo);
        }
        if (s.has("exclusiveMinimum")) {
            p.add("greater than " + s.get("exclusiveMinimum").asText());
        }
        if (hi != null) {
            p.add("at most " + hi);
        }
        if (s.has("exclusiveMaximum")) {
            p.add("less than " + s.get("exclusiveMaximum").asText());
        }
        return String.join(" and ", p);
    }

    /** " when ingressRate is set" for a failure inside an if/then, else "". */
    private String condition(String file, String frag) {
        int i = frag.lastIndexOf("/then/");
        if (i < 0) {
            return "";
        }
        JsonNode cond = store.node(file, frag.substring(0, i) + "/if");
        List<String> keys = new ArrayList<>();
        cond.path("required").forEach(k -> keys.add(k.asText()));
        if (keys.isEmpty()) {
            return "";
        }
        boolean positive = false;
        for (String k : keys) {
            positive |= cond.path("properties").path(k).has("exclusiveMinimum");
        }
        return " when " + String.join(" and ", keys) + (positive ? " is set above 0" : " is set");
    }

    private String describeKey(String objectPtr, String prop) {
        Map<String, List<SchemaRef>> props = objects.get(objectPtr);
        if (props == null || !props.containsKey(prop)) {
            return "";
        }
        for (SchemaRef s : SchemaView.expand(store, props.get(prop))) {
            JsonNode d = s.node().get("description");
            if (d != null && d.isTextual()) {
                return " (" + shortText(d.asText()) + ")";
            }
        }
        return "";
    }

    /** The first clause of a description, at most about 90 characters. */
    static String shortText(String d) {
        int end = d.length();
        for (String stop : new String[] {"; ", " (", ". "}) {
            int i = d.indexOf(stop);
            while (stop.equals(". ") && i > 0 && (d.startsWith("e.g", i - 3) || d.startsWith("i.e", i - 3))) {
                i = d.indexOf(stop, i + 1);
            }
            if (i > 0 && i < end) {
                end = i;
            }
        }
        String s = d.substring(0, end);
        if (s.length() > 90) {
            int sp = s.lastIndexOf(' ', 87);
            s = s.substring(0, sp > 40 ? sp : 87) + "...";
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String typeMessage(String path, JsonNode value, JsonNode expected) {
        List<String> types = new ArrayList<>();
        if (expected.isArray()) {
            expected.forEach(t -> types.add(t.asText()));
        } else {
            types.add(expected.asText());
        }
        String want = String.join(" or ", types.stream().map(Findings::typeWord).toList());
        String fix;
        String t0 = types.get(0);
        if (value.isTextual() && (t0.equals("integer") || t0.equals("number")) && value.asText().trim()
                .matches("-?[0-9]+(\\.[0-9]+)?")) {
            fix = "write " + value.asText().trim() + " without quotes";
        } else if (value.isTextual() && t0.equals("boolean") && value.asText().trim().matches("(?i)true|false")) {
            fix = "write " + value.asText().trim().toLowerCase(Locale.ROOT) + " without quotes";
        } else if (t0.equals("string") && (value.isNumber() || value.isBoolean())) {
            fix = "quote it: \"" + value.asText() + "\"";
        } else if (t0.equals("array") && !value.isArray()) {
            fix = "wrap the value in [ ]";
        } else {
            fix = "change it to " + want;
        }
        return path + " must be " + want + ", not " + actual(value) + ": " + fix;
    }

    private static String enumMessage(String path, JsonNode value, List<JsonNode> allowed) {
        List<String> texts = allowed.stream().filter(JsonNode::isTextual).map(JsonNode::asText).toList();
        String list = String.join(", ", allowed.stream().map(JsonNode::toString).toList());
        String head = allowed.size() == 1 ? path + " must be " + list : path + " must be one of " + list;
        Optional<String> s = value.isTextual() ? DidYouMean.closest(value.asText(), texts) : Optional.empty();
        return head + ", not " + actual(value) + ": " + s.map(x -> "did you mean \"" + x + "\"?")
                .orElse(allowed.size() == 1 ? "set it to " + list + " or remove it" : "use one of these");
    }

    static String typeWord(String t) {
        return switch (t) {
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "string" -> "a string";
            case "object" -> "an object { }";
            case "array" -> "a list [ ]";
            case "null" -> "null";
            default -> t;
        };
    }

    /** How a value reads in a message: {@code the string "x"}, {@code the number 1}, {@code a list}. */
    static String actual(JsonNode v) {
        if (v.isTextual()) {
            String s = v.asText();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.isNull() ? "null" : "missing";
    }

    /**
     * A JSON pointer as a readable path: {@code /plugins/0/ipam/ranges/0/0} reads
     * {@code plugins[0].ipam.ranges[0][0]}; keys that are not identifiers are bracketed and quoted;
     * {@code ""} reads {@code the top level}.
     */
    public static String display(String pointer) {
        if (pointer.isEmpty()) {
            return "the top level";
        }
        StringBuilder sb = new StringBuilder();
        for (String raw : pointer.substring(1).split("/", -1)) {
            String t = raw.replace("~1", "/").replace("~0", "~");
            if (t.matches("0|[1-9][0-9]*")) {
                sb.append('[').append(t).append(']');
            } else if (t.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(t);
            } else {
                sb.append("[\"").append(t).append("\"]");
            }
        }
        return sb.toString();
    }

    private static String quoteJoin(List<String> names, String sep) {
        return String.join(sep, names.stream().map(n -> "\"" + n + "\"").toList());
    }

    private static String lastKey(String ptr) {
        if (ptr.isEmpty()) {
            return null;
        }
        String t = ptr.substring(ptr.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
        return t.matches("[0-9]+") ? null : t;
    }

    /** The top level and conflist plugins: where the semantic CNI rules report missing type/name/... */
    private static boolean semanticPlace(String ptr) {
        return ptr.isEmpty() || ptr.matches("/plugins/[0-9]+");
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String file(ValidationMessage m) {
        String s = m.getSchemaLocation().toString();
        int h = s.indexOf('#');
        String f = h < 0 ? s : s.substring(0, h);
        return f.startsWith(SchemaStore.ID_PREFIX) ? f.substring(SchemaStore.ID_PREFIX.length()) : f;
    }

    private static String fragment(ValidationMessage m) {
        String s = m.getSchemaLocation().toString();
        int h = s.indexOf('#');
        return h < 0 ? "" : s.substring(h + 1);
    }

    /** Pointer helpers for schema fragments. */
    private static final class SchemaViewPaths {
        static String parent(String frag) {
            int i = frag.lastIndexOf('/');
            return i <= 0 ? "" : frag.substring(0, i);
        }
    }
}
