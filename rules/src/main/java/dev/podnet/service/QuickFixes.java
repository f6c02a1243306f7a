package dev.podnet.service;

import dev.podnet.service.LenientJson.Member;
import dev.podnet.service.LenientJson.Node;
import dev.podnet.service.LenientJson.Obj;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.SourceFile;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;

/**
 * Quick fixes for podnet diagnostics. Each {@link Fix} looks at one diagnostic (its message, {@code code} or
 * {@code data}) and the document text and may offer a {@link CodeAction} with a text edit; a new fix is one more
 * entry in {@link #FIXES}.
 *
 * <p>The contract with the rules, in order of preference:
 * <ol>
 *   <li>A rule that can compute its fix passes a {@link dev.podnet.diag.Diagnostic.Fix} to the reporter (helpers
 *       in {@link dev.podnet.fix.Fixes}: rename a key, add to policyTypes, merge two peers, add a DNS egress
 *       rule, add a port entry, replace a Service port by its targetPort, add the suppression annotation);
 *       {@link LspDiagnostics} puts it in {@code data.fix} and {@link #FROM_DATA} offers it as is. Today: CNI005
 *       (unknown key with a did-you-mean: rename), NP050 (merge the ORed peers), NP047 (add a DNS egress rule,
 *       or UDP 53 next to TCP 53), NP048 (add TCP 53), NP054 (the Service's targetPort).</li>
 *   <li>Fixes keyed by the message, for rules that give none: {@link #HAIRPIN} (message mentions
 *       {@code hairpinMode}), {@link #ADD_EGRESS} (message mentions both {@code policyTypes} and {@code Egress},
 *       on a NetworkPolicy with egress rules whose policyTypes lacks Egress).</li>
 *   <li>{@link #SUPPRESS}: any finding with a rule id (not SYN*) inside a Kubernetes manifest object.</li>
 * </ol>
 */
public final class QuickFixes {

    /** One kind of quick fix. */
    public interface Fix {
        /** A code action fixing {@code d} in {@code doc}, or empty when this fix does not apply. */
        Optional<CodeAction> fix(TextDocument doc, Diagnostic d);
    }

    /**
     * Sets {@code "hairpinMode": true} on the bridge plugin the diagnostic points into: the innermost plugin
     * object (one with a {@code type}) around the diagnostic's start, or, when the diagnostic is outside every
     * plugin, the only {@code bridge} plugin of the file. An existing {@code hairpinMode} value is replaced; else
     * the member is added after the object's last member, on its own line with the same indentation when the
     * object spans several lines.
     */
    public static final Fix HAIRPIN = (doc, d) -> {
        if (d.getMessage() == null || !d.getMessage().contains("hairpinMode")) {
            return Optional.empty();
        }
        Node root = LenientJson.parse(doc.text());
        if (!(root instanceof Obj r) || CniContext.isList(r, doc.uri()) == null) {
            return Optional.empty();
        }
        Obj plugin = pluginAround(r, doc.offset(d.getRange() == null ? null : d.getRange().getStart()));
        if (plugin == null) {
            plugin = onlyBridge(r);
        }
        if (plugin == null) {
            return Optional.empty();
        }
        TextEdit edit = setMember(doc, plugin, "hairpinMode", "true");
        CodeAction a = new CodeAction("Set \"hairpinMode\": true on the bridge plugin");
        a.setKind(CodeActionKind.QuickFix);
        a.setDiagnostics(List.of(d));
        a.setIsPreferred(true);
        a.setEdit(new WorkspaceEdit(Map.of(doc.uri(), List.of(edit))));
        return Optional.of(a);
    };

