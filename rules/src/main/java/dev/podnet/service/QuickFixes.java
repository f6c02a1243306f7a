package dev.podnet.service;

import dev.podnet.service.LenientJson.Member;
import dev.podnet.service.LenientJson.Node;
import dev.podnet.service.LenientJson.Obj;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;

/**
 * Quick fixes for podnet diagnostics. Each {@link Fix} looks at one diagnostic (its message, {@code code} or
 * {@code data}) and the document text and may offer a {@link CodeAction} with a text edit; a new fix is one more
 * entry in {@link #FIXES}.
 *
 * <p>Today: {@link #HAIRPIN}, for findings whose message mentions {@code hairpinMode} (the bridge plugin must
 * set {@code "hairpinMode": true} for a pod to reach itself through its own Service; plugins/main/bridge/bridge.go
 * sets the port's hairpin flag only when asked).
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

    /** Every fix, in the order offered. */
    public static final List<Fix> FIXES = List.of(HAIRPIN);

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
