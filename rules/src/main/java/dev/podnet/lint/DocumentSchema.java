package dev.podnet.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.podnet.cni.schema.Findings;
import dev.podnet.text.DidYouMean;
import dev.podnet.fix.Fixes;
import dev.podnet.source.SourceDoc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One of podnet's own document formats (node facts, connectivity expectations) with its JSON Schema (draft
 * 2020-12, a single resource file whose {@code $ref}s are local), validated with the networknt validator. Every
 * validation message becomes one {@link Finding} at the offending value or key, with a message written by podnet:
 * <ul>
 *   <li>{@code additionalProperties}: an unknown key, at the key, with a did-you-mean among the object's
 *       {@code properties} (and a rename as quick fix);</li>
 *   <li>{@code type}: the value's type and the expected one ({@code "1500"} where an integer is expected says to
 *       write it without quotes);</li>
 *   <li>{@code enum}/{@code const}: the allowed values, with a did-you-mean;</li>
 *   <li>{@code required}: the missing key, at the object's key;</li>
 *   <li>{@code propertyNames}: the key that does not match, with a did-you-mean among the names listed in the
 *       map schema's {@code x-podnet-knownKeys};</li>
 *   <li>{@code oneOf}/{@code anyOf}: when the value has the form of an alternative (no {@code type},
 *       {@code pattern}, {@code const} or {@code enum} failure of that alternative at the value itself), that
 *       alternative's failures are reported; otherwise one finding for the whole value quotes the
 *       {@code description} of the schema holding the {@code oneOf};</li>
 *   <li>{@code pattern}: the field, the value and the {@code description} of its schema (the validator's message
 *       when there is none); anything else ({@code minimum}, ...): the field, the value and the validator's
 *       message.</li>
 * </ul>
 * All messages of a document are reported, each at its own position (a schema error never hides another).
 */
public final class DocumentSchema {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One schema finding of a document.
     *
     * @param pointer JSON pointer of the offending member (for {@code onKey}, the member whose key is reported)
     * @param onKey   true to report at the key rather than the value
     * @param message one line naming the field and the fix
     * @param rename  for an unknown key with a close known one: that key (quick fix), else null
     */
    public record Finding(String pointer, boolean onKey, String message, String rename) {
    }

    private final String resource;
    private final JsonNode schemaJson;
    private final JsonSchema schema;

    private DocumentSchema(String resource, JsonNode schemaJson, JsonSchema schema) {
        this.resource = resource;
        this.schemaJson = schemaJson;
        this.schema = schema;
    }