    /**
     * The fix a rule computed ({@code data.fix}, see {@link LspDiagnostics}), offered as the preferred fix; not
     * offered when {@code data.version} names another version of the document than the current one.
     */
    public static final Fix FROM_DATA = (doc, d) -> {
        if (!(d.getData() instanceof JsonObject data) || !data.has("fix") || !data.get("fix").isJsonObject()) {
            return Optional.empty();
        }
        if (data.has("version") && data.get("version").getAsInt() != doc.version()) {
            return Optional.empty(); // computed on an older text: the edits would land in the wrong place
        }
        JsonObject fix = data.getAsJsonObject("fix");
        List<TextEdit> edits = new ArrayList<>();
        for (JsonElement e : fix.getAsJsonArray("edits")) {
            JsonObject o = e.getAsJsonObject();
            JsonObject r = o.getAsJsonObject("range");
            edits.add(new TextEdit(new Range(pos(r.getAsJsonObject("start")), pos(r.getAsJsonObject("end"))),
                    o.get("newText").getAsString()));
        }
        return Optional.of(action(doc, d, fix.get("title").getAsString(), edits, true));
    };

    /**
     * Adds {@code Egress} to {@code policyTypes} of the NetworkPolicy around the diagnostic, for a finding about
     * egress rules that have no effect: message mentions {@code policyTypes} and {@code Egress}, the policy has
     * egress rules and lists policyTypes without Egress ({@link dev.podnet.fix.Fixes#addPolicyType}).
     */
    public static final Fix ADD_EGRESS = (doc, d) -> {
        String m = d.getMessage();
        if (m == null || !m.contains("policyTypes") || !m.contains("Egress") || hasDataFix(d)) {
            return Optional.empty();
        }
        return objectAt(doc, d).filter(o -> "NetworkPolicy".equals(o.doc().at(o.base() + "/kind").asText())
                        && o.doc().at(o.base() + "/spec/egress").size() > 0
                        && o.doc().at(o.base() + "/spec/policyTypes").isArray())
                .flatMap(o -> dev.podnet.fix.Fixes.addPolicyType(o.doc(), o.base(), "Egress"))
                .map(f -> action(doc, d, f, true));
    };

    /** The reason written into a suppression annotation; the user replaces it with the real one. */
    public static final String SUPPRESS_REASON = "TODO: why this finding does not apply";

    /**
     * Adds {@code ignore-check.podnet.dev/<rule>: "<reason>"} to the manifest object the finding is in
     * ({@link dev.podnet.lint.LintEngine#SUPPRESS_PREFIX}); for any rule except the file-level SYN* findings.
     */
    public static final Fix SUPPRESS = (doc, d) -> {
        String rule = LspDiagnostics.ruleOf(d);
        if (rule == null || rule.startsWith("SYN") || !rule.matches("[A-Z]+[0-9]+")) {
            return Optional.empty();
        }
        return objectAt(doc, d).flatMap(o -> dev.podnet.fix.Fixes.suppress(o.doc(), o.base(), rule, SUPPRESS_REASON))
                .map(f -> action(doc, d, f, false));
    };

    /** Every fix, in the order offered. */
    public static final List<Fix> FIXES = List.of(FROM_DATA, HAIRPIN, ADD_EGRESS, SUPPRESS);

    private static boolean hasDataFix(Diagnostic d) {
        return d.getData() instanceof JsonObject o && o.has("fix");
    }

    private static Position pos(JsonObject p) {
        return new Position(p.get("line").getAsInt(), p.get("character").getAsInt());
    }

    private static CodeAction action(TextDocument doc, Diagnostic d, dev.podnet.diag.Diagnostic.Fix f,
                                     boolean preferred) {
        List<TextEdit> edits = new ArrayList<>();
        for (dev.podnet.diag.Diagnostic.Edit e : f.edits()) {
            edits.add(new TextEdit(LspDiagnostics.range(e.range()), e.newText()));
        }
        return action(doc, d, f.title(), edits, preferred);
    }

    private static CodeAction action(TextDocument doc, Diagnostic d, String title, List<TextEdit> edits,
                                     boolean preferred) {
        CodeAction a = new CodeAction(title);
        a.setKind(CodeActionKind.QuickFix);
        a.setDiagnostics(List.of(d));
        a.setIsPreferred(preferred);
        a.setEdit(new WorkspaceEdit(Map.of(doc.uri(), edits)));
        return a;
    }

