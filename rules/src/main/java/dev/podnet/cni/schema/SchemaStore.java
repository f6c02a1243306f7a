package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CNI JSON Schemas (draft 2020-12) shipped in {@code schemas/cni/} on the classpath, loaded once per JVM:
 * the raw schema trees (for navigation: known keys, descriptions, podnet annotations), the
 * {@code INDEX.json} tables (plugin {@code type} and IPAM {@code type} to schema file) and the networknt
 * {@link JsonSchema}s, compiled lazily once per file. Schema {@code $id}s
 * ({@code https://podnet.dev/schemas/cni/<file>}) are mapped to the classpath through the factory's schema
 * mapper, so validation never touches the network.
 *
 * <p>Throws {@link IllegalStateException} at class initialisation if a schema resource is missing or malformed:
 * that is a build defect, caught by the unit tests.
 */
final class SchemaStore {
    /** The {@code $id} prefix of every podnet CNI schema. */
    static final String ID_PREFIX = "https://podnet.dev/schemas/cni/";
    /** The classpath folder holding the schemas. */
    static final String RESOURCE_DIR = "schemas/cni/";
    static final String NETCONF = "netconf.schema.json";
    static final String CONFLIST = "conflist.schema.json";

    private static final SchemaStore INSTANCE = new SchemaStore(SchemaStore.class.getClassLoader(), RESOURCE_DIR);

    private final Map<String, JsonNode> trees = new LinkedHashMap<>();
    private final Map<String, String> pluginFiles;
    private final Map<String, String> ipamFiles;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final Map<List<SchemaRef>, List<SchemaRef>> expandCache = new ConcurrentHashMap<>();
    private final Map<List<SchemaRef>, Map<String, List<SchemaRef>>> propertiesCache = new ConcurrentHashMap<>();
    private final JsonNode pluginBase;
    private final JsonNode ipamBase;
    private final ClassLoader loader;
    private final String dir;

    /**
     * Loads the schemas of a classpath folder laid out like {@code schemas/cni/} (an {@code INDEX.json}, a
     * {@code netconf.schema.json} with {@code $defs/pluginBase} and {@code $defs/ipamBase}, the files the index
     * names).
     *
     * @param loader the class loader to read resources from
     * @param dir    the folder, ending in '/'
     * @throws IllegalStateException when a resource is missing or not JSON
     */
    SchemaStore(ClassLoader loader, String dir) {
        this.loader = loader;
        this.dir = dir.endsWith("/") ? dir : dir + "/";
        ObjectMapper mapper = new ObjectMapper();
        JsonNode index = read(mapper, "INDEX.json");
        pluginFiles = table(index.path("plugins"));
        ipamFiles = table(index.path("ipam"));
        List<String> files = new ArrayList<>();
        files.add(index.path("netconf").asText(NETCONF));
        files.add(index.path("conflist").asText(CONFLIST));
        files.addAll(pluginFiles.values());
        files.addAll(ipamFiles.values());
        for (String f : files) {
            trees.computeIfAbsent(f, k -> read(mapper, k));
        }
        pluginBase = trees.get(NETCONF).at("/$defs/pluginBase");
        ipamBase = trees.get(NETCONF).at("/$defs/ipamBase");
        if (!pluginBase.isObject() || !ipamBase.isObject()) {
            throw new IllegalStateException(this.dir + NETCONF + " lacks $defs/pluginBase or $defs/ipamBase");
        }
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:" + this.dir)));
        config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    }

    /** The store (loaded on first use). */
    static SchemaStore get() {
        return INSTANCE;
    }

    private JsonNode read(ObjectMapper mapper, String file) {
        String res = dir + file;
        try (InputStream in = loader.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + res);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema resource " + res + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> table(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(m);
    }

    /** The schema file for a plugin {@code type}, or null when podnet has none. */
    String pluginFile(String type) {
        return pluginFiles.get(type);
    }

    /** The schema file for an IPAM {@code type}, or null when podnet has none. */
    String ipamFile(String type) {
        return ipamFiles.get(type);
    }

    /** Plugin types podnet has a schema for, in INDEX.json order. */
    Map<String, String> pluginFiles() {
        return pluginFiles;
    }

    /** IPAM types podnet has a schema for, in INDEX.json order. */
    Map<String, String> ipamFiles() {
        return ipamFiles;
    }

    /** The whole raw schema of a file, as a reference. */
    SchemaRef root(String file) {
        JsonNode t = trees.get(file);
        if (t == null) {
            throw new IllegalArgumentException("unknown schema file " + file);
        }
        return new SchemaRef(file, t);
    }

    /** The raw schema node at a JSON pointer inside a file (a missing node if absent). */
    JsonNode node(String file, String pointer) {
        JsonNode t = trees.get(file);
        return t == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : t.at(pointer);
    }

    /** True when the node is netconf.schema.json#/$defs/pluginBase. */
    boolean isPluginBase(JsonNode n) {
        return n == pluginBase;
    }

    /** True when the node is netconf.schema.json#/$defs/ipamBase. */
    boolean isIpamBase(JsonNode n) {
        return n == ipamBase;
    }

    /**
     * Resolves a {@code $ref} found in {@code from}: either {@code file#/pointer} (relative to the
     * {@code $id} folder) or {@code #/pointer} (same file). Returns null for a reference outside podnet's
     * schemas.
     */
    SchemaRef resolve(SchemaRef from, String ref) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        if (file.startsWith(ID_PREFIX)) {
            file = file.substring(ID_PREFIX.length());
        }
        if (file.isEmpty()) {
            file = from.file();
        }
        JsonNode t = trees.get(file);
        if (t == null) {
            return null;
        }
        JsonNode n = t.at(pointer);
        return n.isMissingNode() ? null : new SchemaRef(file, n);
    }

    /** Memo of {@link SchemaView#expand}: schema lists to their $ref/allOf closure (schemas never change). */
    Map<List<SchemaRef>, List<SchemaRef>> expandCache() {
        return expandCache;
    }

    /** Memo of the union of properties of an expanded schema list. */
    Map<List<SchemaRef>, Map<String, List<SchemaRef>>> propertiesCache() {
        return propertiesCache;
    }

    /** The compiled networknt schema of a file (compiled on first use, then cached). */
    JsonSchema compiled(String file) {
        return compiled.computeIfAbsent(file, f -> {
            JsonSchema s = factory.getSchema(SchemaLocation.of(ID_PREFIX + f), config);
            s.initializeValidators();
            return s;
        });
    }
}
