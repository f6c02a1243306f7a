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
 */
public final class CniSchemas {
    private CniSchemas() {
    }

    /** A key allowed in an object, with its schema description (may be empty). */
    public record KeyInfo(String name, String description) {
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
        Nav nav = navigate(root, list, pointer);
        if (nav == null) {
            return Optional.empty();
        }
        SchemaView v = SchemaView.of(SchemaStore.get(), nav.schemas, nav.instance);
        String d = null;
        if (nav.element && v.dispatch() != null && v.dispatch().known()) {
            d = v.description(List.of(v.dispatch().schema()));
        }
        if (d == null) {
            d = v.description();
        }
        return Optional.ofNullable(d);
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
        Nav nav = navigate(root, list, objectPointer);
        if (nav == null) {
            return List.of();
        }
        SchemaView v = SchemaView.of(SchemaStore.get(), nav.schemas, nav.instance);
        if (v.dispatch() != null && v.dispatch().unknown()) {
            return List.of();
        }
        List<KeyInfo> out = new ArrayList<>();
        for (Map.Entry<String, List<SchemaRef>> e : v.properties().entrySet()) {
            String d = v.description(e.getValue());
            out.add(new KeyInfo(e.getKey(), d == null ? "" : d));
        }
        return out;
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
        return List.copyOf(SchemaStore.get().pluginFiles().keySet());
    }

    /** The IPAM types podnet has a schema for, in INDEX.json order. */
    public static List<String> ipamTypes() {
        return List.copyOf(SchemaStore.get().ipamFiles().keySet());
    }

    /** The schema facts of a plugin {@code type}, or empty when podnet has no schema for it. */
    public static Optional<PluginInfo> plugin(String type) {
        return info(type, SchemaStore.get().pluginFile(type));
    }

    /** The schema facts of an IPAM {@code type}, or empty when podnet has no schema for it. */
    public static Optional<PluginInfo> ipam(String type) {
        return info(type, SchemaStore.get().ipamFile(type));
    }

    private static Optional<PluginInfo> info(String type, String file) {
        if (file == null) {
            return Optional.empty();
        }
        JsonNode s = SchemaStore.get().root(file).node();
        return Optional.of(new PluginInfo(type, file, s.path("title").asText(""), s.path("x-podnet-kind").asText(""),
                s.path("x-podnet-chainedOnly").asBoolean(false), s.path("x-podnet-minCniVersion").asText(""),
                s.path("x-podnet-requiredCapability").asText(""), s.path("x-podnet-deprecated").asText("")));
    }

    /**
     * A podnet annotation ({@code x-podnet-<name>}, e.g. {@code sinceCniVersion}, {@code uncertain}) on the schema
     * of the value at {@code pointer}: the first one found among the applicable schemas (the value's own first).
     *
     * @return the annotation value, or empty when no applicable schema carries it
     */
    public static Optional<JsonNode> annotation(JsonNode root, boolean list, String pointer, String name) {
        Nav nav = navigate(root, list, pointer);
        if (nav == null) {
            return Optional.empty();
        }
        for (SchemaRef s : SchemaView.of(SchemaStore.get(), nav.schemas, nav.instance).schemas()) {
            JsonNode a = s.node().get("x-podnet-" + name);
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Where a pointer leads: the subschemas that apply, the instance value (or null) and how it was reached. */
    private record Nav(List<SchemaRef> schemas, JsonNode instance, boolean element) {
    }

    private static Nav navigate(JsonNode root, boolean list, String pointer) {
        SchemaStore store = SchemaStore.get();
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