    /** The Kubernetes manifest object (document and its base pointer) holding the diagnostic's start. */
    static Optional<dev.podnet.inventory.SourceRef> objectAt(TextDocument doc, Diagnostic d) {
        if (d.getRange() == null) {
            return Optional.empty();
        }
        int line = d.getRange().getStart().getLine();
        int ch = d.getRange().getStart().getCharacter();
        for (SourceFile.Doc sd : Manifests.docs(doc)) {
            if (sd.kind() != DocKind.MANIFEST || !sd.doc().docRange().contains(line, ch)) {
                continue;
            }
            List<dev.podnet.inventory.SourceRef> objs = dev.podnet.inventory.InventoryBuilder.objects(sd.doc());
            for (dev.podnet.inventory.SourceRef o : objs) {
                if (o.base().isEmpty() || o.range("").contains(line, ch)) {
                    return Optional.of(o);
                }
            }
        }
        return Optional.empty();
    }

    /** The fixes for the diagnostics, in diagnostic order then {@link #FIXES} order. */
    public List<CodeAction> fixes(TextDocument doc, List<Diagnostic> diagnostics) {
        List<CodeAction> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (d == null) {
                continue;
            }
            for (Fix f : FIXES) {
                try {
                    f.fix(doc, d).ifPresent(out::add);
                } catch (RuntimeException e) {
                    // a fix that cannot handle odd text offers nothing; the other fixes still run
                }
            }
        }
        return out;
    }

    private static Obj pluginAround(Obj root, int offset) {
        LenientJson.Context ctx = LenientJson.at(root, offset);
        Obj best = null;
        List<Node> cs = ctx.containers();
        for (int i = 0; i < cs.size(); i++) {
            boolean ipam = i > 0 && i <= ctx.path().size() && "ipam".equals(ctx.path().get(i - 1));
            if (cs.get(i) instanceof Obj o && o.member("type") != null && !ipam && o.member("plugins") == null) {
                best = o;
            }
        }
        return best;
    }

    private static Obj onlyBridge(Obj root) {
        Member ps = root.member("plugins");
        Obj found = null;
        if (ps != null && ps.value() instanceof LenientJson.Arr arr) {
            for (Node p : arr.items()) {
                if (p instanceof Obj o && "bridge".equals(o.string("type"))) {
                    if (found != null) {
                        return null;
                    }
                    found = o;
                }
            }
        } else if ("bridge".equals(root.string("type"))) {
            found = root;
        }
        return found;
    }

    /** An edit that gives {@code obj} the member {@code key} with the JSON text {@code value}. */
    static TextEdit setMember(TextDocument doc, Obj obj, String key, String value) {
        Member existing = obj.member(key);
        if (existing != null) {
            if (existing.value() != null) {
                return new TextEdit(doc.range(existing.value().start(), existing.value().end()), value);
            }
            int at = existing.colon() >= 0 ? existing.colon() + 1 : existing.keyEnd();
            return new TextEdit(doc.range(at, at), (existing.colon() >= 0 ? " " : ": ") + value);
        }
        String member = "\"" + key + "\": " + value;
        if (obj.members().isEmpty()) {
            return new TextEdit(doc.range(obj.start() + 1, obj.start() + 1), member);
        }
        Member last = obj.members().get(obj.members().size() - 1);
        int end = last.value() == null ? last.keyEnd() : last.value().end();
        int lastLine = doc.position(last.keyStart()).getLine();
        boolean multiLine = doc.position(obj.start()).getLine() != lastLine;
        String sep;
        if (multiLine) {
            String line = doc.text().substring(doc.offset(lastLine, 0), last.keyStart());
            String indent = line.isBlank() ? line : "";
            sep = ",\n" + indent;
        } else {
            sep = ", ";
        }
        return new TextEdit(doc.range(end, end), sep + member);
    }
}
