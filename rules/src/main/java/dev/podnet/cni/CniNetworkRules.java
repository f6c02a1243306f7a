package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import java.util.regex.Pattern;

/**
 * Shape of a network configuration: the network {@code name} (CNI020, CNI021), the {@code plugins} array of a
 * conflist (CNI022), whether the file extension matches the content (CNI023, CNI024) and each plugin's
 * {@code type} (CNI025).
 *
 * <p>Sources: CNI SPEC.md section 1 (name charset since 1.0.0); libcni {@code libcni/conf.go}
 * ({@code ConfFromBytes}: "error parsing configuration: missing 'type'", {@code ConfListFromBytes}: "no name",
 * "no plugins in list", "invalid 'plugins' type"); {@code pkg/utils/utils.go} (name regex); libcni
 * {@code pkg/invoke/find.go} ("invalid plugin name"); containerd/go-cni {@code opts.go} and cri-o/ocicni
 * {@code ocicni.go} (the parser is chosen by extension: {@code .conflist} is a list, {@code .conf}/{@code .json}
 * a single config).
 */
final class CniNetworkRules {
    /** libcni / plugin skel network name rule ({@code pkg/utils/utils.go}). */
    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    private CniNetworkRules() {
    }

    static void check(CniConfig c, Reporter r) {
        SourceDoc doc = c.doc();
        JsonNode root = c.root();
        String ext = c.file().extension();
        String fileName = c.file().input().fileName();

        JsonNode name = root.get("name");
        if (name == null || name.isNull()) {
            r.reportKey("CNI020", doc, "/name", c.list()
                    ? "the network has no \"name\": libcni rejects the list (\"error parsing configuration list: "
                    + "no name\"), so containerd fails to load it and CRI-O skips it; add \"name\": \"<network>\""
                    : "the network has no \"name\": under containerd the plugin fails with \"missing network "
                    + "name\" (CRI-O substitutes the file name); add \"name\": \"<network>\"");
        } else if (!name.isTextual()) {
            r.report("CNI021", doc, "/name", "\"name\" must be a string (libcni: \"invalid name type\"); write "
                    + "it in double quotes");
        } else if (!NAME.matcher(name.asText()).matches()) {
            r.report("CNI021", doc, "/name", "network name \"" + name.asText() + "\" is invalid: it must match "
                    + "^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$ (plugins fail with \"invalid characters found in network "
                    + "name\"); use for example \"" + suggestName(name.asText()) + "\"");
        }

        if (c.list()) {
            JsonNode ps = root.get("plugins");
            if (ps == null || !ps.isArray()) {
                r.report("CNI022", doc, "/plugins", "\"plugins\" must be an array of plugin objects (libcni: "
                        + "\"invalid 'plugins' type\"); write \"plugins\": [{\"type\": ...}]");
            } else if (ps.isEmpty()) {
                r.report("CNI022", doc, "/plugins", "\"plugins\" is empty: libcni rejects the list (\"no plugins "
                        + "in list\"); add at least one plugin object with a \"type\"");
            }
            if (ext.equals(".conf") || ext.equals(".json")) {
                String fix = renamed(fileName, ".conflist");
                String msg = fileName + " contains a configuration list (\"plugins\") but has the " + ext
                        + " extension, so libcni parses it as a single plugin config and rejects it for missing a "
                        + "top-level \"type\" (containerd: \"error parsing configuration: missing 'type'\", no "
                        + "pod gets a network; CRI-O skips the file): rename it to " + fix;
                r.report("CNI023", c.path(), Range.FILE_START, msg, java.util.List.of());
                r.reportKey("CNI023", doc, "/plugins", msg);
            }
        } else if (ext.equals(".conflist")) {
            r.report("CNI024", c.path(), Range.FILE_START, singleAsListMessage(fileName), java.util.List.of());
            r.reportKey("CNI024", doc, "/type", singleAsListMessage(fileName));
        }

        if (c.list()) {
            JsonNode ps = root.get("plugins");
            if (ps != null && ps.isArray()) {
                for (int i = 0; i < ps.size(); i++) {
                    String p = "/plugins/" + i;
                    JsonNode pl = ps.get(i);
                    if (!pl.isObject()) {
                        r.report("CNI025", doc, p, "plugins[" + i + "] is not an object: libcni fails with "
                                + "\"failed to parse plugin config " + i + "\"; write {\"type\": \"<plugin>\", ...}");
                    } else {
                        checkType(doc, p, pl, i, r);
                    }
                }
            }
        } else {
            checkType(doc, "", root, -1, r);
        }
    }

    private static void checkType(SourceDoc doc, String p, JsonNode plugin, int index, Reporter r) {
        String where = index < 0 ? "the network config" : "plugins[" + index + "]";
        JsonNode t = plugin.get("type");
        String tp = SourceDoc.child(p, "type");
        if (t == null || t.isNull()) {
            r.report("CNI025", doc, p.isEmpty() ? "/type" : p, where + " has no \"type\": libcni fails with "
                    + (index < 0 ? "" : "\"failed to parse plugin config " + index + ": ") + "error parsing "
                    + "configuration: missing 'type'\"; add \"type\" naming the plugin binary (e.g. \"bridge\")");
        } else if (!t.isTextual()) {
            r.report("CNI025", doc, tp, "\"type\" of " + where + " must be a string naming the plugin binary");
        } else if (t.asText().isEmpty()) {
            r.report("CNI025", doc, tp, "\"type\" of " + where + " is empty: the runtime fails with \"no plugin "
                    + "name provided\"; name the plugin binary (e.g. \"bridge\")");
        } else if (t.asText().contains("/") || t.asText().contains("\\")) {
            String base = t.asText().substring(Math.max(t.asText().lastIndexOf('/'), t.asText().lastIndexOf('\\'))
                    + 1);
            r.report("CNI025", doc, tp, "\"type\" \"" + t.asText() + "\" contains a path separator: libcni fails "
                    + "with \"invalid plugin name\"; write only the binary name (\"" + base + "\") and put its "
                    + "directory in the runtime's CNI bin dirs");
        }
    }

    /** A {@code .conflist} file whose content has neither {@code plugins} nor {@code type} (classified OTHER). */
    static void checkListWithoutPlugins(SourceFile f, SourceDoc doc, Reporter r) {
        JsonNode root = doc.root();
        if (!root.isObject() || !(root.has("cniVersion") || root.has("name")) || root.has("apiVersion")) {
            return;
        }
        r.reportKey("CNI022", doc, "/plugins", f.input().fileName() + " is a configuration list without "
                + "\"plugins\": libcni rejects it (\"no plugin configs found\"; libcni before v1.2: \"no 'plugins' "
                + "key\"); add \"plugins\": [{\"type\": ...}]");
    }

    private static String singleAsListMessage(String fileName) {
        return fileName + " holds a single plugin config (top-level \"type\", no \"plugins\") but has the "
                + ".conflist extension, so libcni parses it as a list and rejects it (\"no plugin configs found\"; "
                + "libcni before v1.2: \"no 'plugins' key\"; containerd fails to load it, CRI-O skips it): rename "
                + "it to " + renamed(fileName, ".conf") + " or wrap the plugin in \"plugins\": [...]";
    }

    static String renamed(String fileName, String ext) {
        int i = fileName.lastIndexOf('.');
        return (i <= 0 ? fileName : fileName.substring(0, i)) + ext;
    }

    private static String suggestName(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_.\\-]", "-").replaceAll("^[^a-zA-Z0-9]+", "");
        return s.isEmpty() ? "net0" : s;
    }
}
