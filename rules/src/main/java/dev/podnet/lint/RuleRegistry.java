package dev.podnet.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.podnet.diag.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All rules podnet knows, loaded once from the rule documentation files
 * {@code podnet/rules/<family>.yaml} (see {@link #FAMILY_FILES}) on the classpath, as compiled to one JSON file
 * at build time ({@link #COMPILED}; the YAML files themselves when it is absent). Each file is a YAML
 * list of entries with the keys of {@link RuleInfo} ({@code bad}/{@code good} are either a string, for the file
 * named by {@code file}, or a map of file name to content).
 *
 * <p>Throws {@link IllegalStateException} at start-up if a file is malformed or an id repeats: that is a build
 * defect, caught by the unit tests.
 */
public final class RuleRegistry {
    /** Rule documentation files, in listing order. */
    public static final String[] FAMILY_FILES = {"syntax", "cni-schema", "cni", "cni-dir", "netpol-api", "netpol",
        "inventory", "reachability", "dataplane", "node", "config"};

    /**
     * The families whose rules validate input the way a parser, a JSON Schema or the API server does (syntax, CNI
     * schema, NetworkPolicy API validation, inventory validation). An error of theirs makes the semantic
     * findings on the same field redundant; see {@link Cascades}.
     */
    public static final java.util.Set<String> VALIDATION_FAMILIES = java.util.Set.of("syntax", "cni-schema",
            "netpol-api", "inventory");

    private static final RuleRegistry INSTANCE = load();

    private final Map<String, RuleInfo> rules;
    private final Map<String, String> familyFiles;

    private RuleRegistry(Map<String, RuleInfo> rules, Map<String, String> familyFiles) {
        this.rules = Collections.unmodifiableMap(rules);
        this.familyFiles = Collections.unmodifiableMap(familyFiles);
    }

    /** The family file a rule is documented in ({@code netpol-api} for NP008), or null for an unknown id. */
    public String familyFile(String id) {
        return familyFiles.get(id);
    }

    /** True when the rule belongs to one of the {@link #VALIDATION_FAMILIES}. */
    public boolean isValidation(String id) {
        String f = familyFiles.get(id);
        return f != null && VALIDATION_FAMILIES.contains(f);
    }

    /** The registry built from the classpath. */
    public static RuleRegistry get() {
        return INSTANCE;
    }

    /** Every rule, in family-file order then id order. */
    public Collection<RuleInfo> all() {
        return rules.values();
    }

    /** The rule with this id (case-insensitive), if any. */
    public Optional<RuleInfo> find(String id) {
        return Optional.ofNullable(rules.get(id.toUpperCase(java.util.Locale.ROOT)));
    }

    /** The rule with this id; throws IllegalArgumentException for an unknown id (a programming error). */
    public RuleInfo require(String id) {
        RuleInfo r = rules.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no documentation for rule " + id + " in podnet/rules/*.yaml");
        }
        return r;
    }

    /**
     * The rule documentation compiled to JSON at build time ({@link #compile}): one object, family name to the
     * family's list of entries. Reading it takes a few milliseconds where parsing the YAML files takes a large part
     * of a second in a cold JVM, which every {@code podnet lint} would pay.
     */
    public static final String COMPILED = "podnet/rules/compiled.json";

    private static RuleRegistry load() {
        try (InputStream in = RuleRegistry.class.getClassLoader().getResourceAsStream(COMPILED)) {
            if (in != null) {
                JsonNode compiled = new ObjectMapper().readTree(in);
                return build(family -> compiled.get(family));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMPILED, e);
        }
        return fromYaml();
    }

    /**
     * The registry read from the YAML sources {@code podnet/rules/<family>.yaml} (what {@link #get()} uses when the
     * compiled index is not on the classpath, and what the tests compare the compiled index with).
     */
    public static RuleRegistry fromYaml() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        return build(family -> {
            String res = "podnet/rules/" + family + ".yaml";
            try (InputStream in = RuleRegistry.class.getClassLoader().getResourceAsStream(res)) {
                return in == null ? null : yaml.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + res, e);
            }
        });
    }

    private static RuleRegistry build(java.util.function.Function<String, JsonNode> family) {
        Map<String, RuleInfo> all = new LinkedHashMap<>();
        Map<String, String> families = new java.util.HashMap<>();
        for (String f : FAMILY_FILES) {
            String res = "podnet/rules/" + f + ".yaml";
            JsonNode list = family.apply(f);
            if (list == null) {
                continue;
            }
            Map<String, RuleInfo> sorted = new TreeMap<>();
            for (JsonNode e : list) {
                RuleInfo r = parse(e, res);
                if (all.containsKey(r.id()) || sorted.put(r.id(), r) != null) {
                    throw new IllegalStateException(res + ": rule id " + r.id() + " defined twice");
                }
            }
            all.putAll(sorted);
            sorted.keySet().forEach(id -> families.put(id, f));
        }
        return new RuleRegistry(all, families);
    }

    /**
     * Build step (run by the rules module's {@code exec-maven-plugin} execution at {@code process-classes}): reads
     * every {@code <family>.yaml} under {@code args[0]} and writes them as {@link #COMPILED} under {@code args[1]}
     * (the classes directory). Exits with status 1 and a message naming the file when a YAML file does not parse.
     */
    public static void compile(String[] args) throws IOException {
        java.nio.file.Path src = java.nio.file.Path.of(args[0]);
        java.nio.file.Path out = java.nio.file.Path.of(args[1]).resolve(COMPILED);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        com.fasterxml.jackson.databind.node.ObjectNode all = new ObjectMapper().createObjectNode();
        for (String f : FAMILY_FILES) {
            java.nio.file.Path file = src.resolve(f + ".yaml");
            if (java.nio.file.Files.exists(file)) {
                try {
                    all.set(f, yaml.readTree(file.toFile()));
                } catch (IOException e) {
                    System.err.println(file + ": " + e.getMessage());
                    System.exit(1);
                }
            }
        }
        java.nio.file.Files.createDirectories(out.getParent());
        new ObjectMapper().writeValue(out.toFile(), all);
    }

    private static RuleInfo parse(JsonNode e, String res) {
        String id = text(e, "id", res);
        String file = e.path("file").asText("example.conflist");
        return new RuleInfo(id, Severity.parse(text(e, "severity", res + " " + id)), text(e, "title", res + " " + id),
                e.path("description").asText("").strip(), e.path("fix").asText("").strip(),
                e.path("source").asText("").strip(), files(e.get("bad"), file), files(e.get("good"), file));
    }

    private static Map<String, String> files(JsonNode n, String defaultFile) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return m;
        }
        if (n.isTextual()) {
            m.put(defaultFile, n.asText());
        } else {
            n.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
        }
        return m;
    }

    private static String text(JsonNode e, String key, String where) {
        JsonNode v = e.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalStateException(where + ": rule entry lacks '" + key + "'");
        }
        return v.asText().strip();
    }
}
