package dev.podnet.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;
import dev.podnet.lint.Check;
import dev.podnet.lint.Checks;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.SourceFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesCapabilities;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidChangeWorkspaceFoldersParams;
import org.eclipse.lsp4j.WorkspaceFoldersChangeEvent;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real server through an lsp4j client over piped streams. */
class PodnetLanguageServerTest {
    static final String BAD = "{\"cniVersion\": \"1.0.0\", \"name\": \"a\", \"plugins\": [{\"type\": \"bridge\",}]}\n";
    static final String OK = "{\"cniVersion\": \"1.0.0\", \"name\": \"b\", \"plugins\": [{\"type\": \"bridge\", "
            + "\"hairpinMode\": true}]}\n";

    @TempDir
    Path ws;

    static Range range(int sl, int sc, int el, int ec) {
        return new Range(new Position(sl, sc), new Position(el, ec));
    }

    static TextDocumentContentChangeEvent edit(Range r, String text) {
        TextDocumentContentChangeEvent e = new TextDocumentContentChangeEvent();
        e.setRange(r);
        e.setText(text);
        return e;
    }

    Path workspace() throws Exception {
        Files.createDirectories(ws.resolve("cfg"));
        Files.writeString(ws.resolve("cfg/10-bad.conflist"), BAD);
        Files.writeString(ws.resolve("cfg/20-ok.conflist"), OK);
        Files.writeString(ws.resolve("notes.yaml"), "owner: platform\n");
        Files.createDirectories(ws.resolve("target"));
        Files.writeString(ws.resolve("target/skipped.conf"), "{,}");
        Files.writeString(ws.resolve("README.md"), "{,}");
        return ws;
    }

    String uri(String rel) {
        return ws.resolve(rel).toUri().toString();
    }

    static InitializeResult init(LspHarness h, Path folder, Object options, ClientCapabilities caps)
            throws Exception {
        InitializeParams p = new InitializeParams();
        p.setProcessId((int) ProcessHandle.current().pid());
        p.setWorkspaceFolders(List.of(new WorkspaceFolder(folder.toUri().toString(), "ws")));
        p.setInitializationOptions(options);
        p.setCapabilities(caps == null ? new ClientCapabilities() : caps);
        InitializeResult r = h.remote.initialize(p).get(20, TimeUnit.SECONDS);
        h.remote.initialized(new InitializedParams());
        return r;
    }

