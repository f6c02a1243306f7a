package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.cni.CniConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Schema look-ups for editors (hover and completion in the language server), answered from podnet's CNI JSON
 * Schemas in {@code schemas/cni/} with plugin and IPAM dispatch applied: the schema of {@code /plugins/0} is
 * the one {@code INDEX.json} maps that plugin's {@code type} to, the schema of {@code .../ipam} adds the one
 * for the IPAM {@code type}, a flannel {@code delegate} uses its {@code type} (default {@code bridge}), and a
 * Multus {@code delegates} item uses its {@code type} (or the conflist schema when it has {@code plugins}).
 *
 * <p>Pointers are RFC 6901 JSON pointers into the configuration ({@code ""} is the top level). Nothing here
 * throws for odd input: an unknown key, an unknown plugin type or a pointer through a scalar gives an empty
 * answer. Thread-safe; the schemas are loaded once per JVM.
 *
 * <p>The static methods answer from the shipped schemas; {@link Catalog} answers the same questions (plus the
 * JSON type and the listed values of a key, for value completion) from the shipped schemas
 * ({@link Catalog#standard()}) or from another classpath folder with the same layout ({@link Catalog#load}).
 */
public final class CniSchemas {
    private CniSchemas() {
    }

    /**
     * A key allowed in an object.
     *
     * @param name        the key
     * @param description its schema {@code description} ("" when none)
     * @param type        its JSON type(s) from the first schema that declares one, e.g. {@code boolean} or
     *                    {@code string|array} ("" when none)
     */
    public record KeyInfo(String name, String description, String type) {
        /** A key with no declared type. */
        public KeyInfo(String name, String description) {
            this(name, description, "");
        }
    }

    /** {@link #describe(JsonNode, boolean, String)} for a parsed config. */
    public static Optional<String> describe(CniConfig config, String pointer) {
        return describe(config.root(), config.list(), pointer);
    }

    /**
     * The schema {@code description} of the value at {@code pointer}.
     *
     * @param root    the configuration's top-level object
     * @param list    true for a conflist (root schema {@code conflist.schema.json}), false for a single-plugin
     *                config ({@code netconf.schema.json} plus the plugin's schema)
     * @param pointer JSON pointer of the key or value being hovered; it need not exist in {@code root}
     * @return the description, or empty when podnet's schemas do not describe that location
     */
    public static Optional<String> describe(JsonNode root, boolean list, String pointer) {
        return Catalog.standard().describe(root, list, pointer);
    }

    /** {@link #knownKeys(JsonNode, boolean, String)} for a parsed config. */
    public static List<KeyInfo> knownKeys(CniConfig config, String objectPointer) {
        return knownKeys(config.root(), config.list(), objectPointer);
    }

    /**
     * The keys podnet's schemas allow in the object at {@code objectPointer}, in schema order (the plugin's own
     * keys before the keys every plugin may carry), each with its description.
     *
     * @return the keys; empty when the location is not an object podnet has a schema for (unknown plugin type,
     *         free-form map with no listed keys, pointer through a scalar)
     */
    public static List<KeyInfo> knownKeys(JsonNode root, boolean list, String objectPointer) {
        return Catalog.standard().knownKeys(root, list, objectPointer);
    }

    /**
     * What podnet's schema says about one plugin or IPAM plugin type, from the schema's podnet annotations.
     *
     * @param type               the {@code type} value, e.g. {@code portmap}
     * @param schemaFile         the schema file in {@code schemas/cni/}
     * @param title              the schema title
     * @param kind               {@code x-podnet-kind}: {@code main}, {@code meta} or {@code ipam} ("" if absent)
     * @param chainedOnly        {@code x-podnet-chainedOnly}: the plugin needs a prevResult (never first)
     * @param minCniVersion      {@code x-podnet-minCniVersion}, or "" when the plugin accepts every version
     * @param requiredCapability {@code x-podnet-requiredCapability}, or "" (e.g. portmap: portMappings)
     * @param deprecated         {@code x-podnet-deprecated} reason, or ""
     */
    public record PluginInfo(String type, String schemaFile, String title, String kind, boolean chainedOnly,
                             String minCniVersion, String requiredCapability, String deprecated) {
    }

    /** The plugin types (main and meta plugins) podnet has a schema for, in INDEX.json order. */
    public static List<String> pluginTypes() {
        return Catalog.standard().pluginTypes();
    }

    /** The IPAM types podnet has a schema for, in INDEX.json order. */
    public static List<String> ipamTypes() {
        return Catalog.standard().ipamTypes();
    }

    /** The schema facts of a plugin {@code type}, or empty when podnet has no schema for it. */
    public static Optional<PluginInfo> plugin(String type) {
        return Catalog.standard().plugin(type);
    }

    /** The schema facts of an IPAM {@code type}, or empty when podnet has no schema for it. */
    public static Optional<PluginInfo> ipam(String type) {
        return Catalog.standard().ipam(type);
    }

    /**
     * A podnet annotation ({@code x-podnet-<name>}, e.g. {@code sinceCniVersion}, {@code uncertain}) on the schema
     * of the value at {@code pointer}: the first one found among the applicable schemas (the value's own first).
     *
     * @return the annotation value, or empty when no applicable schema carries it
     */
    public static Optional<JsonNode> annotation(JsonNode root, boolean list, String pointer, String name) {
        return Catalog.standard().annotation(root, list, pointer, name);
    }

    /**
     * One set of CNI schemas and the look-ups over it. The same navigation, dispatch and {@code $ref}/{@code allOf}
     * expansion as the validation ({@link SchemaView}); pointers as in {@link CniSchemas}. Thread-safe.
     */
    public static final class Catalog {
        private static final Catalog STANDARD = new Catalog(SchemaStore.get());

        private final SchemaStore store;

        private Catalog(SchemaStore store) {
            this.store = store;
        }

        /** The schemas podnet ships ({@code schemas/cni/}). */
        public static Catalog standard() {
            return STANDARD;
        }

        /**
         * The schemas of another classpath folder with the layout of {@code schemas/cni/} (an {@code INDEX.json},
         * a {@code netconf.schema.json} with {@code $defs/pluginBase} and {@code $defs/ipamBase}, the files the
         * index names). Used by tests with small schemas.
         *
         * @throws IllegalStateException when a file is missing or is not JSON
         */
        public static Catalog load(ClassLoader loader, String folder) {
            return new Catalog(new SchemaStore(loader, folder));
        }

        /** See {@link CniSchemas#describe(JsonNode, boolean, String)}. */
        public Optional<String> describe(JsonNode root, boolean list, String pointer) {
            Nav nav = navigate(root, list, pointer);
            if (nav == null) {
                return Optional.empty();
            }
            SchemaView v = SchemaView.of(store, nav.schemas, nav.instance);
            String d = null;
            if (nav.element && v.dispatch() != null && v.dispatch().known()) {
                d = v.description(List.of(v.dispatch().schema()));
            }
            if (d == null) {
                d = v.description();
            }
            return Optional.ofNullable(d);
        }

        /**
         * The JSON type(s) the schemas give the value at {@code pointer}: the first {@code type} among the
         * applicable schemas, e.g. {@code boolean}, or {@code string|array} for a type list.
         *
         * @return the type, or "" when no schema there declares one (or the location is unknown)
         */
        public String type(JsonNode root, boolean list, String pointer) {
            Nav nav = navigate(root, list, pointer);
            return nav == null ? "" : typeOf(nav.schemas);
        }

        /**
         * The values the schemas list for the value at {@code pointer}, as JSON text ({@code "l2"} with its
         * quotes, {@code 1500}, {@code true}): every {@code const}, then every {@code enum} entry, then every
         * {@code examples} entry not listed yet, from all applicable schemas in order; {@code true} and
         * {@code false} for a boolean with none of those.
         *
         * @return the values; empty for an unknown location
         */
        public List<String> values(JsonNode root, boolean list, String pointer) {
            Nav nav = navigate(root, list, pointer);
            if (nav == null) {
                return List.of();
            }
            List<SchemaRef> ex = SchemaView.expand(store, nav.schemas);
            java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
            for (String keyword : List.of("const", "enum", "examples")) {
                for (SchemaRef s : ex) {
                    JsonNode v = s.node().get(keyword);
                    if (v == null) {
                        continue;
                    }
                    if (keyword.equals("const")) {
                        out.add(v.toString());
                    } else if (v.isArray()) {
                        v.forEach(x -> out.add(x.toString()));
                    }
                }
            }
            if (out.isEmpty() && typeOf(nav.schemas).contains("boolean")) {
                out.add("true");
                out.add("false");
            }
            return List.copyOf(out);
        }

        private String typeOf(List<SchemaRef> schemas) {
            for (SchemaRef s : SchemaView.expand(store, schemas)) {
                JsonNode t = s.node().get("type");
                if (t != null && t.isTextual()) {
                    return t.asText();
                }
                if (t != null && t.isArray()) {
                    List<String> ts = new ArrayList<>();
                    t.forEach(x -> ts.add(x.asText()));
                    return String.join("|", ts);
                }
            }
            return "";
        }

        /** See {@link CniSchemas#knownKeys(JsonNode, boolean, String)}; each key also carries its type. */
        public List<KeyInfo> knownKeys(JsonNode root, boolean list, String objectPointer) {
            Nav nav = navigate(root, list, objectPointer);
            if (nav == null) {
                return List.of();
            }
            SchemaView v = SchemaView.of(store, nav.schemas, nav.instance);
            if (v.dispatch() != null && v.dispatch().unknown()) {
                return List.of();
            }
            List<KeyInfo> out = new ArrayList<>();
            for (Map.Entry<String, List<SchemaRef>> e : v.properties().entrySet()) {
                String d = v.description(e.getValue());
                out.add(new KeyInfo(e.getKey(), d == null ? "" : d, typeOf(e.getValue())));
            }
            return out;
        }

        /** The plugin types (main and meta plugins) with a schema, in INDEX.json order. */
        public List<String> pluginTypes() {
            return List.copyOf(store.pluginFiles().keySet());
        }

        /** The IPAM types with a schema, in INDEX.json order. */
        public List<String> ipamTypes() {
            return List.copyOf(store.ipamFiles().keySet());
        }

        /** See {@link CniSchemas#plugin(String)}. */
        public Optional<PluginInfo> plugin(String type) {
            return info(type, store.pluginFile(type));
        }

        /** See {@link CniSchemas#ipam(String)}. */
        public Optional<PluginInfo> ipam(String type) {
            return info(type, store.ipamFile(type));
        }

        private Optional<PluginInfo> info(String type, String file) {
            if (file == null) {
                return Optional.empty();
            }
            JsonNode s = store.root(file).node();
            return Optional.of(new PluginInfo(type, file, s.path("title").asText(""),
                    s.path("x-podnet-kind").asText(""), s.path("x-podnet-chainedOnly").asBoolean(false),
                    s.path("x-podnet-minCniVersion").asText(""), s.path("x-podnet-requiredCapability").asText(""),
                    s.path("x-podnet-deprecated").asText("")));
        }

        /** See {@link CniSchemas#annotation(JsonNode, boolean, String, String)}. */
        public Optional<JsonNode> annotation(JsonNode root, boolean list, String pointer, String name) {
            Nav nav = navigate(root, list, pointer);
            if (nav == null) {
                return Optional.empty();
            }
            for (SchemaRef s : SchemaView.of(store, nav.schemas, nav.instance).schemas()) {
                JsonNode a = s.node().get("x-podnet-" + name);
                if (a != null) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }

        private Nav navigate(JsonNode root, boolean list, String pointer) {
            List<SchemaRef> schemas = List.of(store.root(list ? SchemaStore.CONFLIST : SchemaStore.NETCONF));
            JsonNode inst = root;
            boolean element = true;
            if (pointer == null || (!pointer.isEmpty() && !pointer.startsWith("/"))) {
                return null;
            }
            if (pointer.isEmpty()) {
                return new Nav(schemas, inst, element);
            }
            for (String raw : pointer.substring(1).split("/", -1)) {
                String token = raw.replace("~1", "/").replace("~0", "~");
                SchemaView v = SchemaView.of(store, schemas, inst);
                if (v.dispatch() != null && v.dispatch().unknown()) {
                    return null;
                }
                boolean index = token.matches("0|[1-9][0-9]{0,8}");
                if (inst != null && inst.isArray() || (inst == null || inst.isMissingNode()) && index) {
                    if (!index) {
                        return null;
                    }
                    schemas = v.items();
                    inst = inst == null ? null : inst.get(Integer.parseInt(token));
                    element = true;
                } else {
                    List<SchemaRef> p = v.properties().get(token);
                    if (p == null) {
                        return null;
                    }
                    schemas = p;
                    inst = inst == null ? null : inst.get(token);
                    element = false;
                }
                if (schemas.isEmpty()) {
                    return null;
                }
            }
            return new Nav(schemas, inst, element);
        }
    }

    /** Where a pointer leads: the subschemas that apply, the instance value (or null) and how it was reached. */
    private record Nav(List<SchemaRef> schemas, JsonNode instance, boolean element) {
    }
}
