package dev.podnet.service;

import dev.podnet.cni.schema.CniSchemas;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.SourceFile;
import dev.podnet.service.LenientJson.Member;
import dev.podnet.service.LenientJson.Node;
import dev.podnet.service.LenientJson.Obj;
import dev.podnet.service.LenientJson.Scalar;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextEdit;

/**
 * The editor features of podnet over one document, independent of the protocol: hover, completion, document
 * symbols and quick fixes. Inputs are a {@link TextDocument} and LSP positions; outputs are lsp4j data objects.
 * Never throws for any text or position (a half-typed document gives fewer answers, not errors).
 *
 * <ul>
 *   <li>Hover on a key (or its value) of a CNI configuration: the key's {@code description} from the CNI
 *       schemas ({@link CniSchemas.Catalog}), with its type.</li>
 *   <li>Completion in a CNI configuration: at a key position, the keys the schemas allow for the object under
 *       the cursor that it does not have yet; at a value position, the plugin/IPAM types that ship a schema
 *       for {@code type}, else the key's {@code const}/{@code enum}/{@code examples} or true/false.</li>
 *   <li>Document symbols: for CNI, the network (its {@code name}) with its plugins by {@code type}; for
 *       manifests, each object as {@code Kind name}; a NetworkPolicy has its {@code podSelector} and each rule
 *       ({@code ingress rule N}, {@code egress rule N}, 1-based) as children.</li>
 *   <li>With the workspace inventory: hover on selectors and policies, "selects N pods · M unreachable" code
 *       lenses, label completion in selectors ({@link InventoryFeatures}).</li>
 *   <li>Quick fixes: {@link QuickFixes}.</li>
 * </ul>
 */
public final class LanguageService {
    private final CniSchemas.Catalog schemas;
    private final QuickFixes fixes = new QuickFixes();

    /** A service over the given schemas. */
    public LanguageService(CniSchemas.Catalog schemas) {
        this.schemas = schemas;
    }

    /** A service over the schemas podnet ships. */
    public static LanguageService standard() {
        return new LanguageService(CniSchemas.Catalog.standard());
    }

    /** The schemas in use. */
    public CniSchemas.Catalog schemas() {
        return schemas;
    }

    /**
     * Hover with the inventory: on a NetworkPolicy's selectors, peers, kind or name what they match
     * ({@link InventoryFeatures#hover}); elsewhere as {@link #hover(TextDocument, Position)}.
     *
     * @param inv the workspace inventory, or null when none is built yet
     */
    public Optional<Hover> hover(TextDocument doc, Position pos, dev.podnet.inventory.Inventory inv) {
        try {
            Optional<Hover> h = InventoryFeatures.hover(doc, pos, inv);
            if (h.isPresent()) {
                return h;
            }
        } catch (RuntimeException e) {
            // an odd manifest gives no inventory hover; the schema hover may still answer
        }
        return hover(doc, pos);
    }

