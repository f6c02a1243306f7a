package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.SourceDoc;

/**
 * The per-file semantic rules for CNI network configurations, CNI010..CNI069 (documented in
 * {@code podnet/rules/cni.yaml}). Each {@link CniConfig} of the workspace is checked on its own by the groups
 * <ul>
 *   <li>{@link CniVersionRules}: {@code cniVersion} / {@code cniVersions} (CNI010-CNI017),</li>
 *   <li>{@link CniNetworkRules}: network name, {@code plugins}, file extension, plugin {@code type}
 *       (CNI020-CNI025),</li>
 *   <li>{@link CniIpamRules}: host-local and static IPAM addresses, ranges and routes (CNI030-CNI040),</li>
 *   <li>{@link CniBridgeRules}: the bridge plugin and flannel's bridge delegate (CNI045-CNI057),</li>
 *   <li>{@link CniChainRules}: order and capabilities of chained plugins (CNI060-CNI064).</li>
 * </ul>
 * Files that do not parse are left to the syntax rules; directory-wide questions (which file a runtime loads,
 * clashes between files) are not answered here.
 */
public final class CniRules implements Check {

    /**
     * Checks every CNI config of the workspace. Documents read from {@code .yaml}/{@code .yml} files are skipped:
     * runtimes read CNI configs as JSON only, and a YAML file with a string {@code type} is far more often
     * something else.
     */
    @Override
    public void run(Workspace workspace, Reporter reporter) {
        for (CniConfig c : CniConfig.from(workspace)) {
            reporter.checkCanceled();
            String ext = c.file().extension();
            if (ext.equals(".yaml") || ext.equals(".yml")) {
                continue;
            }
            CniNetworkRules.check(c, reporter);
            CniVersionRules.check(c, reporter);
            CniIpamRules.check(c, reporter);
            CniBridgeRules.check(c, reporter);
            CniChainRules.check(c, reporter);
        }
        for (SourceFile f : workspace.files()) {
            if (!f.parsedCleanly() || !f.extension().equals(".conflist")) {
                continue;
            }
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() == DocKind.OTHER) {
                    CniNetworkRules.checkListWithoutPlugins(f, d.doc(), reporter);
                }
            }
        }
    }

    /** True when {@code n} is the JSON boolean {@code true} (Go's decoder accepts nothing else for a bool). */
    static boolean isTrue(JsonNode n) {
        return n != null && n.isBoolean() && n.booleanValue();
    }

    /** The text of a string member, or null when absent or not a string. */
    static String text(JsonNode obj, String key) {
        JsonNode v = obj == null ? null : obj.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /**
     * The best place to anchor a finding about a whole plugin object or a member missing from it: its
     * {@code type} value when present (one short span), else the object itself.
     */
    static String anchor(SourceDoc doc, String pluginPointer) {
        String t = SourceDoc.child(pluginPointer, "type");
        return doc.valueRanges().containsKey(t) ? t : pluginPointer;
    }

    /** Human form of a JSON pointer for messages: {@code /plugins/0/ipam} becomes {@code plugins[0].ipam}. */
    static String path(String pointer) {
        if (pointer.isEmpty()) {
            return "the top level";
        }
        StringBuilder b = new StringBuilder();
        for (String tok : pointer.substring(1).split("/", -1)) {
            String t = tok.replace("~1", "/").replace("~0", "~");
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                b.append('[').append(t).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(t);
            }
        }
        return b.toString();
    }
}
