package dev.podnet.lint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.source.JsonSourceParser;
import dev.podnet.source.Limits;
import dev.podnet.source.ParseResult;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import dev.podnet.source.SourceText;
import dev.podnet.source.YamlSourceParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Runs a lint: decodes and parses every input, classifies each document by content ({@link DocKind}), runs every
 * registered {@link Check}, then drops cascading findings (a semantic warning or info on a field a validation rule
 * reports as an error, see {@link Cascades}), applies suppressions and configuration and sorts the findings by
 * file order and position. Never throws for bad input (a file that exhausts the heap while being parsed becomes a {@code SYN004}
 * finding); throws {@link CancellationException} when {@link LintOptions#cancel()} says so.
 */
public final class LintEngine {
    /** Annotation prefix that silences one rule for one Kubernetes object (value: the reason). */
    public static final String SUPPRESS_PREFIX = "ignore-check.podnet.dev/";

    /**
     * Where a run keeps the {@code cluster:} section of its project file ({@link LintOptions#projectCluster()});
     * when present the inventory reads the cluster facts from it, else from a project file among the inputs.
     */
    public static final Workspace.Key<com.fasterxml.jackson.databind.JsonNode> PROJECT_CLUSTER =
            new Workspace.Key<>("project file cluster section");

    private final List<Check> checks;

    /** An engine with the given checks (tests use a subset). */
    public LintEngine(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** An engine with every check podnet ships. */
    public static LintEngine standard() {
        return new LintEngine(Checks.all());
    }

    /** The result of a run: the workspace that was read and the findings. */
    public record Result(Workspace workspace, List<Diagnostic> diagnostics) {
    }

    /** Lints the inputs with default options. */
    public Result lint(List<InputFile> inputs) {
        return lint(inputs, LintOptions.defaults());
    }

    /** Lints the inputs. */
    public Result lint(List<InputFile> inputs, LintOptions options) {
        PhaseTimes.mark("lint start");
        // Files are decoded and parsed independently, on every core, largest first (results kept in input order).
        record Read(SourceFile file, List<Diagnostic> findings) {
        }
        List<Read> reads = Parallel.map(inputs, in -> in.bytes().length, in -> {
            List<Diagnostic> findings = new ArrayList<>();
            return new Read(read(in, findings), findings);
        });
        List<Diagnostic> out = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>();
        for (Read r : reads) {
            files.add(r.file());
            out.addAll(r.findings());
        }
        PhaseTimes.mark("parsed");
        return lintRead(files, out, options);
    }

    /**
     * Lints files already decoded and parsed with {@link #read} (the language server keeps them between runs and
     * re-reads only what changed). {@code readFindings} are the findings {@code read} reported for these files;
     * they are filtered, re-severitied and sorted with the rest. Same guarantees as {@link #lint(List, LintOptions)}.
     */
    public Result lintRead(List<SourceFile> files, List<Diagnostic> readFindings, LintOptions options) {
        return lintRead(files, readFindings, options, LintMemo.Run.NONE);
    }

    /**
     * As {@link #lintRead(List, List, LintOptions)}, reusing what earlier runs over the same documents computed
     * ({@link LintMemo}; null keeps nothing). The findings are the same as without the memo.
     */
    public Result lintRead(List<SourceFile> files, List<Diagnostic> readFindings, LintOptions options,
                           LintMemo memo) {
        LintMemo.Run run = memo == null ? LintMemo.Run.NONE : memo.open();
        Result result = lintRead(files, readFindings, options, run);
        run.finish(); // not reached when the run was cancelled: the next run reads the last finished one
        return result;
    }

    private Result lintRead(List<SourceFile> files, List<Diagnostic> readFindings, LintOptions options,
                            LintMemo.Run run) {
        List<Diagnostic> out = new ArrayList<>(readFindings);
        Workspace ws = new Workspace(List.copyOf(files), run);
        if (options.projectCluster() != null) {
            ws.put(PROJECT_CLUSTER, options.projectCluster());
        }
        Collector collector = new Collector(out, options, new Cascades(RuleRegistry.get()));
        for (SourceFile f : files) {
            if (f.parsedCleanly() && !f.docs().isEmpty()
                    && f.docs().stream().allMatch(d -> d.kind() == DocKind.OTHER)) {
                out.add(new Diagnostic(f.path(), Range.FILE_START, Severity.INFO, "SYN006",
                        "skipped: neither a CNI network configuration nor a Kubernetes manifest"));
            }
            boolean someRead = f.docs().stream().anyMatch(d -> d.kind() != DocKind.OTHER);
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() == DocKind.MANIFEST) {
                    suppressionKeys(f.path(), d.doc(), "", d.doc().root(), out);
                } else if (d.kind() == DocKind.OTHER && someRead && f.parsedCleanly()) {
                    // one document of a stream that podnet reads otherwise: say which one is left aside
                    Range r = d.doc().docRange();
                    out.add(new Diagnostic(f.path(), Range.at(r.startLine(), r.startChar()), Severity.INFO, "SYN006",
                            "this document is skipped: neither a CNI network configuration nor a Kubernetes "
                                    + "manifest (no apiVersion and kind)"));
                }
            }
        }
        collector.checkCanceled();
        for (Check c : checks) {
            long t0 = PhaseTimes.on() ? System.nanoTime() : 0;
            try {
                c.prepare(ws);
            } catch (RuntimeException | StackOverflowError e) {
                // The check's run meets the same problem and reports it as SYN900.
            }
            PhaseTimes.took("prepare " + c.getClass().getSimpleName(), t0);
        }
        collector.checkCanceled();
        // The check families are independent and read the workspace only: they run concurrently, longest first,
        // each reporting into its own list, and their findings are merged in check order (the result is sorted below
        // anyway).
        List<List<Diagnostic>> perCheck = Parallel.map(checks, Check::relativeCost, c -> {
            List<Diagnostic> found = new ArrayList<>();
            Collector own = new Collector(found, options, collector.cascades);
            own.checkCanceled();
            long t0 = PhaseTimes.on() ? System.nanoTime() : 0;
            try {
                c.run(ws, own);
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                found.add(new Diagnostic(files.isEmpty() ? "" : files.get(0).path(), Range.FILE_START,
                        Severity.ERROR, "SYN900", "internal error in " + c.getClass().getSimpleName() + " (" + e
                        + "); the other checks ran; please report this"));
            }
            PhaseTimes.took("check " + c.getClass().getSimpleName(), t0);
            return found;
        });
        PhaseTimes.mark("checked");
        perCheck.forEach(out::addAll);
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            order.putIfAbsent(files.get(i).path(), i);
        }
        List<Diagnostic> result = new ArrayList<>();
        for (Diagnostic d : collector.withoutCascades()) {
            if (options.disabled().contains(d.rule())) {
                continue;
            }
            Severity s = options.severityOverrides().get(d.rule());
            result.add(s == null ? d : d.withSeverity(s));
        }
        result.sort(Comparator.<Diagnostic>comparingInt(d -> order.getOrDefault(d.file(), Integer.MAX_VALUE))
                .thenComparing(Diagnostic::file)
                .thenComparingInt(d -> d.range().startLine())
                .thenComparingInt(d -> d.range().startChar())
                .thenComparing(Diagnostic::rule)
                .thenComparing(Diagnostic::message));
        return new Result(ws, dedupe(result));
    }

    /**
     * SYN007: every {@code ignore-check.podnet.dev/<ID>} annotation of the object at {@code pointer} (and of the
     * items of a {@code List}) must name a podnet rule, written as podnet writes it (upper case); otherwise it
     * silences nothing, and the finding says so at the annotation's key, with the closest rule id.
     */
    private static void suppressionKeys(String path, SourceDoc doc, String pointer, JsonNode obj,
                                        List<Diagnostic> out) {
        if (!obj.isObject()) {
            return;
        }
        JsonNode items = obj.get("items");
        if (items != null && items.isArray() && obj.path("kind").asText("").endsWith("List")) {
            for (int i = 0; i < items.size(); i++) {
                suppressionKeys(path, doc, pointer + "/items/" + i, items.get(i), out);
            }
        }
        JsonNode annotations = obj.path("metadata").path("annotations");
        if (!annotations.isObject()) {
            return;
        }
        RuleRegistry registry = RuleRegistry.get();
        java.util.Iterator<String> keys = annotations.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(SUPPRESS_PREFIX)) {
                continue;
            }
            String id = key.substring(SUPPRESS_PREFIX.length());
            if (registry.find(id).filter(r -> r.id().equals(id)).isPresent()) {
                continue; // (find ignores case; the annotation does not)
            }
            String upper = id.toUpperCase(java.util.Locale.ROOT);
            String hint = registry.find(upper).isPresent() ? "rule ids are upper case: write " + SUPPRESS_PREFIX
                    + upper : dev.podnet.text.DidYouMean.closest(upper, registry.all().stream().map(RuleInfo::id)
                    .toList()).map(c -> "did you mean " + SUPPRESS_PREFIX + c + "?")
                    .orElse("podnet rules lists the rule ids");
            String ptr = SourceDoc.child(pointer + "/metadata/annotations", key);
            out.add(new Diagnostic(path, doc.keyRangeOf(ptr), Severity.WARNING, "SYN007", "annotation " + key
                    + " names no podnet rule, so it silences nothing; " + hint));
        }
    }

    private static List<Diagnostic> dedupe(List<Diagnostic> sorted) {
        List<Diagnostic> out = new ArrayList<>(sorted.size());
        Diagnostic prev = null;
        for (Diagnostic d : sorted) {
            if (!d.equals(prev)) {
                out.add(d);
            }
            prev = d;
        }
        return out;
    }

    /** The SYN004 finding for a file the heap cannot hold while it is decoded or parsed. */
    private static Diagnostic notEnoughMemory(InputFile in) {
        return new Diagnostic(in.path(), Range.FILE_START, Severity.ERROR, "SYN004", String.format(
                "not enough memory to read this %.1f MiB file (the JVM may use at most %d MiB); podnet skipped "
                        + "it: split the file or give the JVM more memory (-Xmx)", in.bytes().length / 1048576.0,
                Runtime.getRuntime().maxMemory() >> 20));
    }

    /** Appended to a syntax error in a file that holds {@code {{ ... }}} template actions. */
    static final String TEMPLATE_HINT = "; the file holds {{ ... }} template actions (a Helm chart or Go template), "
            + "which are YAML only once rendered: lint the rendered manifests (helm template ... > rendered.yaml) "
            + "and exclude the templates (exclude: [\"**/templates/**\"] in .podnet.yaml)";

    /** Decodes, parses and classifies one input; syntax findings go to {@code out}. */
    public static SourceFile read(InputFile in, List<Diagnostic> out) {
        if (in.truncated()) {
            out.add(new Diagnostic(in.path(), Range.FILE_START, Severity.ERROR, "SYN004",
                    "file larger than " + (Limits.MAX_FILE_BYTES >> 20) + " MiB; podnet does not read it "
                            + "(split it into smaller files)"));
            return new SourceFile(in, null, null, List.of());
        }
        Decoder.Result dec;
        try {
            dec = Decoder.decode(in);
        } catch (OutOfMemoryError e) {
            // Decoding holds the bytes, a char buffer and the string at once (about five times the file's size).
            out.add(notEnoughMemory(in));
            return new SourceFile(in, null, null, List.of());
        }
        if (dec.problem() != null) {
            out.add(dec.problem());
            return new SourceFile(in, null, null, List.of());
        }
        String text = dec.text();
        boolean bom = text.startsWith("\uFEFF");
        String first = firstContent(text);
        // A .yaml/.yml file is YAML (kubectl's decoder), also when it opens with a flow mapping or a JSON document
        // followed by '---'; YAML 1.2 reads JSON too. Other names opening with '{' or '[' are JSON (CNI configs).
        String lower = in.fileName().toLowerCase(java.util.Locale.ROOT);
        boolean yamlName = lower.endsWith(".yaml") || lower.endsWith(".yml");
        boolean json = !yamlName && (first.startsWith("{") || first.startsWith("["));
        if (bom && json) {
            out.add(new Diagnostic(in.path(), Range.FILE_START, Severity.ERROR, "SYN003",
                    "the file starts with a UTF-8 byte order mark; Go's JSON parser (containerd, CRI-O) rejects it "
                            + "with \"invalid character 'ï'\": save the file without BOM"));
            return new SourceFile(in, new SourceText(in.path(), text), null, List.of());
        }
        // A YAML file keeps its BOM: the YAML parser skips it (YAML 1.2 section 5.2) and YamlSourceParser counts it
        // as one UTF-16 unit on the first line. (A space instead would indent the first line and break the document.)
        SourceText src = new SourceText(in.path(), text);
        if (first.isEmpty()) {
            out.add(new Diagnostic(in.path(), Range.FILE_START, Severity.WARNING, "SYN005",
                    "empty file: nothing to check" + (yamlName ? "" : " (a runtime skips an empty CNI config)")
                            + "; add content or delete it"));
            return new SourceFile(in, src, new ParseResult(src, List.of(), List.of()), List.of());
        }
        ParseResult pr;
        try {
            pr = json ? JsonSourceParser.parse(src) : YamlSourceParser.parse(src);
        } catch (OutOfMemoryError e) {
            // A large YAML stream needs many times its size in heap (node tree, marks, ranges). The partial tree is
            // garbage once this frame is left, so the run can go on with the other files.
            out.add(notEnoughMemory(in));
            return new SourceFile(in, src, null, List.of());
        }
        // A Helm / Go template ({{ ... }} actions) is not YAML until it is rendered: say so with the syntax error.
        boolean template = pr.hasErrors() && text.contains("{{");
        for (Diagnostic d : pr.diagnostics()) {
            out.add(template && d.rule().equals("SYN001") ? new Diagnostic(d.file(), d.range(), d.severity(),
                    d.rule(), d.message() + TEMPLATE_HINT, d.related(), d.fix()) : d);
        }
        String ext = in.fileName().contains(".") ? in.fileName().substring(in.fileName().lastIndexOf('.'))
                .toLowerCase(java.util.Locale.ROOT) : "";
        boolean cniFile = ext.equals(".conflist")
                || ext.equals(".conf") && dev.podnet.cni.NetDirRules.looksLikeConfDir(in.directory());
        if (cniFile && !pr.hasErrors() && (!json || pr.docs().size() != 1 || !pr.docs().get(0).root().isObject())) {
            // libcni reads these files with Go's JSON decoder into one object: YAML, an array or a bare value fail
            // to load ("error parsing configuration"), so the runtime skips the file.
            out.add(new Diagnostic(in.path(), Range.FILE_START, Severity.ERROR, "SYN001",
                    "a CNI " + ext + " file must hold one JSON object; the runtime cannot parse "
                            + (json ? "a JSON array or value" : "YAML") + " here (error parsing configuration) and "
                            + "skips the file: write the configuration as a JSON object"));
            return new SourceFile(in, src, pr, List.of());
        }
        List<SourceFile.Doc> docs = new ArrayList<>();
        boolean project = in.fileName().equals("podnet.yaml") || in.fileName().equals(".podnet.yaml");
        for (SourceDoc d : pr.docs()) {
            if (d.root().isMissingNode()) {
                continue;
            }
            docs.add(new SourceFile.Doc(d, project ? DocKind.PROJECT : classify(d.root())));
        }
        return new SourceFile(in, src, pr, List.copyOf(docs));
    }

    /** Classifies a document by its content; see {@link DocKind}. */
    public static DocKind classify(JsonNode root) {
        if (!root.isObject()) {
            return DocKind.OTHER;
        }
        if (root.hasNonNull("apiVersion") && root.hasNonNull("kind")) {
            return "NodeFacts".equals(root.path("kind").asText()) ? DocKind.NODE_FACTS : DocKind.MANIFEST;
        }
        if (!root.has("apiVersion") && root.path("metadata").isObject()
                && dev.podnet.inventory.InventoryBuilder.apiVersionFor(root.path("kind").asText("")) != null) {
            // a Kubernetes object of a kind podnet reads that lost its apiVersion: the API server rejects it, and
            // the checks say so (NP020, INV005). Other maps with kind and metadata keys (a CNI config, node facts,
            // an application's own YAML) are not taken for manifests.
            return DocKind.MANIFEST;
        }
        if (dev.podnet.node.NodeFacts.looksLikeNodeFacts(root)) {
            return DocKind.NODE_FACTS;
        }
        if (root.path("Network").isTextual() && !root.has("type") && !root.has("plugins")) {
            return DocKind.FLANNEL_NETCONF;
        }
        if (root.has("plugins")) {
            return DocKind.CNI_CONFLIST;
        }
        if (root.has("type") && (root.has("cniVersion") || root.has("name") || root.has("ipam")
                || root.has("delegate") || root.path("type").isTextual())) {
            return DocKind.CNI_CONF;
        }
        return DocKind.OTHER;
    }

    private static String firstContent(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                break;
            }
        }
        return text.substring(i, Math.min(text.length(), i + 1));
    }

    private static final java.util.regex.Pattern LIST_ITEM = java.util.regex.Pattern.compile("/items/(\\d{1,9})");

    /**
     * The Kubernetes object a finding at {@code pointer} is about: the document root, or for a {@code List}
     * document ({@code kind: ...List} with {@code items}) the item the pointer starts with ({@code /items/N}),
     * descending through nested Lists.
     */
    static JsonNode objectAt(JsonNode root, String pointer) {
        JsonNode obj = root;
        String rest = pointer == null ? "" : pointer;
        while (true) {
            java.util.regex.Matcher m = LIST_ITEM.matcher(rest);
            if (!m.lookingAt() || !(rest.length() == m.end() || rest.charAt(m.end()) == '/')
                    || !obj.path("kind").asText("").endsWith("List") || !obj.path("items").isArray()) {
                return obj;
            }
            JsonNode item = obj.path("items").path(Integer.parseInt(m.group(1)));
            if (!item.isObject()) {
                return obj;
            }
            obj = item;
            rest = rest.substring(m.end());
        }
    }

    /** Reporter that resolves severities and annotation suppressions. */
    private static final class Collector implements Reporter {
        private final List<Diagnostic> out;
        private final LintOptions options;
        private final RuleRegistry registry = RuleRegistry.get();
        /** Where findings were reported, shared by the collectors of one run. */
        private final Cascades cascades;

        Collector(List<Diagnostic> out, LintOptions options, Cascades cascades) {
            this.out = out;
            this.options = options;
            this.cascades = cascades;
        }

        @Override
        public void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related) {
            out.add(new Diagnostic(file, range, registry.require(rule).severity(), rule, message, related));
        }

        @Override
        public void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related,
                           Diagnostic.Fix fix) {
            out.add(new Diagnostic(file, range, registry.require(rule).severity(), rule, message, related, fix));
        }

        @Override
        public void report(String rule, SourceDoc doc, String pointer, String message,
                           List<Diagnostic.Related> related) {
            at(rule, doc, pointer, doc.rangeOf(pointer), message, related, null);
        }

        @Override
        public void reportKey(String rule, SourceDoc doc, String pointer, String message,
                              List<Diagnostic.Related> related) {
            at(rule, doc, pointer, doc.keyRangeOf(pointer), message, related, null);
        }

        @Override
        public void reportKey(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
            at(rule, doc, pointer, doc.keyRangeOf(pointer), message, List.of(), fix);
        }

        @Override
        public void report(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
            at(rule, doc, pointer, doc.rangeOf(pointer), message, List.of(), fix);
        }

        /** Adds a finding reported at a pointer, remembering the pointer for {@link Cascades}. */
        private void at(String rule, SourceDoc doc, String pointer, Range range, String message,
                        List<Diagnostic.Related> related, Diagnostic.Fix fix) {
            if (suppressed(rule, doc, pointer)) {
                return;
            }
            Diagnostic d = new Diagnostic(doc.source().path(), range, registry.require(rule).severity(), rule,
                    message, related, fix);
            out.add(d);
            cascades.site(d, doc, pointer);
        }

        /** The findings without the cascading ones ({@link Cascades}). */
        List<Diagnostic> withoutCascades() {
            return cascades.filter(out, options.disabled());
        }

        private static boolean suppressed(String rule, SourceDoc doc, String pointer) {
            return objectAt(doc.root(), pointer).path("metadata").path("annotations").has(SUPPRESS_PREFIX + rule);
        }

        @Override
        public void checkCanceled() {
            if (options.cancel().getAsBoolean()) {
                throw new CancellationException("lint cancelled");
            }
        }
    }
}