    /**
     * Completion with the inventory: label keys and values inside NetworkPolicy selectors
     * ({@link InventoryFeatures#labelCompletion}), else as {@link #completion(TextDocument, Position)}.
     */
    public List<CompletionItem> completion(TextDocument doc, Position pos, dev.podnet.inventory.Inventory inv) {
        List<CompletionItem> c = completion(doc, pos);
        if (!c.isEmpty()) {
            return c;
        }
        try {
            return InventoryFeatures.labelCompletion(doc, pos, inv);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Code lenses: "selects N pods · M unreachable" on each NetworkPolicy ({@link InventoryFeatures#codeLenses}).
     *
     * @param inv         the workspace inventory, or null when none is built yet
     * @param unreachable the unreachable pods the same validation found
     *                    ({@link dev.podnet.reach.ReachabilityCheck#unreachable}), or null to show only N
     */
    public List<org.eclipse.lsp4j.CodeLens> codeLenses(TextDocument doc, dev.podnet.inventory.Inventory inv,
                                                       dev.podnet.reach.ReachabilityCheck.Unreachable unreachable) {
        try {
            return InventoryFeatures.codeLenses(doc, inv, unreachable);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Hover for the key (or value of a key) under the cursor in a CNI configuration; empty elsewhere. */
    public Optional<Hover> hover(TextDocument doc, Position pos) {
        int offset = doc.offset(pos);
        Optional<CniContext> c = CniContext.of(doc, offset);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        LenientJson.Context ctx = c.get().context();
        Member m = ctx.member();
        if (m == null || m.key() == null || !(ctx.container() instanceof Obj)) {
            return Optional.empty();
        }
        String pointer = CniContext.pointer(ctx.path()) + "/" + m.key().replace("~", "~0").replace("/", "~1");
        Optional<String> described = schemas.describe(c.get().json(), c.get().list(), pointer);
        if (described.isEmpty() || described.get().isEmpty()) {
            return Optional.empty();
        }
        String description = described.get();
        String type = schemas.type(c.get().json(), c.get().list(), pointer);
        String md = "**" + m.key() + "**" + (type.isEmpty() ? "" : " (`" + type + "`)") + "\n\n" + description;
        // Half-typed members ("key": with no value yet) have no value node: hover the key then.
        Range r = ctx.where() == LenientJson.Where.KEY || m.value() == null ? doc.range(m.keyStart(), m.keyEnd())
                : doc.range(m.value().start(), m.value().end());
        return Optional.of(new Hover(new MarkupContent(MarkupKind.MARKDOWN, md), r));
    }

    /** Completion items at the cursor; empty outside CNI configurations. */
    public List<CompletionItem> completion(TextDocument doc, Position pos) {
        int offset = doc.offset(pos);
        Optional<CniContext> oc = CniContext.of(doc, offset);
        if (oc.isEmpty()) {
            return List.of();
        }
        CniContext c = oc.get();
        LenientJson.Context ctx = c.context();
        if (!(ctx.container() instanceof Obj obj)) {
            return List.of();
        }
        if (ctx.where() == LenientJson.Where.KEY) {
            return keyItems(doc, offset, obj, ctx.member(),
                    schemas.knownKeys(c.json(), c.list(), CniContext.pointer(ctx.path())));
        }
        if (ctx.where() == LenientJson.Where.VALUE && ctx.member() != null) {
            return valueItems(doc, offset, c, ctx);
        }
        return List.of();
    }

    private List<CompletionItem> keyItems(TextDocument doc, int offset, Obj obj, Member editing,
                                          List<CniSchemas.KeyInfo> keys) {
        Set<String> present = obj.members().stream().filter(m -> m != editing && m.key() != null)
                .map(Member::key).collect(Collectors.toSet());
        Range replace;
        boolean addColon;
        if (editing == null) {
            replace = doc.range(offset, offset);
            addColon = true;
        } else {
            int end = editing.keyClosed() ? editing.keyEnd() : Math.max(offset, editing.keyStart());
            if (!editing.keyClosed()) {
                end = Math.min(end, editing.keyEnd());
            }
            replace = doc.range(editing.keyStart(), Math.max(end, editing.keyStart()));
            addColon = editing.colon() < 0;
        }
        List<CompletionItem> out = new ArrayList<>();
        int order = 0;
        for (CniSchemas.KeyInfo k : keys) {
            if (present.contains(k.name())) {
                continue;
            }
            CompletionItem item = new CompletionItem(k.name());
            item.setKind(CompletionItemKind.Property);
            item.setDetail(k.type().isEmpty() ? null : k.type());
            if (!k.description().isEmpty()) {
                item.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, k.description()));
            }
            String quoted = "\"" + k.name() + "\"";
            item.setFilterText(quoted);
            item.setSortText(String.format("%03d", order++));
            item.setTextEdit(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft(
                    new TextEdit(replace, addColon ? quoted + ": " : quoted)));
            out.add(item);
        }
        return out;
    }

    private List<CompletionItem> valueItems(TextDocument doc, int offset, CniContext c, LenientJson.Context ctx) {
        Member m = ctx.member();
        List<String> values = new ArrayList<>();
        if ("type".equals(m.key()) && c.isPlugin(ctx.path())) {
            schemas.pluginTypes().forEach(t -> values.add("\"" + t + "\""));
        } else if ("type".equals(m.key()) && c.isIpam(ctx.path())) {
            schemas.ipamTypes().forEach(t -> values.add("\"" + t + "\""));
        } else {
            values.addAll(schemas.values(c.json(), c.list(), CniContext.pointer(ctx.path()) + "/"
                    + m.key().replace("~", "~0").replace("/", "~1")));
        }
        Range replace = m.value() instanceof Scalar s ? doc.range(s.start(), s.closed() ? s.end()
                : Math.min(s.end(), Math.max(offset, s.start()))) : doc.range(offset, offset);
        List<CompletionItem> out = new ArrayList<>();
        int order = 0;
        for (String v : values) {
            CompletionItem item = new CompletionItem(v.startsWith("\"") && v.endsWith("\"") && v.length() > 1
                    ? v.substring(1, v.length() - 1) : v);
            item.setKind(CompletionItemKind.Value);
            item.setFilterText(v);
            item.setSortText(String.format("%03d", order++));
            item.setTextEdit(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft(new TextEdit(replace, v)));
            out.add(item);
        }
        return out;
    }

    /** The outline of a document; empty for text podnet does not read. */
    public List<DocumentSymbol> symbols(TextDocument doc) {
        Node n = LenientJson.parse(doc.text());
        if (n instanceof Obj root) {
            Boolean list = CniContext.isList(root, doc.uri());
            if (list != null) {
                return List.of(cniSymbol(doc, root, list));
            }
        }
        return manifestSymbols(doc);
    }

    private DocumentSymbol cniSymbol(TextDocument doc, Obj root, boolean list) {
        Member nameMember = root.member("name");
        String name = root.string("name");
        String file = doc.uri().substring(doc.uri().lastIndexOf('/') + 1);
        DocumentSymbol net = new DocumentSymbol(name == null || name.isEmpty() ? file : name, SymbolKind.Namespace,
                doc.range(root.start(), root.end()), nameMember == null ? doc.range(root.start(), root.start() + 1)
                : doc.range(nameMember.keyStart(), end(nameMember)));
        net.setDetail(list ? "CNI network configuration list" : "CNI network configuration");
        List<DocumentSymbol> children = new ArrayList<>();
        if (list) {
            Member ps = root.member("plugins");
            if (ps != null && ps.value() instanceof LenientJson.Arr arr) {
                int i = 0;
                for (Node p : arr.items()) {
                    if (p instanceof Obj po) {
                        children.add(pluginSymbol(doc, po, i));
                    }
                    i++;
                }
            }
        } else {
            children.add(pluginSymbol(doc, root, 0));
        }
        net.setChildren(children);
        return net;
    }

    private DocumentSymbol pluginSymbol(TextDocument doc, Obj p, int index) {
        Member t = p.member("type");
        String type = p.string("type");
        DocumentSymbol s = new DocumentSymbol(type == null || type.isEmpty() ? "(no type)" : type, SymbolKind.Object,
                doc.range(p.start(), p.end()), t == null ? doc.range(p.start(), p.start() + 1)
                : doc.range(t.keyStart(), end(t)));
        s.setDetail("plugin " + index);
        Obj ipam = p.member("ipam") != null && p.member("ipam").value() instanceof Obj o ? o : null;
        if (ipam != null) {
            Member it = ipam.member("type");
            String itype = ipam.string("type");
            DocumentSymbol is = new DocumentSymbol("ipam: " + (itype == null ? "(no type)" : itype),
                    SymbolKind.Property, doc.range(p.member("ipam").keyStart(), ipam.end()),
                    it == null ? doc.range(p.member("ipam").keyStart(), p.member("ipam").keyEnd())
                            : doc.range(it.keyStart(), end(it)));
            s.setChildren(List.of(is));
        } else {
            s.setChildren(List.of());
        }
        return s;
    }

    private static int end(Member m) {
        return m.value() == null ? m.keyEnd() : m.value().end();
    }

    private List<DocumentSymbol> manifestSymbols(TextDocument doc) {
        SourceFile f = LintEngine.read(InputFile.of(doc.uri(), doc.text()), new ArrayList<>());
        List<DocumentSymbol> out = new ArrayList<>();
        for (SourceFile.Doc d : f.docs()) {
            if (d.kind() != DocKind.MANIFEST) {
                continue;
            }
            SourceDoc sd = d.doc();
            String kind = sd.root().path("kind").asText("");
            String name = sd.root().path("metadata").path("name").asText("");
            String ns = sd.root().path("metadata").path("namespace").asText("");
            Range full = LspDiagnostics.range(sd.docRange());
            Range sel = LspDiagnostics.range(sd.keyRangeOf(name.isEmpty() ? "/kind" : "/metadata/name"));
            if (!contains(full, sel)) {
                sel = full;
            }
            DocumentSymbol s = new DocumentSymbol(kind + (name.isEmpty() ? "" : " " + name), SymbolKind.Class, full,
                    sel);
            s.setDetail(ns.isEmpty() ? sd.root().path("apiVersion").asText("") : "namespace " + ns);
            s.setChildren(kind.equals("NetworkPolicy") ? policyChildren(sd, full) : List.of());
            out.add(s);
        }
        return out;
    }

    /** podSelector, then "ingress rule N" / "egress rule N" (1-based) with their peers and ports as detail. */
    private static List<DocumentSymbol> policyChildren(SourceDoc sd, Range full) {
        List<DocumentSymbol> out = new ArrayList<>();
        if (sd.valueRanges().containsKey("/spec/podSelector")) {
            Range r = LspDiagnostics.range(sd.keyRangeOf("/spec/podSelector"));
            Range v = LspDiagnostics.range(sd.rangeOf("/spec/podSelector"));
            Range whole = new Range(r.getStart(), compare(v.getEnd(), r.getEnd()) > 0 ? v.getEnd() : r.getEnd());
            if (contains(full, whole)) {
                DocumentSymbol s = new DocumentSymbol("podSelector", SymbolKind.Field, whole, r);
                s.setChildren(List.of());
                out.add(s);
            }
        }
        for (String dir : List.of("ingress", "egress")) {
            var rules = sd.at("/spec/" + dir);
            for (int i = 0; i < rules.size(); i++) {
                String p = "/spec/" + dir + "/" + i;
                Range r = LspDiagnostics.range(sd.rangeOf(p));
                if (!contains(full, r)) {
                    continue;
                }
                Range sel = new Range(r.getStart(), r.getStart().getLine() == r.getEnd().getLine() ? r.getEnd()
                        : new Position(r.getStart().getLine(), sd.source().line(r.getStart().getLine()).length()));
                DocumentSymbol s = new DocumentSymbol(dir + " rule " + (i + 1), SymbolKind.Method, r, sel);
                var rule = sd.at(p);
                int peers = rule.path(dir.equals("ingress") ? "from" : "to").size();
                int ports = rule.path("ports").size();
                s.setDetail((peers == 0 ? "any peer" : peers + " peer" + (peers == 1 ? "" : "s")) + ", "
                        + (ports == 0 ? "all ports" : ports + " port" + (ports == 1 ? "" : "s")));
                s.setChildren(List.of());
                out.add(s);
            }
        }
        return out;
    }

    private static boolean contains(Range outer, Range inner) {
        return compare(outer.getStart(), inner.getStart()) <= 0 && compare(inner.getEnd(), outer.getEnd()) <= 0;
    }

    private static int compare(Position a, Position b) {
        return a.getLine() != b.getLine() ? Integer.compare(a.getLine(), b.getLine())
                : Integer.compare(a.getCharacter(), b.getCharacter());
    }

    /** Quick fixes for the given diagnostics of the document. */
    public List<CodeAction> codeActions(TextDocument doc, List<Diagnostic> diagnostics) {
        return fixes.fixes(doc, diagnostics == null ? List.of() : diagnostics);
    }
}