    static void open(LspHarness h, String uri, int version, String text) {
        h.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                new TextDocumentItem(uri, "", version, text)));
    }

    static void change(LspHarness h, String uri, int version, TextDocumentContentChangeEvent... edits) {
        h.remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version), List.of(edits)));
    }

    static void close(LspHarness h, String uri) {
        h.remote.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
    }

    @Test
    void scansTheWorkspaceAndPublishesForUnopenedFiles() throws Exception {
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            InitializeResult r = init(h, workspace(), null, null);
            assertThat(r.getCapabilities().getTextDocumentSync().getRight().getChange())
                    .isEqualTo(TextDocumentSyncKind.Incremental);
            PublishDiagnosticsParams bad = h.client.await(uri("cfg/10-bad.conflist"), p -> !p.getDiagnostics()
                    .isEmpty());
            Diagnostic d = bad.getDiagnostics().get(0);
            assertThat(d.getRange()).isEqualTo(range(0, BAD.indexOf(",}"), 0, BAD.indexOf(",}") + 1));
            assertThat(d.getCode().getLeft()).isEqualTo("SYN001");
            assertThat(d.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
            assertThat(d.getSource()).isEqualTo("podnet");
            assertThat(d.getCodeDescription().getHref()).endsWith("docs/rules.md#syn001");
            assertThat(d.getMessage()).contains("trailing comma");
            assertThat(bad.getVersion()).isNull();
            // unrelated files are not reported while closed ...
            assertThat(h.client.await(uri("notes.yaml"), p -> true).getDiagnostics()).isEmpty();
            // ... but an open one says why podnet skips it
            open(h, uri("notes.yaml"), 1, "owner: platform\n");
            PublishDiagnosticsParams notes = h.client.await(uri("notes.yaml"), p -> !p.getDiagnostics().isEmpty());
            assertThat(notes.getDiagnostics()).extracting(x -> x.getCode().getLeft()).containsExactly("SYN006");
            assertThat(h.client.await(uri("cfg/20-ok.conflist"), p -> true).getDiagnostics()).isEmpty();
            assertThat(h.client.forUri(uri("target/skipped.conf"))).isEmpty();
            assertThat(h.client.forUri(uri("README.md"))).isEmpty();
            assertThat(h.server.model().diskFileCount()).isEqualTo(3);
        }
    }

    @Test
    void openChangeCloseWithExactRangesAndVersions() throws Exception {
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, workspace(), null, null);
            String u = uri("scratch/new.conflist"); // not on disk
            String text = "{\"cniVersion\": \"1.0.0\",\n  \"name\": \"n\",\n  \"plugins\": [{\"type\": \"loopback\"},]\n}\n";
            open(h, u, 1, text);
            PublishDiagnosticsParams p1 = h.client.await(u, p -> Integer.valueOf(1).equals(p.getVersion()));
            assertThat(p1.getDiagnostics()).hasSize(1);
            assertThat(p1.getDiagnostics().get(0).getRange()).isEqualTo(range(2, 34, 2, 35));
            // remove the trailing comma with an incremental edit
            change(h, u, 2, edit(range(2, 34, 2, 35), ""));
            PublishDiagnosticsParams p2 = h.client.await(u, p -> Integer.valueOf(2).equals(p.getVersion()));
            assertThat(p2.getDiagnostics()).isEmpty();
            // break it differently: a half-typed key
            change(h, u, 3, edit(range(1, 14, 1, 14), " \"mt"));
            PublishDiagnosticsParams p3 = h.client.await(u, p -> Integer.valueOf(3).equals(p.getVersion()));
            assertThat(p3.getDiagnostics()).extracting(x -> x.getCode().getLeft()).containsExactly("SYN001");
            assertThat(p3.getDiagnostics().get(0).getRange().getStart().getLine()).isEqualTo(1);
            close(h, u);
            PublishDiagnosticsParams closed = h.client.await(u, p -> p.getVersion() == null);
            assertThat(closed.getDiagnostics()).isEmpty();
        }
    }

    @Test
    void closingAFileThatExistsOnDiskPublishesItsDiskFindings() throws Exception {
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, workspace(), null, null);
            String u = uri("cfg/10-bad.conflist");
            h.client.await(u, p -> !p.getDiagnostics().isEmpty());
            open(h, u, 1, OK);
            h.client.await(u, p -> Integer.valueOf(1).equals(p.getVersion()) && p.getDiagnostics().isEmpty());
            close(h, u);
            PublishDiagnosticsParams after = h.client.await(u, p -> p.getVersion() == null);
            assertThat(after.getDiagnostics()).extracting(x -> x.getCode().getLeft()).containsExactly("SYN001");
        }
    }

    @Test
    void hoverCompletionSymbolsAndCodeActionOnAConflist() throws Exception {
        String bridgeHairpin;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/cni/bridge.schema.json")) {
            bridgeHairpin = new ObjectMapper().readTree(in).path("properties").path("hairpinMode")
                    .path("description").asText();
        }
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, workspace(), null, null);
            String u = uri("cfg/30-edit.conflist");
            String text = "{\n  \"cniVersion\": \"1.0.0\",\n  \"name\": \"pods\",\n  \"plugins\": [\n"
                    + "    {\"type\": \"bridge\", \"hairpinMode\": false},\n    {\"type\": \"portmap\", }\n  ]\n}\n";
            open(h, u, 1, text);
            var tds = h.remote.getTextDocumentService();
            TextDocumentIdentifier id = new TextDocumentIdentifier(u);

            Hover hover = tds.hover(new HoverParams(id, new Position(4, 26))).get(20, TimeUnit.SECONDS);
            assertThat(hover.getRange()).isEqualTo(range(4, 23, 4, 36));
            assertThat(hover.getContents().getRight().getValue()).isEqualTo("**hairpinMode** (`boolean`)\n\n"
                    + bridgeHairpin);

            var completion = tds.completion(new CompletionParams(id, new Position(5, 24))).get(20, TimeUnit.SECONDS);
            List<CompletionItem> items = completion.getRight().getItems();
            assertThat(items).extracting(CompletionItem::getLabel).contains("snat", "capabilities")
                    .doesNotContain("type", "hairpinMode");
            CompletionItem snat = items.stream().filter(i -> i.getLabel().equals("snat")).findFirst().orElseThrow();
            assertThat(snat.getTextEdit().getLeft()).isEqualTo(new TextEdit(range(5, 24, 5, 24), "\"snat\": "));

            List<DocumentSymbol> symbols = new ArrayList<>();
            tds.documentSymbol(new DocumentSymbolParams(id)).get(20, TimeUnit.SECONDS)
                    .forEach(e -> symbols.add(e.getRight()));
            assertThat(symbols).extracting(DocumentSymbol::getName).containsExactly("pods");
            assertThat(symbols.get(0).getSelectionRange()).isEqualTo(range(2, 2, 2, 16));
            assertThat(symbols.get(0).getChildren()).extracting(DocumentSymbol::getName)
                    .containsExactly("bridge", "portmap");
            assertThat(symbols.get(0).getChildren().get(1).getRange()).isEqualTo(range(5, 4, 5, 25));

            Diagnostic hairpin = new Diagnostic(range(4, 13, 4, 21),
                    "bridge plugin without hairpinMode: a pod cannot reach itself through a Service");
            CodeActionParams cap = new CodeActionParams(id, range(4, 13, 4, 21),
                    new CodeActionContext(List.of(hairpin)));
            List<CodeAction> actions = new ArrayList<>();
            tds.codeAction(cap).get(20, TimeUnit.SECONDS).forEach(e -> actions.add(e.getRight()));
            assertThat(actions).hasSize(1);
            assertThat(actions.get(0).getEdit().getChanges().get(u))
                    .containsExactly(new TextEdit(range(4, 38, 4, 43), "true"));
        }
    }

    @Test
    void watchedFileEventsUpdateTheWorkspace() throws Exception {
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            ClientCapabilities caps = new ClientCapabilities();
            WorkspaceClientCapabilities w = new WorkspaceClientCapabilities();
            w.setDidChangeWatchedFiles(new DidChangeWatchedFilesCapabilities(true));
            caps.setWorkspace(w);
            init(h, workspace(), null, caps);
            synchronized (h.client) {
                long end = System.nanoTime() + LspHarness.WAIT.toNanos();
                while (h.client.registrations.isEmpty() && System.nanoTime() < end) {
                    h.client.wait(100);
                }
            }
            assertThat(h.client.registrations).hasSize(1);
            assertThat(h.client.registrations.get(0).getRegistrations().get(0).getMethod())
                    .isEqualTo("workspace/didChangeWatchedFiles");
            Path added = ws.resolve("cfg/40-new.conf");
            Files.writeString(added, "{\"name\": \"x\", \"type\": \"bridge\"");
            String u = added.toUri().toString();
            h.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(
                    List.of(new FileEvent(u, FileChangeType.Created))));
            assertThat(h.client.await(u, p -> !p.getDiagnostics().isEmpty()).getDiagnostics().get(0).getMessage())
                    .contains("ends before the value is complete");
            Files.delete(added);
            h.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(
                    List.of(new FileEvent(u, FileChangeType.Deleted))));
            h.client.await(u, p -> p.getDiagnostics().isEmpty());

            // a second workspace folder comes and goes
            Path other = Files.createTempDirectory("podnet-ws2");
            Path broken = other.resolve("99.conf");
            Files.writeString(broken, "{\"type\": \"bridge\",}");
            String bu = broken.toUri().toString();
            h.remote.getWorkspaceService().didChangeWorkspaceFolders(new DidChangeWorkspaceFoldersParams(
                    new WorkspaceFoldersChangeEvent(List.of(new WorkspaceFolder(other.toUri().toString(), "two")),
                            List.of())));
            assertThat(h.client.await(bu, p -> !p.getDiagnostics().isEmpty()).getDiagnostics())
                    .extracting(x -> x.getCode().getLeft()).containsExactly("SYN001");
            h.remote.getWorkspaceService().didChangeWorkspaceFolders(new DidChangeWorkspaceFoldersParams(
                    new WorkspaceFoldersChangeEvent(List.of(), List.of(new WorkspaceFolder(other.toUri().toString(),
                            "two")))));
            h.client.await(bu, p -> p.getDiagnostics().isEmpty());
            Files.delete(broken);
            Files.delete(other);
        }
    }

    @Test
    void severityOverridesFromInitializationOptionsConfigurationAndWorkspaceConfiguration() throws Exception {
        String bad = uri("cfg/10-bad.conflist");
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            Object opts = JsonParser.parseString("{\"podnet\": {\"severities\": {\"syn001\": \"warning\", "
                    + "\"SYN006\": \"off\"}, \"debounceMs\": 50}}");
            init(h, workspace(), opts, null);
            assertThat(h.client.await(bad, p -> !p.getDiagnostics().isEmpty()).getDiagnostics().get(0)
                    .getSeverity()).isEqualTo(DiagnosticSeverity.Warning);
            assertThat(h.server.settings().debounceMillis()).isEqualTo(50);
            open(h, uri("notes.yaml"), 1, "owner: platform\n");
            assertThat(h.client.await(uri("notes.yaml"), p -> Integer.valueOf(1).equals(p.getVersion()))
                    .getDiagnostics()).as("SYN006 off").isEmpty();
            h.remote.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(
                    JsonParser.parseString("{\"podnet\": {\"severities\": {}}}")));
            h.client.await(bad, p -> p.getDiagnostics().get(0).getSeverity() == DiagnosticSeverity.Error);
        }
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            h.client.configuration = JsonParser.parseString("{\"severities\": {\"SYN001\": \"hint\"}}");
            ClientCapabilities caps = new ClientCapabilities();
            WorkspaceClientCapabilities w = new WorkspaceClientCapabilities();
            w.setConfiguration(true);
            caps.setWorkspace(w);
            init(h, workspace(), null, caps);
            h.client.await(bad, p -> !p.getDiagnostics().isEmpty()
                    && p.getDiagnostics().get(0).getSeverity() == DiagnosticSeverity.Hint);
        }
    }

    /**
     * Test double for a workspace-wide rule family (the reachability rules will be one): reports every CNI
     * config whose network name another file also uses, naming the other file.
     */
    static final Check SHARED_NAME = (workspace, reporter) -> {
        List<SourceFile.Doc> docs = workspace.docs(DocKind.CNI_CONFLIST, DocKind.CNI_CONF).toList();
        for (SourceFile.Doc a : docs) {
            for (SourceFile.Doc b : docs) {
                String n = a.doc().root().path("name").asText();
                if (a != b && n.equals(b.doc().root().path("name").asText())) {
                    reporter.report("SYN002", a.doc(), "/name", "network name \"" + n + "\" also used in "
                            + b.doc().source().path(), List.of(new dev.podnet.diag.Diagnostic.Related(
                            b.doc().source().path(), b.doc().rangeOf("/name"), "other use")));
                }
            }
        }
    };

    @Test
    void editingOneFileRepublishesUnopenedFilesItAffects() throws Exception {
        List<Check> checks = new ArrayList<>(Checks.all());
        checks.add(SHARED_NAME);
        try (LspHarness h = LspHarness.immediate(new LintEngine(checks))) {
            init(h, workspace(), null, null);
            String ok = uri("cfg/20-ok.conflist");
            h.client.await(ok, p -> p.getDiagnostics().isEmpty());
            String u = uri("cfg/50-edit.conflist");
            String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"c\", \"plugins\": [{\"type\": \"bridge\"}]}";
            open(h, u, 1, text);
            h.client.await(u, p -> Integer.valueOf(1).equals(p.getVersion()));
            int before = h.client.forUri(ok).size();
            // rename the open network to "b", the name 20-ok.conflist (unopened) uses
            change(h, u, 2, edit(range(0, 33, 0, 34), "b"));
            PublishDiagnosticsParams other = h.client.await(ok, p -> !p.getDiagnostics().isEmpty());
            assertThat(h.client.forUri(ok)).hasSize(before + 1);
            Diagnostic d = other.getDiagnostics().get(0);
            assertThat(d.getMessage()).isEqualTo("network name \"b\" also used in " + u);
            assertThat(d.getRange()).isEqualTo(range(0, 32, 0, 35));
            assertThat(d.getRelatedInformation().get(0).getLocation().getUri()).isEqualTo(u);
            assertThat(d.getRelatedInformation().get(0).getLocation().getRange()).isEqualTo(range(0, 32, 0, 35));
            // undo: the unopened file is cleared again
            change(h, u, 3, edit(range(0, 33, 0, 34), "c"));
            h.client.await(ok, p -> p.getDiagnostics().isEmpty());
        }
    }

    @Test
    void aValidationOvertakenByAnEditPublishesNothingStale() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Check blocking = (workspace, reporter) -> {
            boolean v2 = workspace.files().stream().anyMatch(f -> f.input().path().endsWith("stale.conflist")
                    && new String(f.input().bytes()).contains("\"v2\""));
            if (v2) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        try (LspHarness h = new LspHarness(new LintEngine(List.of(blocking)), Scheduler.immediate(pool))) {
            init(h, workspace(), null, null);
            String u = uri("stale.conflist");
            String text = "{\"name\": \"v1\", \"plugins\": []}";
            open(h, u, 1, text);
            h.client.await(u, p -> Integer.valueOf(1).equals(p.getVersion()));
            change(h, u, 2, edit(range(0, 10, 0, 12), "v2"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            change(h, u, 3, edit(range(0, 10, 0, 12), "v3"));
            h.client.await(u, p -> Integer.valueOf(3).equals(p.getVersion()));
            release.countDown();
            pool.shutdown(); // let the overtaken run finish; it must not publish version 2
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            close(h, u);
            h.client.await(u, p -> p.getVersion() == null);
            assertThat(h.client.forUri(u)).extracting(PublishDiagnosticsParams::getVersion)
                    .doesNotContain(2);
        }
    }

    /** A scheduler that holds tasks until the test runs them. */
    static final class ManualScheduler implements Scheduler {
        record Entry(Runnable task, long delay, boolean[] cancelled) {
        }

        final List<Entry> entries = new ArrayList<>();

        @Override
        public synchronized Task schedule(Runnable task, long delayMillis) {
            Entry e = new Entry(task, delayMillis, new boolean[1]);
            entries.add(e);
            notifyAll();
            return () -> e.cancelled()[0] = true;
        }

        synchronized void awaitEntries(int n) throws InterruptedException {
            long end = System.nanoTime() + LspHarness.WAIT.toNanos();
            while (entries.size() < n && System.nanoTime() < end) {
                wait(100);
            }
            assertThat(entries).hasSizeGreaterThanOrEqualTo(n);
        }

        void runLive() {
            List<Entry> live;
            synchronized (this) {
                live = entries.stream().filter(e -> !e.cancelled()[0]).toList();
                entries.clear();
            }
            live.forEach(e -> e.task().run());
        }
    }

    @Test
    void changesAreDebouncedWithTheConfiguredDelay() throws Exception {
        ManualScheduler s = new ManualScheduler();
        try (LspHarness h = new LspHarness(LintEngine.standard(), s)) {
            init(h, workspace(), null, null);
            s.awaitEntries(1);
            assertThat(s.entries.get(0).delay()).as("initial validation").isZero();
            s.runLive();
            String u = uri("deb.conflist");
            open(h, u, 1, "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"loopback\"}]}");
            s.awaitEntries(1);
            s.runLive();
            h.client.await(u, p -> Integer.valueOf(1).equals(p.getVersion()));
            change(h, u, 2, edit(range(0, 0, 0, 0), " "));
            change(h, u, 3, edit(range(0, 0, 0, 0), " "));
            change(h, u, 4, edit(range(0, 0, 0, 0), " "));
            s.awaitEntries(3);
            assertThat(s.entries).extracting(ManualScheduler.Entry::delay).containsOnly(200L);
            assertThat(s.entries.stream().filter(e -> !e.cancelled()[0])).hasSize(1);
            int before = h.client.count();
            s.runLive();
            PublishDiagnosticsParams p = h.client.await(u, x -> Integer.valueOf(4).equals(x.getVersion()));
            assertThat(p.getDiagnostics()).isEmpty();
            assertThat(h.client.forUri(u)).extracting(PublishDiagnosticsParams::getVersion).containsExactly(1, 4);
            assertThat(h.client.count()).isEqualTo(before + 1);
        }
    }

    @Test
    void exitsWhenTheClientProcessDies() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            h.server.setProcessPollMillis(50);
            InitializeParams p = new InitializeParams();
            p.setProcessId((int) child.pid());
            p.setCapabilities(new ClientCapabilities());
            h.remote.initialize(p).get(20, TimeUnit.SECONDS);
            assertThat(h.exitCodes.poll(300, TimeUnit.MILLISECONDS)).as("client alive: no exit").isNull();
            child.destroy();
            child.waitFor();
            assertThat(h.exitCodes.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void exitCodeDependsOnShutdown() throws Exception {
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, workspace(), null, null);
            h.remote.shutdown().get(20, TimeUnit.SECONDS);
            h.remote.exit();
            assertThat(h.exitCodes.poll(20, TimeUnit.SECONDS)).isZero();
        }
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, workspace(), null, null);
            h.remote.exit();
            assertThat(h.exitCodes.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }
}
