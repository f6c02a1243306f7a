package dev.podnet.lsp;

import dev.podnet.cli.Inputs;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.service.LanguageService;
import dev.podnet.service.LspDiagnostics;
import dev.podnet.service.TextDocument;
import dev.podnet.service.WorkspaceModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.reach.ReachabilityCheck;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.ConfigurationItem;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.DidChangeWorkspaceFoldersParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.WorkspaceFoldersOptions;
import org.eclipse.lsp4j.WorkspaceServerCapabilities;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The podnet language server (LSP 3.17 over lsp4j): a thin protocol layer over {@link WorkspaceModel},
 * {@link LspDiagnostics} and {@link LanguageService}.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>Text sync is incremental. Documents are recognised by content and file name, never by
 *       {@code languageId} (Neovim sends "" for {@code .conflist}, Emacs "fundamental").</li>
 *   <li>At {@code initialize} the workspace folders (or {@code rootUri}) are walked with the CLI's rules
 *       ({@link Inputs#files}); every validation lints the whole workspace ({@link LintEngine#standard()}: every
 *       rule family podnet has) with open documents overriding their disk copy, and publishes per file: open
 *       documents with their version, unless that version's findings were published already and did not change
 *       (another file was edited), other files only when their list changed. Editing one file thus
 *       re-publishes findings of unopened files that depend on it. {@code SYN006} ("skipped: not a CNI config
 *       or manifest") is published for open documents only.</li>
 *   <li>didOpen validates at once, didChange after the debounce ({@link Settings#debounceMillis()}); a newer
 *       request cancels the pending one and asks a running lint to stop; a result is published for an open
 *       document only if its version is still the one that was linted.</li>
 *   <li>didClose publishes an empty list, unless the file is part of the workspace on disk: then its disk
 *       findings are published.</li>
 *   <li>{@code workspace/didChangeWatchedFiles} and workspace folder changes update the disk files; when the
 *       client supports dynamic registration the server asks to watch {@code **}{@code /*.{conf,conflist,json,
 *       yaml,yml}}.</li>
 *   <li>Settings ({@link Settings}) come from initializationOptions, didChangeConfiguration, or a
 *       {@code workspace/configuration} request for section {@code podnet} when the client supports it.</li>
 *   <li>Hover, completion and code lens read the inventory ({@link InventoryBuilder}) of the workspace the last
 *       validation parsed (the one the lint's checks built); it is kept until the next validation. The code
 *       lens counts unreachable pods from the result that validation's reachability check left in the
 *       workspace ({@link ReachabilityCheck#unreachable}), never re-running the analysis; after each validation
 *       the server sends {@code workspace/codeLens/refresh} to clients that support it.</li>
 *   <li>The server stops when the client process given in {@code initialize} dies.</li>
 * </ul>
 */
public final class PodnetLanguageServer implements LanguageServer, LanguageClientAware {
    private static final Logger LOG = Logger.getLogger(PodnetLanguageServer.class.getName());
    /** The file watcher glob registered with the client. */
    public static final String WATCH_GLOB = "**/*.{conf,conflist,json,yaml,yml}";
    /**
     * "skipped: neither a CNI config nor a manifest" is published for open documents only: a workspace holds many
     * unrelated YAML/JSON files (CI workflows, package.json) the user never asked podnet about.
     */
    static final String SKIPPED_RULE = "SYN006";

    private final WorkspaceModel model = new WorkspaceModel();
    private final LanguageService service = LanguageService.standard();
    private final LintEngine engine;
    private final Scheduler scheduler;
    private final ScheduledExecutorService background;
    private final IntConsumer exit;
    private final Documents documents = new Documents();
    private final Workspace workspace = new Workspace();
    private final List<Path> folders = new ArrayList<>();
    /** What was last published per file: the findings, and the document version for an open document. */
    private record Published(Integer version, List<org.eclipse.lsp4j.Diagnostic> diagnostics) {
    }

    private final Map<String, Published> published = new HashMap<>();
    private final LspDiagnostics.ReadCache readCache = new LspDiagnostics.ReadCache();
    /**
     * The inventory of the last finished validation's workspace, built on first use (hover, code lens,
     * completion) and then kept until the next validation: one build per workspace version.
     */
    private volatile java.util.function.Supplier<Inventory> inventory = () -> null;
    /**
     * The workspace the last finished validation linted (null before the first): the code lens reads the
     * reachability result its RCH checks left there ({@link ReachabilityCheck#unreachable}).
     */
    private volatile dev.podnet.lint.Workspace validated;

    private volatile LanguageClient client;
    private volatile Settings settings = Settings.defaults();
    private volatile boolean shutdown;
    private ClientCapabilities capabilities = new ClientCapabilities();
    private long generation;
    private Scheduler.Task pending;
    private ParentProcessWatcher watcher;
    private long processPollMillis = 2000;

    /**
     * A server.
     *
     * @param engine    the lint engine (the standard one in production)
     * @param scheduler runs validations (debounce); see {@link Scheduler}
     * @param exit      called with the exit code on {@code exit} or when the client process died
     */
    public PodnetLanguageServer(LintEngine engine, Scheduler scheduler, IntConsumer exit) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.exit = exit;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "podnet-lsp-background");
            t.setDaemon(true);
            return t;
        });
    }

    /** The production server: standard engine, one validation thread, {@code System.exit} on exit. */
    public static PodnetLanguageServer standard() {
        ScheduledExecutorService validation = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "podnet-lsp-validation");
            t.setDaemon(true);
            return t;
        });
        return new PodnetLanguageServer(LintEngine.standard(), Scheduler.of(validation), System::exit);
    }

    /** How often the client process is polled, in ms (default 2000). */
    public void setProcessPollMillis(long millis) {
        this.processPollMillis = millis;
    }

    /** The workspace model (tests and benchmarks read it). */
    public WorkspaceModel model() {
        return model;
    }

    /** The settings in force. */
    public Settings settings() {
        return settings;
    }

    @Override
    public void connect(LanguageClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        capabilities = params.getCapabilities() == null ? new ClientCapabilities() : params.getCapabilities();
        settings = Settings.from(params.getInitializationOptions(), settings);
        if (params.getProcessId() != null && params.getProcessId() != ProcessHandle.current().pid()) {
            watcher = new ParentProcessWatcher(params.getProcessId(), () -> {
                LOG.warning("the client process " + params.getProcessId() + " is gone; exiting");
                exit.accept(1);
            });
            watcher.start(background, processPollMillis);
        }
        List<String> roots = new ArrayList<>();
        if (params.getWorkspaceFolders() != null && !params.getWorkspaceFolders().isEmpty()) {
            params.getWorkspaceFolders().forEach(f -> roots.add(f.getUri()));
        } else if (params.getRootUri() != null) {
            roots.add(params.getRootUri());
        } else if (params.getRootPath() != null) {
            roots.add(Path.of(params.getRootPath()).toUri().toString());
        }
        roots.forEach(this::addFolder);

        ServerCapabilities caps = new ServerCapabilities();
        TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
        sync.setOpenClose(true);
        sync.setChange(TextDocumentSyncKind.Incremental);
        caps.setTextDocumentSync(sync);
        caps.setHoverProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, List.of("\"", ":")));
        caps.setDocumentSymbolProvider(true);
        caps.setCodeLensProvider(new CodeLensOptions(false));
        caps.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix)));
        caps.setExecuteCommandProvider(new org.eclipse.lsp4j.ExecuteCommandOptions(
                List.of(dev.podnet.service.InventoryFeatures.SHOW_PODS)));
        WorkspaceFoldersOptions wf = new WorkspaceFoldersOptions();
        wf.setSupported(true);
        wf.setChangeNotifications(true);
        caps.setWorkspace(new WorkspaceServerCapabilities(wf));
        String version = PodnetLanguageServer.class.getPackage().getImplementationVersion();
        return CompletableFuture.completedFuture(new InitializeResult(caps,
                new ServerInfo("podnet", version == null ? "0.1.0-SNAPSHOT" : version)));
    }

    @Override
    public void initialized(InitializedParams params) {
        var ws = capabilities.getWorkspace();
        if (ws != null && ws.getDidChangeWatchedFiles() != null
                && Boolean.TRUE.equals(ws.getDidChangeWatchedFiles().getDynamicRegistration()) && client != null) {
            DidChangeWatchedFilesRegistrationOptions opts = new DidChangeWatchedFilesRegistrationOptions(
                    List.of(new FileSystemWatcher(Either.forLeft(WATCH_GLOB))));
            client.registerCapability(new RegistrationParams(List.of(new Registration("podnet-watch",
                    "workspace/didChangeWatchedFiles", opts))));
        }
        pullConfiguration();
        requestValidation(0);
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdown = true;
        if (watcher != null) {
            watcher.stop();
        }
        synchronized (this) {
            generation++;
            if (pending != null) {
                pending.cancel();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        background.shutdownNow();
        exit.accept(shutdown ? 0 : 1);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return workspace;
    }

    // ---------------------------------------------------------------- workspace files

    private void addFolder(String uri) {
        Path dir;
        try {
            dir = Path.of(URI.create(uri));
        } catch (RuntimeException e) {
            LOG.warning("workspace folder is not a file URI, not scanned: " + uri);
            return;
        }
        synchronized (folders) {
            folders.add(dir);
        }
        for (Path f : Inputs.files(dir)) {
            readDiskFile(f);
        }
    }

    private void readDiskFile(Path f) {
        try {
            InputFile in = InputFile.read(f, f.toString());
            model.putDiskFile(f.toUri().toString(), in.bytes(), in.truncated());
        } catch (IOException | RuntimeException e) {
            model.removeDiskFile(f.toUri().toString());
        }
    }

    /** True when a file would be read by the workspace walk (under a folder, readable extension, no skipped dir). */
    private boolean inWorkspace(Path f) {
        if (!Inputs.readsFileNamed(f.getFileName().toString())) {
            return false;
        }
        synchronized (folders) {
            for (Path dir : folders) {
                if (f.startsWith(dir)) {
                    Path rel = dir.relativize(f);
                    for (int i = 0; i < rel.getNameCount() - 1; i++) {
                        if (Inputs.skipsDirectory(rel.getName(i).toString())) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- validation

    /** Schedules a whole-workspace validation after {@code delayMillis}, replacing any pending one. */
    synchronized void requestValidation(long delayMillis) {
        if (shutdown) {
            return;
        }
        long gen = ++generation;
        if (pending != null) {
            pending.cancel();
        }
        pending = scheduler.schedule(() -> validate(gen), delayMillis);
    }

    private synchronized boolean current(long gen) {
        return gen == generation;
    }

    private static java.util.function.Supplier<Inventory> memo(dev.podnet.lint.Workspace ws) {
        return new java.util.function.Supplier<>() {
            private Inventory built;

            @Override
            public synchronized Inventory get() {
                if (built == null) {
                    try {
                        built = InventoryBuilder.of(ws); // the lint's own build when a check made one
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "inventory build failed", e);
                        built = new Inventory(dev.podnet.config.ClusterFacts.UNKNOWN, Map.of(), List.of(),
                                List.of(), List.of(), List.of(), List.of());
                    }
                }
                return built;
            }
        };
    }

    /** The unreachable pods the last validation found (null before the first, or without the RCH checks). */
    private ReachabilityCheck.Unreachable unreachable() {
        dev.podnet.lint.Workspace ws = validated;
        return ws == null ? null : ReachabilityCheck.unreachable(ws).orElse(null);
    }

    /** The inventory of the last validated workspace (null before the first validation). */
    public Inventory inventory() {
        return inventory.get();
    }

    private void validate(long gen) {
        if (!current(gen) || client == null) {
            return;
        }
        WorkspaceModel.Snapshot snap = model.snapshot();
        Map<String, List<org.eclipse.lsp4j.Diagnostic>> result;
        try {
            result = LspDiagnostics.validate(engine, snap, settings.lintOptions(() -> !current(gen)), readCache,
                    ws -> {
                        inventory = memo(ws);
                        validated = ws;
                    });
        } catch (CancellationException e) {
            return;
        } catch (RuntimeException | StackOverflowError e) {
            LOG.log(Level.SEVERE, "validation failed", e);
            return;
        }
        publish(snap, result);
        refreshCodeLenses();
    }

    /**
     * Asks the client to re-request code lenses ({@code workspace/codeLens/refresh}) after a validation, when it
     * supports that: the unreachable count of a policy's lens changes when another file changes (a Deployment's
     * ports, another policy), and clients only re-request lenses of the document being edited on their own.
     */
    private void refreshCodeLenses() {
        var w = capabilities.getWorkspace();
        LanguageClient c = client;
        if (c != null && w != null && w.getCodeLens() != null
                && Boolean.TRUE.equals(w.getCodeLens().getRefreshSupport())) {
            c.refreshCodeLenses();
        }
    }

    private synchronized void publish(WorkspaceModel.Snapshot snap,
                                      Map<String, List<org.eclipse.lsp4j.Diagnostic>> result) {
        LanguageClient c = client;
        for (Map.Entry<String, List<org.eclipse.lsp4j.Diagnostic>> entry : result.entrySet()) {
            String uri = entry.getKey();
            Integer version = snap.openVersions().get(uri);
            Map.Entry<String, List<org.eclipse.lsp4j.Diagnostic>> e = version != null ? entry
                    : Map.entry(uri, entry.getValue().stream()
                            .filter(d -> !SKIPPED_RULE.equals(LspDiagnostics.ruleOf(d))).toList());
            if (version != null) {
                Optional<TextDocument> now = model.document(uri);
                if (now.isEmpty() || now.get().version() != version) {
                    continue; // stale: the document changed or closed since the snapshot
                }
                Published before = published.get(uri);
                if (before != null && version.equals(before.version()) && e.getValue().equals(before.diagnostics())) {
                    continue; // the client has these findings for this version already (another file was edited)
                }
            } else if (model.isOpen(uri) || !model.onDisk(uri)) {
                continue; // opened or deleted since the snapshot; a newer validation covers it
            } else if (published.containsKey(uri) && e.getValue().equals(published.get(uri).diagnostics())) {
                continue; // unopened file whose findings did not change
            }
            published.put(uri, new Published(version, e.getValue()));
            c.publishDiagnostics(new PublishDiagnosticsParams(snap.clientUri(uri), e.getValue(), version));
        }
        Set<String> gone = new LinkedHashSet<>(published.keySet());
        gone.removeAll(result.keySet());
        for (String uri : gone) {
            if (!model.isOpen(uri)) {
                published.remove(uri);
                c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
            }
        }
    }

    private synchronized void clear(String clientUri) {
        published.remove(WorkspaceModel.normalize(clientUri));
        if (client != null) {
            client.publishDiagnostics(new PublishDiagnosticsParams(clientUri, List.of()));
        }
    }

    private void pullConfiguration() {
        var ws = capabilities.getWorkspace();
        if (ws == null || !Boolean.TRUE.equals(ws.getConfiguration()) || client == null) {
            return;
        }
        ConfigurationItem item = new ConfigurationItem();
        item.setSection("podnet");
        client.configuration(new ConfigurationParams(List.of(item))).thenAccept(list -> {
            if (list != null && !list.isEmpty() && list.get(0) != null) {
                Settings before = settings;
                settings = Settings.from(list.get(0), settings);
                if (!settings.equals(before)) {
                    requestValidation(0);
                }
            }
        }).exceptionally(t -> {
            LOG.fine("workspace/configuration failed: " + t);
            return null;
        });
    }

    // ---------------------------------------------------------------- text documents

    private final class Documents implements TextDocumentService {
        @Override
        public void didOpen(DidOpenTextDocumentParams params) {
            var d = params.getTextDocument();
            model.open(d.getUri(), d.getVersion(), d.getText());
            requestValidation(0);
        }

        @Override
        public void didChange(DidChangeTextDocumentParams params) {
            var id = params.getTextDocument();
            if (model.change(id.getUri(), id.getVersion() == null ? 0 : id.getVersion(),
                    params.getContentChanges()).isPresent()) {
                requestValidation(settings.debounceMillis());
            }
        }

        @Override
        public void didClose(DidCloseTextDocumentParams params) {
            String uri = params.getTextDocument().getUri();
            model.close(uri);
            if (model.onDisk(uri)) {
                synchronized (PodnetLanguageServer.this) {
                    published.remove(WorkspaceModel.normalize(uri)); // force a publish of the disk findings
                }
            } else {
                clear(uri);
            }
            requestValidation(0);
        }

        @Override
        public void didSave(DidSaveTextDocumentParams params) {
            // the buffer is already current; the file watcher reports the disk change
        }

        @Override
        public CompletableFuture<Hover> hover(HoverParams params) {
            return CompletableFuture.supplyAsync(() -> model.document(params.getTextDocument().getUri())
                    .flatMap(d -> service.hover(d, params.getPosition(), inventory())).orElse(null));
        }

        @Override
        public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
            return CompletableFuture.supplyAsync(() -> {
                List<CompletionItem> items = model.document(params.getTextDocument().getUri())
                        .map(d -> service.completion(d, params.getPosition(), inventory())).orElse(List.of());
                return Either.forRight(new CompletionList(false, items));
            });
        }

        @Override
        public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
            return CompletableFuture.supplyAsync(() -> model.document(params.getTextDocument().getUri())
                    .map(d -> service.codeLenses(d, inventory(), unreachable())).orElse(List.of()));
        }

        @Override
        public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
                DocumentSymbolParams params) {
            return CompletableFuture.supplyAsync(() -> {
                List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
                model.document(params.getTextDocument().getUri())
                        .ifPresent(d -> service.symbols(d).forEach(s -> out.add(Either.forRight(s))));
                return out;
            });
        }

        @Override
        public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
            return CompletableFuture.supplyAsync(() -> {
                List<Either<Command, CodeAction>> out = new ArrayList<>();
                model.document(params.getTextDocument().getUri()).ifPresent(d -> {
                    List<org.eclipse.lsp4j.Diagnostic> ds = params.getContext() == null ? List.of()
                            : params.getContext().getDiagnostics();
                    for (CodeAction a : service.codeActions(d, ds)) {
                        if (a.getEdit() != null && a.getEdit().getChanges() != null) {
                            // answer with the client's spelling of the URI
                            a.getEdit().setChanges(Map.of(params.getTextDocument().getUri(),
                                    a.getEdit().getChanges().values().iterator().next()));
                        }
                        out.add(Either.forRight(a));
                    }
                });
                return out;
            });
        }
    }

    // ---------------------------------------------------------------- workspace

    private final class Workspace implements WorkspaceService {
        /**
         * {@code podnet.showPods} (the policy code lens's command): shows the lens's pods as an info message and,
         * when the client supports {@code window/showDocument}, opens the first one's manifest with its name
         * selected (an unreachable pod when there is one). Answers the message; null for other commands.
         */
        @Override
        public CompletableFuture<Object> executeCommand(org.eclipse.lsp4j.ExecuteCommandParams params) {
            return CompletableFuture.supplyAsync(() -> {
                if (!dev.podnet.service.InventoryFeatures.SHOW_PODS.equals(params.getCommand())
                        || params.getArguments() == null || params.getArguments().isEmpty()) {
                    return null;
                }
                var shown = dev.podnet.service.InventoryFeatures.showPods(params.getArguments().get(0));
                LanguageClient c = client;
                if (shown.isEmpty() || c == null) {
                    return null;
                }
                c.showMessage(new org.eclipse.lsp4j.MessageParams(org.eclipse.lsp4j.MessageType.Info,
                        shown.get().message()));
                var w = capabilities.getWindow();
                if (shown.get().reveal() != null && w != null && w.getShowDocument() != null
                        && w.getShowDocument().isSupport()) {
                    org.eclipse.lsp4j.ShowDocumentParams sd = new org.eclipse.lsp4j.ShowDocumentParams(
                            shown.get().reveal().getUri());
                    sd.setSelection(shown.get().reveal().getRange());
                    sd.setTakeFocus(true);
                    c.showDocument(sd);
                }
                return shown.get().message();
            });
        }

        @Override
        public void didChangeConfiguration(DidChangeConfigurationParams params) {
            Object s = params.getSettings();
            Settings before = settings;
            settings = Settings.from(s, settings);
            if (!(s instanceof com.google.gson.JsonObject o) || o.size() == 0) {
                pullConfiguration();
            }
            if (!settings.equals(before)) {
                requestValidation(0);
            }
        }

        @Override
        public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
            for (FileEvent e : params.getChanges()) {
                Path p;
                try {
                    p = Path.of(URI.create(e.getUri()));
                } catch (RuntimeException ex) {
                    continue;
                }
                if (e.getType() == FileChangeType.Deleted) {
                    model.removeDiskFile(e.getUri());
                    model.removeDiskFilesUnder(e.getUri());
                } else if (Files.isDirectory(p)) {
                    Inputs.files(p).stream().filter(PodnetLanguageServer.this::inWorkspace)
                            .forEach(PodnetLanguageServer.this::readDiskFile);
                } else if (inWorkspace(p)) {
                    readDiskFile(p);
                }
            }
            requestValidation(settings.debounceMillis());
        }

        @Override
        public void didChangeWorkspaceFolders(DidChangeWorkspaceFoldersParams params) {
            var ev = params.getEvent();
            if (ev.getRemoved() != null) {
                for (WorkspaceFolder f : ev.getRemoved()) {
                    model.removeDiskFilesUnder(f.getUri());
                    try {
                        Path dir = Path.of(URI.create(f.getUri()));
                        synchronized (folders) {
                            folders.remove(dir);
                        }
                    } catch (RuntimeException ignored) {
                        // not a file URI: nothing was scanned
                    }
                }
            }
            if (ev.getAdded() != null) {
                ev.getAdded().forEach(f -> addFolder(f.getUri()));
            }
            requestValidation(0);
        }
    }
}
