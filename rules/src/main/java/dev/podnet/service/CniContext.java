package dev.podnet.service;

import dev.podnet.service.LenientJson.Arr;
import dev.podnet.service.LenientJson.Node;
import dev.podnet.service.LenientJson.Obj;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a cursor is in a CNI network configuration and which schemas describe the object around it.
 *
 * <p>The file is read with {@link LenientJson} so the answer holds while the text is half typed. The top-level
 * object is a configuration list when it has {@code plugins} (or, with neither {@code plugins} nor {@code type},
 * when the file ends in {@code .conflist}); a single-plugin configuration when it has {@code type} (or the file
 * ends in {@code .conf}); a Kubernetes object ({@code apiVersion} and {@code kind}) is not CNI. The schemas of an
 * object are found by walking the path from the root through {@code properties}/{@code items}, and where the CNI
 * spec dispatches on a {@code type} (a plugin object: the root of a single-plugin config or an element of
 * {@code plugins}; an {@code ipam} object of a plugin) the schema of that type is put first (CNI SPEC.md
 * section 1 "Plugin configuration objects" and section 4 "Plugin delegation").
 *
 * @param root    the top-level object
 * @param list    true for a conflist
 * @param context the cursor context
 */
public record CniContext(Obj root, boolean list, LenientJson.Context context) {

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

    /** The schemas describing the object (or array) at {@code path}; most specific first. */
    public List<CniSchemas.Schema> schemasAt(CniSchemas all, List<Object> path) {
        List<CniSchemas.Schema> cur = new ArrayList<>();
        if (list) {
            all.conflist().ifPresent(cur::add);
        } else {
            all.plugin(root.string("type")).ifPresent(cur::add);
            all.netconf().ifPresent(cur::add);
        }
        Node node = root;
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            List<CniSchemas.Schema> next = new ArrayList<>();
            if (step instanceof String key) {
                all.property(cur, key).ifPresent(pr -> next.addAll(pr.definitions()));
                node = node instanceof Obj o && o.member(key) != null ? o.member(key).value() : null;
            } else {
                for (CniSchemas.Schema s : cur) {
                    all.items(s).ifPresent(next::add);
                }
                int idx = (Integer) step;
                node = node instanceof Arr a && idx < a.items().size() ? a.items().get(idx) : null;
            }
            List<Object> sub = path.subList(0, i + 1);
            if (node instanceof Obj o) {
                Optional<CniSchemas.Schema> typed = isPlugin(sub) ? all.plugin(o.string("type"))
                        : isIpam(sub) ? all.ipam(o.string("type")) : Optional.empty();
                typed.ifPresent(t -> next.add(0, t));
            }
            cur = next;
        }
        return cur;
    }
}
