package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What podnet's CNI schemas say about one instance value, given the subschemas that apply to it: every schema
 * reachable through {@code $ref} and {@code allOf} (in that order, the value's own schema first), the union of
 * their {@code properties}, their array {@code items}, and the podnet annotations
 * {@code x-podnet-openMap}, {@code $comment: "free-form"} and {@code x-podnet-dispatchOn}.
 *
 * <p>Dispatch: an object whose schemas include {@code netconf.schema.json#/$defs/pluginBase} (or carry
 * {@code x-podnet-dispatchOn: "type"}, e.g. the flannel {@code delegate}, the Multus {@code delegates} items)
 * is also checked against the plugin schema that {@code INDEX.json} maps its {@code type} to (or the
 * {@code x-podnet-defaultType}; an object with {@code plugins} and no {@code type} is a conflist); an object
 * whose schemas include {@code $defs/ipamBase} dispatches through the IPAM table.
 */
final class SchemaView {
    /** How an object picks its concrete schema. */
    enum DispatchKind { PLUGIN, IPAM }

    /** The outcome of dispatching an object on its {@code type}. */
    record Dispatch(DispatchKind kind, String type, SchemaRef schema) {
        /** True when the type was given (or defaulted) and podnet has a schema for it. */
        boolean known() {
            return schema != null;
        }

        /** True when the type was given but podnet has no schema for it. */
        boolean unknown() {
            return schema == null && type != null;
        }
    }

    private final SchemaStore store;
    private final List<SchemaRef> expanded;
    private final Dispatch dispatch;

    private SchemaView(SchemaStore store, List<SchemaRef> expanded, Dispatch dispatch) {
        this.store = store;
        this.expanded = expanded;
        this.dispatch = dispatch;
    }

    /**
     * The view of {@code instance} (may be null or missing) under {@code schemas}; dispatch is applied when the
     * instance is an object.
     */
    static SchemaView of(SchemaStore store, List<SchemaRef> schemas, JsonNode instance) {
        List<SchemaRef> ex = expand(store, schemas);
        Dispatch d = null;
        if (instance != null && instance.isObject()) {
            d = dispatch(store, ex, instance);
            if (d != null && d.known() && !ex.contains(d.schema())) {
                // the concrete schema goes before the shared bases (pluginBase, ipamBase) so that its keys and
                // descriptions come first, but after the value's own non-base schemas (a flannel delegate's
                // wording beats the bridge schema's)
                Set<SchemaRef> bases = new LinkedHashSet<>();
                Set<SchemaRef> own = new LinkedHashSet<>();
                for (SchemaRef s : ex) {
                    (isBase(store, s) ? bases : own).add(s);
                }
                Set<SchemaRef> ordered = new LinkedHashSet<>(own);
                ordered.addAll(expand(store, List.of(d.schema())));
                ordered.addAll(bases);
                ex = List.copyOf(ordered);
            }
        }
        return new SchemaView(store, ex, d);
    }

    private static boolean isBase(SchemaStore store, SchemaRef s) {
        return store.isPluginBase(s.node()) || store.isIpamBase(s.node());
    }

    /** Every schema reachable from {@code schemas} through $ref and allOf, each once, depth first (memoised). */
    static List<SchemaRef> expand(SchemaStore store, List<SchemaRef> schemas) {
        List<SchemaRef> hit = store.expandCache().get(schemas);
        if (hit != null) {
            return hit;
        }
        List<SchemaRef> ex = expandUncached(store, schemas);
        store.expandCache().putIfAbsent(List.copyOf(schemas), ex);
        return ex;
    }

    private static List<SchemaRef> expandUncached(SchemaStore store, List<SchemaRef> schemas) {
        Set<SchemaRef> out = new LinkedHashSet<>();
        for (SchemaRef s : schemas) {
            expandInto(store, s, out);
        }
        return List.copyOf(out);
    }

    private static void expandInto(SchemaStore store, SchemaRef s, Set<SchemaRef> out) {
        if (s == null || !s.node().isObject() || !out.add(s)) {
            return;
        }
        JsonNode ref = s.node().get("$ref");
        if (ref != null && ref.isTextual()) {
            expandInto(store, store.resolve(s, ref.asText()), out);
        }
        JsonNode all = s.node().get("allOf");
        if (all != null && all.isArray()) {
            for (JsonNode a : all) {
                expandInto(store, new SchemaRef(s.file(), a), out);
            }
        }
    }

    private static Dispatch dispatch(SchemaStore store, List<SchemaRef> ex, JsonNode instance) {
        DispatchKind kind = null;
        String defaultType = null;
        for (SchemaRef s : ex) {
            if (store.isIpamBase(s.node())) {
                kind = DispatchKind.IPAM;
                break;
            }
            if (store.isPluginBase(s.node()) || s.node().path("x-podnet-dispatchOn").isTextual()) {
                kind = DispatchKind.PLUGIN;
                if (s.node().path("x-podnet-defaultType").isTextual()) {
                    defaultType = s.node().get("x-podnet-defaultType").asText();
                }
            }
        }
        if (kind == null) {
            return null;
        }
        JsonNode t = instance.get("type");
        String type;
        if (t == null) {
            if (kind == DispatchKind.PLUGIN && instance.has("plugins")) {
                return new Dispatch(kind, null, store.root(SchemaStore.CONFLIST));
            }
            type = defaultType;
        } else if (t.isTextual()) {
            type = t.asText();
        } else {
            return new Dispatch(kind, null, null); // a non-string type is a type error, reported by validation
        }
        if (type == null) {
            return new Dispatch(kind, null, null);
        }
        String file = kind == DispatchKind.IPAM ? store.ipamFile(type) : store.pluginFile(type);
        return new Dispatch(kind, type, file == null ? null : store.root(file));
    }

    /** The dispatch outcome, or null when this value does not dispatch (or is not an object). */
    Dispatch dispatch() {
        return dispatch;
    }

    /** The applicable schemas, the value's own first. */
    List<SchemaRef> schemas() {
        return expanded;
    }

    /** Property name to the subschemas defining it, in schema order (own properties first). */
    Map<String, List<SchemaRef>> properties() {
        return store.propertiesCache().computeIfAbsent(expanded, SchemaView::collectProperties);
    }

    private static Map<String, List<SchemaRef>> collectProperties(List<SchemaRef> expanded) {
        Map<String, List<SchemaRef>> m = new LinkedHashMap<>();
        for (SchemaRef s : expanded) {
            JsonNode props = s.node().get("properties");
            if (props != null && props.isObject()) {
                props.fields().forEachRemaining(e ->
                        m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new SchemaRef(s.file(), e.getValue())));
            }
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The subschemas of array elements. */
    List<SchemaRef> items() {
        List<SchemaRef> out = new ArrayList<>();
        for (SchemaRef s : expanded) {
            JsonNode it = s.node().get("items");
            if (it != null && it.isObject()) {
                out.add(new SchemaRef(s.file(), it));
            }
        }
        return out;
    }

    /** True when a schema marks this object as an open map (capabilities, runtimeConfig). */
    boolean openMap() {
        return expanded.stream().anyMatch(s -> s.node().path("x-podnet-openMap").asBoolean(false));
    }

    /** True when a schema marks this object free-form (any key allowed, none checked). */
    boolean freeForm() {
        return expanded.stream().anyMatch(s -> "free-form".equals(s.node().path("$comment").asText()));
    }

    /** The first {@code description} among the schemas, or null. */
    String description() {
        return description(expanded);
    }

    /** The first {@code description} among {@code schemas} expanded, or null. */
    String description(List<SchemaRef> schemas) {
        for (SchemaRef s : expand(store, schemas)) {
            JsonNode d = s.node().get("description");
            if (d != null && d.isTextual()) {
                return d.asText();
            }
        }
        return null;
    }

    /** The store this view reads. */
    SchemaStore store() {
        return store;
    }
}
