package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Incremental validation against validation from scratch, with edits aimed at what the kept results depend on:
 * namespace and pod labels, the cluster facts of {@code podnet.yaml}, suppression annotations added and removed,
 * documents split with {@code ---} and merged, documents moved between files and duplicated, CRLF line ends, the
 * final line break removed and added, lines added above everything, files reverted to their first text, and
 * documents opened and closed in the editor. The workspaces are {@code samples/k8s/shop} with the broken policies, a
 * node-facts document and a flannel conflist (copied into the test resources), and some of the real-report cases.
 */
class IncrementalEditsTest {
    private static final LintEngine ENGINE = LintEngine.standard();
    private static final List<String> VALUES = List.of("web", "api", "db", "shop", "kube-system", "ingress-nginx",
            "kube-dns", "frontend", "backend", "monitoring", "storefront");
    private static final List<String> RULES = List.of("NP040", "NP041", "NP042", "NP043", "NP046", "NP047", "NP054",
            "NP060", "INV005", "RCH001", "RCH002", "RCH003", "NP016");
    private static final Pattern LABEL = Pattern.compile(
            "\\b(app|k8s-app|team|tier|kubernetes\\.io/metadata\\.name|name|namespace): ([\\w.-]+)");
    private static final Pattern FACT = Pattern.compile("(policyEnforcement|namespace|service|podCIDR): ([\\w./-]+)");
    private static final List<String> FACT_VALUES = List.of("calico", "none", "flannel", "cilium", "kube-system",
            "shop", "kube-dns", "coredns", "10.244.0.0/16", "10.0.0.0/8");

