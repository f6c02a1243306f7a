package dev.podnet.service;

import dev.podnet.service.LenientJson.Node;
import dev.podnet.service.LenientJson.Obj;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a cursor is in a CNI network configuration and which schemas describe the object around it.
 *
 * <p>The file is read with {@link LenientJson} so the answer holds while the text is half typed. The top-level
 * object is a configuration list when it has {@code plugins} (or, with neither {@code plugins} nor {@code type},
 * when the file ends in {@code .conflist}); a single-plugin configuration when it has {@code type} (or the file
 * ends in {@code .conf}); a Kubernetes object ({@code apiVersion} and {@code kind}) is not CNI. Schema answers
 * for a location come from {@link dev.podnet.cni.schema.CniSchemas.Catalog} with the document as a Jackson tree
 * ({@link #json()}) and the location's JSON pointer ({@link #pointer(List)}); the catalog applies the CNI spec's
 * dispatch on {@code type} (CNI SPEC.md section 1 "Plugin configuration objects", section 4 "Plugin
 * delegation").
 */
public final class CniContext {
    private final Obj root;
    private final boolean list;
    private final LenientJson.Context context;
    private com.fasterxml.jackson.databind.JsonNode json;

    /** A context over a parsed top-level object. */
    public CniContext(Obj root, boolean list, LenientJson.Context context) {
        this.root = root;
        this.list = list;
        this.context = context;
    }

    /** The top-level object. */
    public Obj root() {
        return root;
    }

    /** True for a conflist. */
    public boolean list() {
        return list;
    }

    /** The cursor context. */
    public LenientJson.Context context() {
        return context;
    }

    /** The context at {@code offset}, or empty when the document is not a CNI configuration. */
    public static Optional<CniContext> of(TextDocument doc, int offset) {
        Node n = LenientJson.parse(doc.text());
        if (!(n instanceof Obj root)) {
            return Optional.empty();
        }
        Boolean list = isList(root, doc.uri());
        if (list == null) {
            return Optional.empty();
        }
        return Optional.of(new CniContext(root, list, LenientJson.at(root, offset)));
    }

    /** True for a conflist, false for a single-plugin config, null when the object is not a CNI config. */
    static Boolean isList(Obj root, String uri) {
        if (root.member("apiVersion") != null && root.member("kind") != null) {
            return null;
        }
        String u = uri == null ? "" : uri.toLowerCase(Locale.ROOT);
        if (root.member("plugins") != null) {
            return true;
        }
        if (root.member("type") != null) {
            return false;
        }
        if (u.endsWith(".conflist")) {
            return true;
        }
        if (u.endsWith(".conf")) {
            return false;
        }
        return null;
    }

    /** True when the object at {@code path} is a plugin configuration object. */
    public boolean isPlugin(List<Object> path) {
        return list ? path.size() == 2 && "plugins".equals(path.get(0)) && path.get(1) instanceof Integer
                : path.isEmpty();
    }

    /** True when the object at {@code path} is the {@code ipam} object of a plugin. */
    public boolean isIpam(List<Object> path) {
        return !path.isEmpty() && "ipam".equals(path.get(path.size() - 1))
                && isPlugin(path.subList(0, path.size() - 1));
    }

    /**
     * The document as a Jackson tree for the schema look-ups ({@link LenientJson#toJson}); built once per
     * context.
     */
    public com.fasterxml.jackson.databind.JsonNode json() {
        if (json == null) {
            json = LenientJson.toJson(root);
        }
        return json;
    }

    /** The RFC 6901 JSON pointer of a path of keys (String) and indexes (Integer), e.g. {@code /plugins/0}. */
    public static String pointer(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object step : path) {
            b.append('/').append(step.toString().replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }
}
