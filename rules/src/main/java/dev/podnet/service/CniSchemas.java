package dev.podnet.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The CNI JSON schemas on the classpath ({@code schemas/cni/*.schema.json}), read for editor features: the
 * {@code description} of a key (hover), the keys an object may have and the values a key takes (completion).
 *
 * <p>Which schema applies where comes from {@code INDEX.json} in the same folder:
 * {@code {"netconf": file, "conflist": file, "plugins": {type: file}, "ipam": {type: file}}}. Without an index
 * the folder is listed (a directory or a jar) and each {@code *.schema.json} is placed by its content:
 * {@code netconf.schema.json}/{@code conflist.schema.json} by name, others by {@code x-podnet-kind}
 * ({@code ipam}, else plugin) and the {@code const} of their {@code type} property.
 *
 * <p>Keys of a schema are the {@code properties} of the schema itself, then of its {@code $ref} target, then of
 * each {@code allOf} entry; a key keeps all its definitions in that order, so a plugin's own wording beats the
 * shared base and the base fills in what the plugin leaves out (e.g. a description). {@code $ref} is a file name
 * relative to the folder plus an optional JSON pointer fragment ({@code netconf.schema.json#/$defs/pluginBase}),
 * or a fragment alone for the same file. Missing or malformed
 * schema files make the features return nothing; they never throw.
 */
public final class CniSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REF_DEPTH = 16;
    private static final CniSchemas STANDARD = load(CniSchemas.class.getClassLoader(), "schemas/cni/");

    private final ClassLoader loader;
    private final String base;
    private final Map<String, Optional<JsonNode>> files = new ConcurrentHashMap<>();
    private final String netconf;
    private final String conflist;
    private final Map<String, String> plugins;
    private final Map<String, String> ipam;

    /** A schema node and the file it belongs to (needed to resolve same-file {@code $ref}s). */
    public record Schema(String file, JsonNode node) {
        /** The {@code description}, following {@code $ref} and {@code allOf} when the node has none. */
        public String description(CniSchemas all) {
            return all.firstText(this, "description", 0);
        }

        /** The JSON type name(s), e.g. {@code boolean} or {@code string|array}; "" when unspecified. */
        public String type(CniSchemas all) {
            JsonNode t = all.first(this, "type", 0);
            if (t == null) {
                return "";
            }
            if (t.isArray()) {
                List<String> ts = new ArrayList<>();
                t.forEach(x -> ts.add(x.asText()));
                return String.join("|", ts);
            }
            return t.asText();
        }
    }

    private CniSchemas(ClassLoader loader, String base, String netconf, String conflist, Map<String, String> plugins,
                       Map<String, String> ipam) {
        this.loader = loader;
        this.base = base;
        this.netconf = netconf;
        this.conflist = conflist;
        this.plugins = Collections.unmodifiableMap(plugins);
        this.ipam = Collections.unmodifiableMap(ipam);
    }

    /** The schemas shipped in {@code schemas/cni/}. */
    public static CniSchemas standard() {
        return STANDARD;
    }

    /**
     * Loads the schemas of a classpath folder ({@code base} ends with '/'), from its {@code INDEX.json} or, when
     * there is none, by listing the folder.
     */
    public static CniSchemas load(ClassLoader loader, String base) {
        String b = base.endsWith("/") ? base : base + "/";
        Map<String, String> plugins = new TreeMap<>();
        Map<String, String> ipam = new TreeMap<>();
        JsonNode index = read(loader, b + "INDEX.json");
        if (index != null && index.isObject()) {
            index.path("plugins").fields().forEachRemaining(e -> plugins.put(e.getKey(), e.getValue().asText()));
            index.path("ipam").fields().forEachRemaining(e -> ipam.put(e.getKey(), e.getValue().asText()));
            return new CniSchemas(loader, b, index.path("netconf").asText("netconf.schema.json"),
                    index.path("conflist").asText("conflist.schema.json"), plugins, ipam);
        }
        for (String name : list(loader, b)) {
            if (!name.endsWith(".schema.json") || name.equals("netconf.schema.json")
                    || name.equals("conflist.schema.json")) {
                continue;
            }
            JsonNode s = read(loader, b + name);
            if (s == null) {
                continue;
            }
            String type = s.path("properties").path("type").path("const").asText("");
            if (type.isEmpty()) {
                continue;
            }
            (s.path("x-podnet-kind").asText("").equals("ipam") ? ipam : plugins).putIfAbsent(type, name);
        }
        return new CniSchemas(loader, b, "netconf.schema.json", "conflist.schema.json", plugins, ipam);
    }

    /** Plugin {@code type} to schema file. */
    public Map<String, String> pluginTypes() {
        return plugins;
    }

    /** IPAM {@code type} to schema file. */
    public Map<String, String> ipamTypes() {
        return ipam;
    }

    /** The top-level schema of a single-plugin network configuration. */
    public Optional<Schema> netconf() {
        return file(netconf);
    }

    /** The top-level schema of a network configuration list. */
    public Optional<Schema> conflist() {
        return file(conflist);
    }

    /** The schema of a plugin type, if one ships. */
    public Optional<Schema> plugin(String type) {
        String f = type == null ? null : plugins.get(type);
        return f == null ? Optional.empty() : file(f);
    }

    /** The schema of an IPAM plugin type, if one ships. */
    public Optional<Schema> ipam(String type) {
        String f = type == null ? null : ipam.get(type);
        return f == null ? Optional.empty() : file(f);
    }

    /** The root of a schema file. */
    public Optional<Schema> file(String name) {
        return files.computeIfAbsent(name, n -> Optional.ofNullable(read(loader, base + n)))
                .map(n -> new Schema(name, n));
    }

    /**
     * One key and every schema that defines it, most specific first (a plugin's own definition before the shared
     * base's).
     */
    public record Property(String name, List<Schema> definitions) {
        /** The first non-empty {@code description} among the definitions; "" when none. */
        public String description(CniSchemas all) {
            for (Schema s : definitions) {
                String d = s.description(all);
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }

        /** The first declared JSON type among the definitions; "" when none. */
        public String type(CniSchemas all) {
            for (Schema s : definitions) {
                String t = s.type(all);
                if (!t.isEmpty()) {
                    return t;
                }
            }
            return "";
        }

        /** The values of the first definition that lists any (see {@link CniSchemas#values}). */
        public List<String> values(CniSchemas all) {
            for (Schema s : definitions) {
                List<String> v = all.values(s);
                if (!v.isEmpty()) {
                    return v;
                }
            }
            return List.of();
        }
    }

    /** Every key the schemas allow, in order of first appearance, with all its definitions. */
    public Map<String, Property> properties(List<Schema> schemas) {
        Map<String, List<Schema>> defs = new LinkedHashMap<>();
        for (Schema s : schemas) {
            collect(s, defs, 0);
        }
        Map<String, Property> out = new LinkedHashMap<>();
        defs.forEach((k, v) -> out.put(k, new Property(k, List.copyOf(v))));
        return out;
    }

    /** The key {@code key} as the schemas define it, or empty. */
    public Optional<Property> property(List<Schema> schemas, String key) {
        return Optional.ofNullable(properties(schemas).get(key));
    }

    /** The schema of array items ({@code items}, following {@code $ref}/{@code allOf}), or empty. */
    public Optional<Schema> items(Schema s) {
        return Optional.ofNullable(firstSchema(s, "items", 0));
    }

    /** The values a key's schema lists: {@code const}, {@code enum}, {@code examples}, or true/false for booleans. */
    public List<String> values(Schema s) {
        List<String> out = new ArrayList<>();
        JsonNode c = first(s, "const", 0);
        if (c != null) {
            out.add(c.toString());
        }
        JsonNode e = first(s, "enum", 0);
        if (e != null && e.isArray()) {
            e.forEach(v -> out.add(v.toString()));
        }
        JsonNode ex = first(s, "examples", 0);
        if (ex != null && ex.isArray()) {
            ex.forEach(v -> {
                if (!out.contains(v.toString())) {
                    out.add(v.toString());
                }
            });
        }
        if (out.isEmpty() && s.type(this).contains("boolean")) {
            out.add("true");
            out.add("false");
        }
        return out;
    }

    /** Resolves a {@code $ref} string relative to {@code from}; empty when it cannot be read. */
    public Optional<Schema> ref(String from, String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        int hash = ref.indexOf('#');
        String f = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        if (f.isEmpty()) {
            f = from;
        } else {
            int slash = f.lastIndexOf('/');
            f = slash < 0 ? f : f.substring(slash + 1);
        }
        String file = f;
        return file(file).map(root -> new Schema(file, pointer.isEmpty() ? root.node() : root.node().at(pointer)))
                .filter(s -> !s.node().isMissingNode());
    }

    private void collect(Schema s, Map<String, List<Schema>> out, int depth) {
        if (depth > MAX_REF_DEPTH || s == null || !s.node().isObject()) {
            return;
        }
        s.node().path("properties").fields().forEachRemaining(e -> out.computeIfAbsent(e.getKey(),
                k -> new ArrayList<>()).add(new Schema(s.file(), e.getValue())));
        if (s.node().has("$ref")) {
            ref(s.file(), s.node().get("$ref").asText()).ifPresent(r -> collect(r, out, depth + 1));
        }
        for (JsonNode a : s.node().path("allOf")) {
            collect(new Schema(s.file(), a), out, depth + 1);
        }
    }

    /** The first value of {@code key} on the schema, its $ref target or its allOf entries, depth-first. */
    private JsonNode first(Schema s, String key, int depth) {
        if (depth > MAX_REF_DEPTH || s == null || !s.node().isObject()) {
            return null;
        }
        if (s.node().has(key)) {
            return s.node().get(key);
        }
        if (s.node().has("$ref")) {
            Optional<Schema> r = ref(s.file(), s.node().get("$ref").asText());
            if (r.isPresent()) {
                JsonNode v = first(r.get(), key, depth + 1);
                if (v != null) {
                    return v;
                }
            }
        }
        for (JsonNode a : s.node().path("allOf")) {
            JsonNode v = first(new Schema(s.file(), a), key, depth + 1);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private Schema firstSchema(Schema s, String key, int depth) {
        if (depth > MAX_REF_DEPTH || s == null || !s.node().isObject()) {
            return null;
        }
        if (s.node().has(key)) {
            return new Schema(s.file(), s.node().get(key));
        }
        if (s.node().has("$ref")) {
            Optional<Schema> r = ref(s.file(), s.node().get("$ref").asText());
            if (r.isPresent()) {
                Schema v = firstSchema(r.get(), key, depth + 1);
                if (v != null) {
                    return v;
                }
            }
        }
        for (JsonNode a : s.node().path("allOf")) {
            Schema v = firstSchema(new Schema(s.file(), a), key, depth + 1);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private String firstText(Schema s, String key, int depth) {
        JsonNode v = first(s, key, depth);
        return v != null && v.isTextual() ? v.asText() : "";
    }

    private static JsonNode read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : JSON.readTree(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** File names directly inside a classpath folder (a directory or a jar entry prefix). */
    private static List<String> list(ClassLoader loader, String folder) {
        List<String> out = new ArrayList<>();
        try {
            Enumeration<URL> urls = loader.getResources(folder);
            while (urls.hasMoreElements()) {
                URL u = urls.nextElement();
                if ("file".equals(u.getProtocol())) {
                    try (Stream<Path> s = Files.list(Path.of(u.toURI()))) {
                        s.forEach(p -> out.add(p.getFileName().toString()));
                    }
                } else if ("jar".equals(u.getProtocol())) {
                    JarURLConnection c = (JarURLConnection) u.openConnection();
                    c.setUseCaches(false);
                    try (JarFile jar = c.getJarFile()) {
                        Enumeration<JarEntry> es = jar.entries();
                        while (es.hasMoreElements()) {
                            String n = es.nextElement().getName();
                            if (n.startsWith(folder) && n.length() > folder.length()
                                    && n.indexOf('/', folder.length()) < 0) {
                                out.add(n.substring(folder.length()));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return out;
        }
        Collections.sort(out);
        return out;
    }
}