    /**
     * Loads a schema from the class path.
     *
     * @param resource class-path name such as {@code schemas/node-facts.schema.json}
     * @throws IllegalStateException when the resource is missing (a packaging bug)
     * @throws UncheckedIOException  when it cannot be read or parsed
     */
    public static DocumentSchema load(String resource) {
        try (InputStream in = DocumentSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the class path");
            }
            JsonNode json = JSON.readTree(in);
            JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(json);
            return new DocumentSchema(resource, json, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class-path name of the schema (for messages). */
    public String resource() {
        return resource;
    }

    /** Every finding for one document, in the validator's order, without duplicates. */
    public List<Finding> validate(JsonNode root) {
        List<Msg> msgs = new ArrayList<>();
        for (ValidationMessage m : schema.validate(root)) {
            msgs.add(new Msg(pointer(m.getInstanceLocation()), m));
        }
        // oneOf/anyOf: keep the failures of the alternative the value fits (its type and form match, only
        // something inside is wrong), else replace all of them by one finding for the whole value.
        Set<ValidationMessage> dropped = new java.util.HashSet<>();
        Set<ValidationMessage> summaries = new java.util.HashSet<>();
        List<Msg> composites = msgs.stream().filter(x -> isComposite(x.m))
                .sorted(java.util.Comparator.comparingInt(x -> x.m.getEvaluationPath().getNameCount())).toList();
        for (Msg c : composites) {
            if (dropped.contains(c.m)) {
                continue;
            }
            List<Object> base = elements(c.m.getEvaluationPath());
            Map<Object, List<Msg>> byAlternative = new java.util.TreeMap<>();
            for (Msg y : msgs) {
                List<Object> e = elements(y.m.getEvaluationPath());
                boolean inside = y.ptr.equals(c.ptr) || y.ptr.startsWith(c.ptr + "/");
                if (y != c && inside && e.size() > base.size() && e.subList(0, base.size()).equals(base)) {
                    byAlternative.computeIfAbsent(e.get(base.size()), k -> new ArrayList<>()).add(y);
                }
            }
            Object fitting = null;
            for (Map.Entry<Object, List<Msg>> alt : byAlternative.entrySet()) {
                if (alt.getValue().stream().noneMatch(y -> y.ptr.equals(c.ptr) && FORM.contains(y.m.getType()))) {
                    fitting = alt.getKey();
                    break;
                }
            }
            for (Map.Entry<Object, List<Msg>> alt : byAlternative.entrySet()) {
                if (!alt.getKey().equals(fitting)) {
                    alt.getValue().forEach(y -> dropped.add(y.m));
                }
            }
            if (fitting != null) {
                dropped.add(c.m);
            } else {
                summaries.add(c.m);
            }
        }
        Set<Finding> out = new LinkedHashSet<>();
        for (Msg x : msgs) {
            if (dropped.contains(x.m)) {
                continue;
            }
            if (summaries.contains(x.m)) {
                out.add(new Finding(x.ptr, false, Findings.display(x.ptr) + " " + shown(root, x.ptr)
                        + " has none of the accepted forms" + describe(holder(x.m)).replaceFirst("^; ", ": "),
                        null));
            } else if (!isComposite(x.m)) {
                out.add(finding(root, x));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reports the findings of one document with {@code rule} (unknown keys at the key with a rename fix, the rest
     * at the value) and returns them.
     */
    public List<Finding> report(String rule, SourceDoc doc, Reporter reporter) {
        List<Finding> fs = validate(doc.root());
        for (Finding f : fs) {
            if (f.rename() != null) {
                reporter.reportKey(rule, doc, f.pointer(), f.message(),
                        Fixes.renameKey(doc, f.pointer(), f.rename()).orElse(null));
            } else if (f.onKey()) {
                reporter.reportKey(rule, doc, f.pointer(), f.message());
            } else {
                reporter.report(rule, doc, f.pointer(), f.message());
            }
        }
        return fs;
    }

    private record Msg(String ptr, ValidationMessage m) {
    }

    /** Keywords whose failure at a oneOf's own value means the value does not have that alternative's form. */
    private static final Set<String> FORM = Set.of("type", "pattern", "const", "enum", "format");

    private static boolean isComposite(ValidationMessage m) {
        return "oneOf".equals(m.getType()) || "anyOf".equals(m.getType());
    }

    private static List<Object> elements(JsonNodePath path) {
        List<Object> out = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            out.add(path.getElement(i));
        }
        return out;
    }

    private Finding finding(JsonNode root, Msg x) {
        ValidationMessage m = x.m;
        String ptr = x.ptr;
        String field = Findings.display(ptr);
        JsonNode holder = holder(m);
        JsonNode value = ptr.isEmpty() ? root : root.at(ptr);
        switch (m.getType()) {
            case "additionalProperties": {
                String key = m.getProperty();
                String child = SourceDoc.child(ptr, key);
                List<String> known = new ArrayList<>();
                holder.path("properties").fieldNames().forEachRemaining(known::add);
                Optional<String> s = DidYouMean.closest(key, known);
                return new Finding(child, true, "unknown key \"" + key + "\" in " + field + " (podnet ignores it): "
                        + s.map(k -> "did you mean \"" + k + "\"?").orElse("remove it or correct its name (known: "
                        + String.join(", ", known) + ")"), s.orElse(null));
            }
            case "required": {
                String key = m.getProperty();
                return new Finding(ptr, true, field + " lacks the required key \"" + key + "\"" + describe(
                        holder.path("properties").path(key)), null);
            }
            case "type": {
                String expected = typeWords(holder.path("type"));
                String fix = "";
                if (value.isTextual() && holder.path("type").toString().contains("integer")
                        && value.asText().matches("-?[0-9]+")) {
                    fix = ": write " + value.asText() + " without quotes";
                } else if (value.isTextual() && holder.path("type").toString().contains("boolean")
                        && value.asText().matches("(?i)true|false")) {
                    fix = ": write " + value.asText().toLowerCase(java.util.Locale.ROOT) + " without quotes";
                }
                return new Finding(ptr, false, field + " is " + kind(value) + " but must be " + expected + fix
                        + (fix.isEmpty() ? describe(holder) : ""), null);
            }
            case "enum":
            case "const": {
                List<String> allowed = new ArrayList<>();
                if (holder.has("enum")) {
                    holder.get("enum").forEach(v -> allowed.add(v.asText()));
                } else {
                    allowed.add(holder.path("const").asText());
                }
                Optional<String> s = value.isValueNode() ? DidYouMean.closest(value.asText(), allowed)
                        : Optional.empty();
                return new Finding(ptr, false, field + " " + shown(root, ptr) + " must be "
                        + (allowed.size() == 1 ? "\"" + allowed.get(0) + "\"" : "one of " + String.join(", ", allowed))
                        + s.filter(v -> allowed.size() > 1).map(v -> " (did you mean \"" + v + "\"?)").orElse(""),
                        null);
            }
            case "propertyNames": {
                String key = m.getProperty();
                if (key == null) {
                    Object[] args = m.getArguments();
                    key = args != null && args.length > 0 ? String.valueOf(args[0]) : "";
                }
                JsonNode map = parentOf(m, "propertyNames");
                List<String> known = new ArrayList<>();
                map.path("x-podnet-knownKeys").forEach(k -> known.add(k.asText()));
                String k = key;
                Optional<String> s = known.stream().filter(c -> c.endsWith("." + k)).findFirst()
                        .or(() -> DidYouMean.closest(k, known));
                String child = SourceDoc.child(ptr, key);
                return new Finding(child, true, "key \"" + key + "\" in " + field + " is not valid"
                        + describe(map.path("propertyNames"))
                        + s.map(v -> " (did you mean \"" + v + "\"?)").orElse(""), s.orElse(null));
            }
            default: {
                String desc = describe(holder);
                String msg = m.getMessage();
                int colon = msg.indexOf(": ");
                String detail = colon >= 0 ? msg.substring(colon + 2) : msg;
                boolean useDescription = "pattern".equals(m.getType()) && !desc.isEmpty();
                return new Finding(ptr, false, field + " " + shown(root, ptr) + " is not valid: "
                        + (useDescription ? desc.substring(2) : detail), null);
            }
        }
    }

    /** The schema object holding the failed keyword (resolved in this schema's own JSON). */
    private JsonNode holder(ValidationMessage m) {
        JsonNodePath frag = m.getSchemaLocation().getFragment();
        JsonNode n = schemaJson;
        for (int i = 0; i < frag.getNameCount() - 1; i++) {
            Object e = frag.getElement(i);
            n = e instanceof Integer idx ? n.path(idx) : n.path(String.valueOf(e));
        }
        return n;
    }

    /** The schema object holding {@code keyword} on the way to the failed keyword. */
    private JsonNode parentOf(ValidationMessage m, String keyword) {
        JsonNodePath frag = m.getSchemaLocation().getFragment();
        JsonNode n = schemaJson;
        for (int i = 0; i < frag.getNameCount(); i++) {
            Object e = frag.getElement(i);
            if (keyword.equals(String.valueOf(e))) {
                return n;
            }
            n = e instanceof Integer idx ? n.path(idx) : n.path(String.valueOf(e));
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String describe(JsonNode schema) {
        String d = schema.path("description").asText("");
        if (d.isEmpty()) {
            return "";
        }
        java.util.regex.Matcher end = SENTENCE_END.matcher(d);
        String first = end.find() ? d.substring(0, end.start()) : d;
        return "; " + (first.endsWith(".") ? first.substring(0, first.length() - 1) : first);
    }

    private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("\\.\\s+(?=[A-Z`])");

    private static String shown(JsonNode root, String ptr) {
        JsonNode v = ptr.isEmpty() ? root : root.at(ptr);
        if (v.isTextual()) {
            String s = v.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        return "(" + kind(v) + ")";
    }

    private static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + (v.asText().length() > 40 ? v.asText().substring(0, 40) + "..." : v.asText())
                    + "\"";
        }
        if (v.isIntegralNumber()) {
            return "the integer " + v.asText();
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return "the boolean " + v.asText();
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "a map";
        }
        return "missing";
    }

    private static String typeWords(JsonNode type) {
        List<String> words = new ArrayList<>();
        Iterator<JsonNode> it = type.isArray() ? type.elements() : List.of(type).iterator();
        Map<String, String> w = new LinkedHashMap<>();
        w.put("integer", "an integer");
        w.put("number", "a number");
        w.put("string", "a string");
        w.put("boolean", "true or false");
        w.put("array", "a list");
        w.put("object", "a map");
        w.put("null", "null");
        while (it.hasNext()) {
            String t = it.next().asText();
            words.add(w.getOrDefault(t, t));
        }
        return String.join(" or ", words);
    }

    private static String pointer(JsonNodePath path) {
        return pointer("", path);
    }

    /**
     * The JSON pointer (RFC 6901) of a networknt instance location, after {@code prefix} (a pointer to the node
     * the schema was applied to, "" for the root).
     */
    public static String pointer(String prefix, JsonNodePath path) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            if (e instanceof Integer n) {
                sb.append('/').append(n);
            } else {
                sb.append('/').append(String.valueOf(e).replace("~", "~0").replace("/", "~1"));
            }
        }
        return sb.toString();
    }
}