    /** One edit: file (modulo the count), kind, and a number that picks a line, a value or a second file. */
    record Edit(int file, int kind, int n) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 500)).as(Edit::new).list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<String> roots() {
        return Arbitraries.of("/incremental/shop", "/cases/001-netpol-default-deny-egress-blocks-dns",
                "/cases/003-netpol-dns-peers-or-instead-of-and", "/cases/009-netpol-service-port-not-container-port",
                "/reach-cases/006-netpol-ipblock-used-for-pod-ips", "/reach-cases/008-netpol-ports-split-into-own-rule",
                "/cases/011-netpol-cni-does-not-enforce-policy", "/reach-cases/004-netpol-policytypes-without-egress");
    }

    @Property(tries = 60)
    void incrementalEqualsFromScratch(@ForAll("roots") String root, @ForAll("edits") List<Edit> edits)
            throws IOException {
        Map<String, String> original = workspace(root);
        Map<String, String> files = new TreeMap<>(original);
        List<String> uris = new ArrayList<>(files.keySet());
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        WorkspaceModel model = new WorkspaceModel();
        files.forEach((uri, text) -> model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false));
        assertSame(model, cache);
        int version = 1;
        for (Edit e : edits) {
            String uri = uris.get(e.file() % uris.size());
            if (e.kind() == 11) { // move a document to another file
                String to = uris.get((e.file() + 1 + e.n()) % uris.size());
                List<String> docs = docs(files.get(uri));
                if (docs.size() > 1 && !to.equals(uri) && !to.endsWith(".conflist")) {
                    String moved = docs.remove(e.n() % docs.size());
                    put(model, files, uri, String.join("---\n", docs), version);
                    put(model, files, to, files.get(to) + (files.get(to).endsWith("\n") ? "" : "\n") + "---\n"
                            + moved, version);
                }
            } else if (e.kind() == 12) { // open in the editor or close
                if (model.isOpen(uri)) {
                    model.close(uri);
                } else {
                    model.open(uri, version, files.get(uri));
                }
            } else {
                put(model, files, uri, edit(files.get(uri), original.get(uri), e), version);
            }
            version++;
            assertSame(model, cache);
        }
    }

    private static final String EGRESS_POLICY = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            + "metadata: {name: api-egress, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n"
            + "  egress:\n  - to:\n    - podSelector: {}";

    /** Validates the texts one after the other, incrementally, and compares each result with a fresh one. */
    private static void sequence(String uri, String... texts) {
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        WorkspaceModel model = new WorkspaceModel();
        for (String t : texts) {
            model.putDiskFile(uri, t.getBytes(StandardCharsets.UTF_8), false);
            assertSame(model, cache);
        }
    }

    @org.junit.jupiter.api.Test
    void aDocumentAppendedAfterALastLineWithoutNewline() {
        sequence("file:///w/p.yaml", EGRESS_POLICY,
                EGRESS_POLICY + "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    }

    @org.junit.jupiter.api.Test
    void theLastDocumentRemovedWithTheTrailingNewline() {
        sequence("file:///w/p.yaml",
                EGRESS_POLICY + "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n",
                EGRESS_POLICY);
    }

    @org.junit.jupiter.api.Test
    void aKeptBlockScalarGainsATrailingBlankLine() {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n"
                + "    app: |+\n      web\n";
        String rest = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        sequence("file:///w/p.yaml", pod + "\n" + rest, pod + "\n\n" + rest, pod + rest);
    }

    @org.junit.jupiter.api.Test
    void settingsAndOuterProjectFactsChangeBetweenRuns() throws IOException {
        WorkspaceModel model = new WorkspaceModel();
        workspace("/incremental/shop").forEach((uri, text) -> {
            if (!uri.endsWith("podnet.yaml")) {
                model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false);
            }
        });
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<LintOptions> options = List.of(LintOptions.defaults(),
                new LintOptions(java.util.Set.of("NP012", "NP016", "INV001"), Map.of(), () -> false),
                LintOptions.defaults().withProjectCluster(json.createObjectNode().put("policyEnforcement", "none")),
                new LintOptions(java.util.Set.of("NP040"), Map.of("NP041", dev.podnet.diag.Severity.ERROR),
                        () -> false),
                LintOptions.defaults().withProjectCluster(json.createObjectNode().put("podCIDR", "10.0.0.0/8")),
                LintOptions.defaults());
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        for (LintOptions o : options) {
            WorkspaceModel.Snapshot snap = model.snapshot();
            assertThat(LspDiagnostics.validate(ENGINE, snap, o, cache))
                    .isEqualTo(LspDiagnostics.validate(ENGINE, snap, o));
        }
    }

    @org.junit.jupiter.api.Test
    void runsCancelledHalfWayLeaveNothingStale() throws IOException {
        Map<String, String> files = workspace("/incremental/shop");
        WorkspaceModel model = new WorkspaceModel();
        files.forEach((uri, text) -> model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false));
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        assertSame(model, cache);
        String policies = files.keySet().stream().filter(u -> u.endsWith("30-policies.yaml")).findFirst().orElseThrow();
        String namespaces = files.keySet().stream().filter(u -> u.endsWith("00-namespaces.yaml")).findFirst()
                .orElseThrow();
        for (int k = 1; k < 400; k += 13) {
            // an edit, a run cancelled after k cancellation checks, another edit, a complete run
            model.putDiskFile(namespaces, files.get(namespaces).replace("team: storefront", "team: s" + k)
                    .getBytes(StandardCharsets.UTF_8), false);
            model.putDiskFile(policies, files.get(policies).replace("app: api", "app: api" + (k % 3))
                    .getBytes(StandardCharsets.UTF_8), false);
            java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
            int limit = k;
            try {
                LspDiagnostics.validate(ENGINE, model.snapshot(), new LintOptions(java.util.Set.of(), Map.of(),
                        () -> checks.incrementAndGet() > limit), cache);
            } catch (java.util.concurrent.CancellationException expected) {
                // the run stopped half-way
            }
            model.putDiskFile(policies, files.get(policies).replace("app: web", "app: web" + (k % 2))
                    .getBytes(StandardCharsets.UTF_8), false);
            assertSame(model, cache);
        }
    }

    private static void put(WorkspaceModel model, Map<String, String> files, String uri, String text, int version) {
        files.put(uri, text);
        if (model.isOpen(uri)) {
            model.open(uri, version, text);
        } else {
            model.putDiskFile(uri, text.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** Validates incrementally (the kept cache) and from scratch, and compares everything published. */
    static void assertSame(WorkspaceModel model, LspDiagnostics.ReadCache cache) {
        WorkspaceModel.Snapshot snap = model.snapshot();
        var incremental = LspDiagnostics.validate(ENGINE, snap, LintOptions.defaults(), cache);
        var fresh = LspDiagnostics.validate(ENGINE, snap, LintOptions.defaults());
        assertThat(incremental).isEqualTo(fresh);
    }

    /** The documents of a YAML stream, split at {@code ---} lines (each keeps its trailing newline). */
    static List<String> docs(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String l : text.split("(?<=\n)")) {
            if (l.stripTrailing().equals("---")) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(l);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Applies one edit to a file's text. */
    static String edit(String text, String original, Edit e) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int i = e.n() % lines.size();
        int n = e.n();
        switch (e.kind()) {
            case 0 -> lines.add(i, "---"); // split a document
            case 1 -> { // merge two documents
                List<Integer> seps = new ArrayList<>();
                for (int j = 0; j < lines.size(); j++) {
                    if (lines.get(j).stripTrailing().equals("---")) {
                        seps.add(j);
                    }
                }
                if (!seps.isEmpty()) {
                    lines.remove((int) seps.get(n % seps.size()));
                }
            }
            case 2 -> { // CRLF <-> LF
                return text.contains("\r\n") ? text.replace("\r\n", "\n") : text.replace("\n", "\r\n");
            }
            case 3 -> { // suppress a rule on an object
                String rule = RULES.get(n % RULES.size());
                List<Integer> meta = new ArrayList<>();
                for (int j = 0; j < lines.size(); j++) {
                    if (lines.get(j).matches("\\s*-?\\s*metadata:.*")) {
                        meta.add(j);
                    }
                }
                if (!meta.isEmpty()) {
                    int j = meta.get(n % meta.size());
                    String l = lines.get(j);
                    if (l.contains("metadata: {")) {
                        lines.set(j, l.replace("metadata: {", "metadata: {annotations: {ignore-check.podnet.dev/"
                                + rule + ": \"x\"}, "));
                    } else {
                        int indent = l.indexOf("metadata:");
                        lines.add(j + 1, " ".repeat(indent + 2) + "annotations: {ignore-check.podnet.dev/" + rule
                                + ": \"x\"}");
                    }
                }
            }
            case 4 -> { // remove the suppressions
                lines.removeIf(l -> l.trim().startsWith("annotations: {ignore-check"));
                lines.replaceAll(l -> l.replaceAll("annotations: \\{ignore-check\\.podnet\\.dev/\\w+: \"x\"}, ", ""));
            }
            case 5, 6 -> { // another label value or namespace name
                List<int[]> at = new ArrayList<>();
                for (int j = 0; j < lines.size(); j++) {
                    Matcher m = LABEL.matcher(lines.get(j));
                    while (m.find()) {
                        at.add(new int[] {j, m.start(2), m.end(2)});
                    }
                }
                if (!at.isEmpty()) {
                    int[] a = at.get(n % at.size());
                    String l = lines.get(a[0]);
                    lines.set(a[0], l.substring(0, a[1]) + VALUES.get((n / 7) % VALUES.size()) + l.substring(a[2]));
                }
            }
            case 7 -> { // another cluster fact
                for (int j = 0; j < lines.size(); j++) {
                    Matcher m = FACT.matcher(lines.get(j));
                    if (lines.get(j).contains("cluster") || lines.get(j).contains("dns:")
                            || lines.get(j).contains("policyEnforcement")) {
                        List<int[]> at = new ArrayList<>();
                        while (m.find()) {
                            at.add(new int[] {m.start(2), m.end(2)});
                        }
                        if (!at.isEmpty()) {
                            int[] a = at.get(n % at.size());
                            String l = lines.get(j);
                            lines.set(j, l.substring(0, a[0]) + FACT_VALUES.get((n / 5) % FACT_VALUES.size())
                                    + l.substring(a[1]));
                            break;
                        }
                    }
                }
            }
            case 8 -> lines.add(0, "# a comment above everything"); // every document moves down
            case 9 -> { // back to the first text
                return original;
            }
            case 13 -> { // the final line break removed or added
                return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text + "\n";
            }
            default -> { // duplicate a document at the end (duplicate names)
                List<String> docs = docs(text);
                String d = docs.get(n % docs.size());
                return text + (text.endsWith("\n") ? "" : "\n") + "---\n" + d;
            }
        }
        return String.join("\n", lines);
    }

    static Map<String, String> workspace(String root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path dir;
        try {
            dir = Path.of(IncrementalEditsTest.class.getResource(root).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(p.toUri().toString(), Files.readString(p));
            }
        }
        return files;
    }
}
