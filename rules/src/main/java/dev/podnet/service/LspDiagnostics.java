package dev.podnet.service;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import dev.podnet.lint.SourceFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.DiagnosticCodeDescription;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Validation for the language server: lints a {@link WorkspaceModel.Snapshot} with the same {@link LintEngine}
 * and messages as the CLI and converts the findings to LSP diagnostics.
 *
 * <p>Conversion ({@link #toLsp}): range as is (both are zero-based UTF-16), severity by name (ERROR..HINT are
 * LSP's 1..4), {@code code} = rule id, {@code codeDescription.href} = {@link RuleInfo#helpUri()},
 * {@code source} = {@code "podnet"}, {@code relatedInformation} from {@link Diagnostic#related()}, and
 * {@code data} = a JSON object (kept by clients that drop {@code code}, read back by code actions):
 * <pre>{"rule": "CNI005",
 *  "fix": {"title": "Rename \"hairpinmode\" to \"hairpinMode\"",
 *          "edits": [{"range": {"start": {"line": 0, "character": 50}, "end": {...}}, "newText": "..."}]}}</pre>
 * where {@code fix} is present only when the rule produced a {@link Diagnostic.Fix} (ranges as LSP ranges), and
 * then {@code "version"} is the version of the open document the edits were computed on (absent for files
 * that are not open).
 */
public final class LspDiagnostics {
    /** The {@code source} of every diagnostic podnet publishes. */
    public static final String SOURCE = "podnet";

    private LspDiagnostics() {
    }

    /**
     * Lints every input of the snapshot and groups the findings by URI. Every input URI has an entry (an empty
     * list when clean), so a publish for it clears old findings.
     *
     * @throws java.util.concurrent.CancellationException when {@code options.cancel()} turns true
     */
    public static Map<String, List<org.eclipse.lsp4j.Diagnostic>> validate(LintEngine engine,
                                                                          WorkspaceModel.Snapshot snapshot,
                                                                          LintOptions options) {
        return validate(engine, snapshot, options, new ReadCache());
    }

    /**
     * Parsed files kept between validations: a file is decoded and parsed again only when its bytes changed
     * (same array, or equal content), and the checks' per-document results kept for the unchanged files
     * ({@link dev.podnet.lint.LintMemo}). Safe for overlapping validations: each run reads the map the last finished
     * run left and publishes its own new map (never mutated afterwards).
     */
    public static final class ReadCache {
        private record Entry(byte[] bytes, SourceFile file, List<Diagnostic> findings) {
        }

        /** Results the checks keep for the unchanged documents (see {@link dev.podnet.lint.LintMemo}). */
        private final dev.podnet.lint.LintMemo memo = new dev.podnet.lint.LintMemo();

        private volatile Map<String, Entry> entries = new HashMap<>();

        /** The parsed file and its read findings, from the cache when the bytes are unchanged. */
        SourceFile read(InputFile in, List<Diagnostic> findings, Map<String, Entry> next) {
            Entry e = entries.get(in.path());
            if (e == null || !(e.bytes() == in.bytes() || Arrays.equals(e.bytes(), in.bytes()))
                    || e.file().input().truncated() != in.truncated()) {
                List<Diagnostic> f = new ArrayList<>();
                SourceFile now = LintEngine.read(in, f);
                e = new Entry(in.bytes(), e == null ? now : keepUnchangedDocs(e.file(), now), List.copyOf(f));
            }
            next.put(in.path(), e);
            findings.addAll(e.findings());
            return e.file();
        }
    }

    /**
     * The re-parsed file {@code now} with each document that did not change since {@code old} replaced by the old
     * document object, so the results the checks keep per document ({@link dev.podnet.lint.LintMemo}) are found
     * again: an edit in one document of a 100-document stream re-checks that document only. A document is unchanged
     * when it has the same position in the stream, the same kind, the same range, and the same text from its first
     * line up to the first line of the next document (or the end of the file), line breaks included: then its value
     * tree and every value and key range are the same too (YAML anchors do not cross documents). The lines after
     * the range count because a block scalar with keep chomping ({@code |+}) at the end of a document takes the
     * blank lines that follow into its value, and the fixes computed on a kept document read its last line's break
     * ({@code Fixes.insertLinesAfter}). The reused document refers to the old {@link dev.podnet.source.SourceText},
     * whose lines in that stretch are the new ones (text outside it may differ).
     */
    static SourceFile keepUnchangedDocs(SourceFile old, SourceFile now) {
        if (old.text() == null || now.text() == null || old.docs().isEmpty() || now.docs().isEmpty()) {
            return now;
        }
        Map<Integer, Integer> before = new HashMap<>();
        for (int i = 0; i < old.docs().size(); i++) {
            before.put(old.docs().get(i).doc().index(), i);
        }
        List<SourceFile.Doc> docs = new ArrayList<>(now.docs().size());
        boolean kept = false;
        for (int i = 0; i < now.docs().size(); i++) {
            SourceFile.Doc d = now.docs().get(i);
            Integer at = before.get(d.doc().index());
            SourceFile.Doc o = at == null ? null : old.docs().get(at);
            if (o != null && o.kind() == d.kind() && o.doc().docRange().equals(d.doc().docRange())
                    && sameText(old.text(), d.doc().docRange().startLine(), stretchEnd(old, at),
                    now.text(), stretchEnd(now, i))) {
                docs.add(o);
                kept = true;
            } else {
                docs.add(d);
            }
        }
        return kept ? new SourceFile(now.input(), now.text(), now.parse(), List.copyOf(docs)) : now;
    }

    /**
     * The line (exclusive) where the stretch of text of the document at position {@code pos} ends: the first line of
     * the next document that starts after it, else the line count (the end of the file).
     */
    private static int stretchEnd(SourceFile f, int pos) {
        int end = f.docs().get(pos).doc().docRange().endLine();
        for (int j = pos + 1; j < f.docs().size(); j++) {
            int s = f.docs().get(j).doc().docRange().startLine();
            if (s > end) {
                return s;
            }
        }
        return f.text().lineCount();
    }

    /** True when lines {@code from} (inclusive) to {@code aEnd}/{@code bEnd} (exclusive) are the same text. */
    private static boolean sameText(dev.podnet.source.SourceText a, int from, int aEnd,
                                    dev.podnet.source.SourceText b, int bEnd) {
        int as = a.offset(from, 0);
        int ae = a.offset(aEnd, 0);
        int bs = b.offset(from, 0);
        int be = b.offset(bEnd, 0);
        return ae - as == be - bs && a.text().regionMatches(as, b.text(), bs, ae - as);
    }

    /** As {@link #validate(LintEngine, WorkspaceModel.Snapshot, LintOptions)}, reusing unchanged parses. */
    public static Map<String, List<org.eclipse.lsp4j.Diagnostic>> validate(LintEngine engine,
                                                                          WorkspaceModel.Snapshot snapshot,
                                                                          LintOptions options, ReadCache cache) {
        return validate(engine, snapshot, options, cache, ws -> { });
    }

    /**
     * As {@link #validate(LintEngine, WorkspaceModel.Snapshot, LintOptions, ReadCache)}, handing the workspace the
     * lint read to {@code read} (the language server builds its inventory from it, no second parse).
     */
    public static Map<String, List<org.eclipse.lsp4j.Diagnostic>> validate(
            LintEngine engine, WorkspaceModel.Snapshot snapshot, LintOptions options, ReadCache cache,
            java.util.function.Consumer<dev.podnet.lint.Workspace> read) {
        Map<String, List<org.eclipse.lsp4j.Diagnostic>> out = new LinkedHashMap<>();
        List<SourceFile> files = new ArrayList<>(snapshot.inputs().size());
        List<Diagnostic> findings = new ArrayList<>();
        Map<String, ReadCache.Entry> next = new HashMap<>();
        for (InputFile in : snapshot.inputs()) {
            out.put(in.path(), new ArrayList<>());
            files.add(cache.read(in, findings, next));
        }
        cache.entries = next;
        LintEngine.Result r = engine.lintRead(files, findings, options, cache.memo);
        read.accept(r.workspace());
        for (Diagnostic d : r.diagnostics()) {
            out.computeIfAbsent(d.file(), k -> new ArrayList<>()).add(toLsp(d, snapshot));
        }
        return out;
    }

    /** Converts one finding; related locations keep their file as the URI. */
    public static org.eclipse.lsp4j.Diagnostic toLsp(Diagnostic d) {
        return toLsp(d, null);
    }

    private static org.eclipse.lsp4j.Diagnostic toLsp(Diagnostic d, WorkspaceModel.Snapshot snapshot) {
        org.eclipse.lsp4j.Diagnostic x = new org.eclipse.lsp4j.Diagnostic();
        x.setRange(range(d.range()));
        x.setSeverity(switch (d.severity()) {
            case ERROR -> DiagnosticSeverity.Error;
            case WARNING -> DiagnosticSeverity.Warning;
            case INFO -> DiagnosticSeverity.Information;
            case HINT -> DiagnosticSeverity.Hint;
        });
        x.setCode(d.rule());
        RuleRegistry.get().find(d.rule()).ifPresent(r -> x.setCodeDescription(
                new DiagnosticCodeDescription(r.helpUri())));
        x.setSource(SOURCE);
        x.setMessage(d.message());
        com.google.gson.JsonObject data = data(d);
        Integer version = snapshot == null ? null : snapshot.openVersions().get(d.file());
        if (version != null && data.has("fix")) {
            data.addProperty("version", version);
        }
        x.setData(data);
        if (!d.related().isEmpty()) {
            List<DiagnosticRelatedInformation> rel = new ArrayList<>();
            for (Diagnostic.Related r : d.related()) {
                String uri = snapshot == null ? r.file() : snapshot.clientUri(r.file());
                rel.add(new DiagnosticRelatedInformation(new Location(uri, range(r.range())), r.message()));
            }
            x.setRelatedInformation(rel);
        }
        return x;
    }

    /** The {@code data} object of a converted diagnostic (see the class comment). */
    public static com.google.gson.JsonObject data(Diagnostic d) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("rule", d.rule());
        if (d.fix() != null) {
            com.google.gson.JsonObject fix = new com.google.gson.JsonObject();
            fix.addProperty("title", d.fix().title());
            com.google.gson.JsonArray edits = new com.google.gson.JsonArray();
            for (Diagnostic.Edit e : d.fix().edits()) {
                com.google.gson.JsonObject je = new com.google.gson.JsonObject();
                je.add("range", position(e.range().startLine(), e.range().startChar(), e.range().endLine(),
                        e.range().endChar()));
                je.addProperty("newText", e.newText());
                edits.add(je);
            }
            fix.add("edits", edits);
            o.add("fix", fix);
        }
        return o;
    }

    private static com.google.gson.JsonObject position(int sl, int sc, int el, int ec) {
        com.google.gson.JsonObject r = new com.google.gson.JsonObject();
        com.google.gson.JsonObject s = new com.google.gson.JsonObject();
        s.addProperty("line", sl);
        s.addProperty("character", sc);
        com.google.gson.JsonObject e = new com.google.gson.JsonObject();
        e.addProperty("line", el);
        e.addProperty("character", ec);
        r.add("start", s);
        r.add("end", e);
        return r;
    }

    /** The rule id of an LSP diagnostic: its {@code code}, else {@code data.rule}; null when neither. */
    public static String ruleOf(org.eclipse.lsp4j.Diagnostic d) {
        if (d.getCode() != null && d.getCode().isLeft() && d.getCode().getLeft() != null) {
            return d.getCode().getLeft();
        }
        Object data = d.getData();
        if (data instanceof com.google.gson.JsonObject o && o.has("rule") && o.get("rule").isJsonPrimitive()) {
            return o.get("rule").getAsString();
        }
        if (data instanceof com.google.gson.JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        return data instanceof String s ? s : null;
    }

    /** Converts a podnet range to an LSP range (same coordinates). */
    public static Range range(dev.podnet.source.Range r) {
        return new Range(new Position(r.startLine(), r.startChar()), new Position(r.endLine(), r.endChar()));
    }
}
