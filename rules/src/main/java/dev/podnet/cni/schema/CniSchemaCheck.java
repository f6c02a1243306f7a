package dev.podnet.cni.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.podnet.cni.CniConfig;
import dev.podnet.lint.Check;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.Workspace;
import dev.podnet.source.SourceDoc;
import dev.podnet.text.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema family of the CNI linter (rules {@code CNI001}..{@code CNI009}, documented in
 * {@code podnet/rules/cni-schema.yaml}). Every CNI configuration of the workspace is validated with the
 * networknt JSON Schema validator (draft 2020-12) against podnet's schemas in {@code schemas/cni/}: a conflist
 * against {@code conflist.schema.json}, a single-plugin file against {@code netconf.schema.json}, each plugin
 * object against the schema {@code INDEX.json} maps its {@code type} to, each {@code ipam} object against its
 * IPAM type's schema, a flannel {@code delegate} against its type's (default bridge) and each Multus
 * {@code delegates} item against its type's (or the conflist schema). Each validation message becomes one
 * finding at the offending value, key or object, with a message written by podnet (see {@link Findings}).
 *
 * <p>Unknown keys are found by podnet itself: a key not among the {@code properties} reachable through
 * {@code allOf}/{@code $ref} from the object's schemas (after dispatch) is a {@code CNI005} warning with a
 * did-you-mean (and then a {@link dev.podnet.diag.Diagnostic.Fix} renaming the key), since the real plugins (Go {@code json.Unmarshal}) ignore unknown keys silently; in maps marked
 * {@code x-podnet-openMap} (capabilities, runtimeConfig) it is a {@code CNI008} info; in free-form maps nothing.
 * A plugin or IPAM {@code type} podnet has no schema for is a {@code CNI006}/{@code CNI007} info and its object
 * is not checked further.
 *
 * <p>Left to the semantic CNI rules (CNI010 onwards) and never reported here: {@code pattern} and
 * {@code maxLength} failures (network name, cniVersion syntax, IFNAMSIZ), {@code enum} on cniVersion, missing
 * {@code type}/{@code cniVersion}/{@code name}/{@code plugins} at the top level or in a conflist plugin, an
 * empty {@code plugins} list, and hairpinMode combined with promiscMode.
 */
public final class CniSchemaCheck implements Check {

    @Override
    public void run(Workspace workspace, Reporter reporter) {
        for (CniConfig c : CniConfig.from(workspace)) {
            reporter.checkCanceled();
            for (Findings.Finding f : findings(c.doc().root(), c.list())) {
                if (f.rename() != null) {
                    reporter.reportKey(f.rule(), c.doc(), f.pointer(), f.message(),
                            dev.podnet.fix.Fixes.renameKey(c.doc(), f.pointer(), f.rename()).orElse(null));
                } else if (f.onKey()) {
                    reporter.reportKey(f.rule(), c.doc(), f.pointer(), f.message());
                } else {
                    reporter.report(f.rule(), c.doc(), f.pointer(), f.message());
                }
            }
        }
    }

    /**
     * The schema findings for one configuration, without positions (pointers only), in discovery order and
     * without duplicates. Exposed for tests and for the language server.
     *
     * @param root the top-level object of the configuration
     * @param list true for a conflist, false for a single-plugin config
     */
    public static List<Findings.Finding> findings(JsonNode root, boolean list) {
        SchemaStore store = SchemaStore.get();
        Walk walk = new Walk(store, root);
        String rootFile = list ? SchemaStore.CONFLIST : SchemaStore.NETCONF;
        walk.targets.put("", new LinkedHashSet<>(List.of(rootFile)));
        walk.walk(root, "", List.of(store.root(rootFile)), list ? "libcni" : null);
        Findings mapper = new Findings(root, walk.objects, walk.defaulted);
        Set<Findings.Finding> out = new LinkedHashSet<>(walk.found);
        for (Map.Entry<String, Set<String>> t : walk.targets.entrySet()) {
            JsonNode node = t.getKey().isEmpty() ? root : root.at(t.getKey());
            for (String file : t.getValue()) {
                List<Located> msgs = new ArrayList<>();
                for (ValidationMessage m : store.compiled(file).validate(node)) {
                    msgs.add(new Located(pointer(t.getKey(), m.getInstanceLocation()), m));
                }
                out.addAll(mapper.map(msgs));
            }
        }
        return List.copyOf(out);
    }

