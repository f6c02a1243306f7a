package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNI network configuration as a runtime would load it: either a single-plugin network configuration
 * (NetConf, CNI SPEC.md "Network configuration format", usually a {@code .conf} file) or a network configuration
 * list (conflist, {@code plugins} array). For uniform checks both expose their plugins as a list of
 * {@link Plugin}s with JSON pointers into the source document: a NetConf is its own single plugin at pointer
 * {@code ""}; the plugins of a conflist are at {@code /plugins/N}.
 *
 * @param file the source file (for its name, extension and directory)
 * @param doc  the parsed document (a JSON object)
 * @param list true for a conflist (content has {@code plugins}), false for a single NetConf
 */
public record CniConfig(SourceFile file, SourceDoc doc, boolean list) {

    /** One plugin configuration object and where it is. */
    public record Plugin(int index, String pointer, JsonNode node) {
        /** The plugin's {@code type} ("" when absent or not a string). */
        public String type() {
            JsonNode t = node.get("type");
            return t != null && t.isTextual() ? t.asText() : "";
        }

        /** Pointer of this plugin's {@code ipam} object. */
        public String ipamPointer() {
            return pointer + "/ipam";
        }

        /** This plugin's {@code ipam} object, or a missing node. */
        public JsonNode ipam() {
            return node.path("ipam");
        }
    }

    /** Every CNI config in the workspace, in input order (only files that parsed without syntax errors). */
    public static List<CniConfig> from(Workspace ws) {
        List<CniConfig> out = new ArrayList<>();
        for (SourceFile f : ws.files()) {
            if (!f.parsedCleanly()) {
                continue;
            }
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() == DocKind.CNI_CONF || d.kind() == DocKind.CNI_CONFLIST) {
                    out.add(new CniConfig(f, d.doc(), d.kind() == DocKind.CNI_CONFLIST));
                }
            }
        }
        return out;
    }

    /** The top-level object. */
    public JsonNode root() {
        return doc.root();
    }

    /** The top-level {@code cniVersion} ("" when absent or not a string). */
    public String cniVersion() {
        JsonNode v = root().get("cniVersion");
        return v != null && v.isTextual() ? v.asText() : "";
    }

    /** The top-level network {@code name} ("" when absent or not a string). */
    public String name() {
        JsonNode v = root().get("name");
        return v != null && v.isTextual() ? v.asText() : "";
    }

    /** The plugins in chain order (for a NetConf, the config itself). */
    public List<Plugin> plugins() {
        List<Plugin> out = new ArrayList<>();
        if (!list) {
            out.add(new Plugin(0, "", root()));
            return out;
        }
        JsonNode ps = root().get("plugins");
        if (ps != null && ps.isArray()) {
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i).isObject()) {
                    out.add(new Plugin(i, "/plugins/" + i, ps.get(i)));
                }
            }
        }
        return out;
    }

    /** The display path of the file. */
    public String path() {
        return file.path();
    }
}