    /** A validation message with its absolute instance pointer. */
    record Located(String pointer, ValidationMessage message) {
    }

    private static String pointer(String prefix, JsonNodePath path) {
        return dev.podnet.lint.DocumentSchema.pointer(prefix, path);
    }

    /** The walk over one configuration: unknown keys, unknown types, dispatch targets. */
    private static final class Walk {
        private final SchemaStore store;
        private final JsonNode root;
        /** Instance pointer to the schema files it must be validated against (dispatch targets). */
        final Map<String, Set<String>> targets = new LinkedHashMap<>();
        /** Object pointer to its known properties (for descriptions in messages). */
        final Map<String, Map<String, List<SchemaRef>>> objects = new HashMap<>();
        final List<Findings.Finding> found = new ArrayList<>();
        /** Objects whose plugin type came from x-podnet-defaultType (or a conflist shape), not a "type" key. */
        final Set<String> defaulted = new java.util.HashSet<>();

        Walk(SchemaStore store, JsonNode root) {
            this.store = store;
            this.root = root;
        }

        void walk(JsonNode inst, String ptr, List<SchemaRef> schemas, String owner) {
            SchemaView v = SchemaView.of(store, schemas, inst);
            if (inst.isArray()) {
                List<SchemaRef> items = v.items();
                if (!items.isEmpty()) {
                    for (int i = 0; i < inst.size(); i++) {
                        walk(inst.get(i), SourceDoc.child(ptr, i), items, owner);
                    }
                }
                return;
            }
            if (!inst.isObject()) {
                return;
            }
            boolean checkKeys = true;
            boolean dispatched = false;
            SchemaView.Dispatch d = v.dispatch();
            if (d != null) {
                if (d.unknown()) {
                    boolean ipam = d.kind() == SchemaView.DispatchKind.IPAM;
                    Optional<String> s = DidYouMean.closest(d.type(),
                            (ipam ? store.ipamFiles() : store.pluginFiles()).keySet());
                    found.add(new Findings.Finding(ipam ? "CNI007" : "CNI006", ptr + "/type", false,
                            "podnet has no schema for " + (ipam ? "IPAM plugin" : "plugin") + " \"" + d.type()
                                    + "\"" + s.map(x -> " (did you mean \"" + x + "\"?)").orElse("")
                                    + "; the keys of " + Findings.display(ptr) + " are not checked"));
                    return;
                }
                if (d.known()) {
                    dispatched = true;
                    targets.computeIfAbsent(ptr, k -> new LinkedHashSet<>()).add(d.schema().file());
                    owner = d.type() != null ? d.type() : owner;
                    if (!inst.has("type")) {
                        defaulted.add(ptr);
                    }
                } else {
                    checkKeys = false; // no type: podnet cannot know which plugin reads these keys
                }
            }
            Map<String, List<SchemaRef>> props = v.properties();
            objects.put(ptr, props);
            if (props.isEmpty()) {
                return;
            }
            boolean open = v.openMap();
            boolean free = !dispatched && v.freeForm();
            var it = inst.fields();
            while (it.hasNext()) {
                var e = it.next();
                String key = e.getKey();
                String child = SourceDoc.child(ptr, key);
                List<SchemaRef> sub = props.get(key);
                if (sub != null) {
                    walk(e.getValue(), child, sub, owner);
                } else if (!checkKeys || free) {
                    continue;
                } else if (open) {
                    Optional<String> s = DidYouMean.closest(key, props.keySet());
                    found.add(new Findings.Finding("CNI008", child, true, "\"" + key + "\" is not a well-known key of "
                            + Findings.display(ptr) + s.map(x -> " (did you mean \"" + x + "\"?)").orElse("")
                            + "; it has an effect only if both the runtime and the plugin know it"));
                } else {
                    Optional<String> s = DidYouMean.closest(key, props.keySet());
                    String who = owner == null ? "the plugin" : owner;
                    found.add(new Findings.Finding("CNI005", child, true, "unknown key \"" + key + "\" in "
                            + Findings.display(ptr) + " (" + who + " ignores it silently): "
                            + s.map(x -> "did you mean \"" + x + "\"?").orElse("remove it or correct its name"),
                            s.orElse(null)));
                }
            }
        }
    }
}
