package dev.podnet.lsp;

import dev.podnet.lint.LintEngine;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * The real {@link PodnetLanguageServer} on one end of a pair of pipes and an lsp4j client launcher on the other:
 * every request and notification goes through JSON-RPC serialisation, as with an editor.
 */
final class LspHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final PodnetLanguageServer server;
    final LanguageServer remote;
    final Client client = new Client();
    final LinkedBlockingQueue<Integer> exitCodes = new LinkedBlockingQueue<>();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private final PipedOutputStream clientToServer = new PipedOutputStream();
    private final PipedOutputStream serverToClient = new PipedOutputStream();

    /** The client side: records what the server sends and answers its requests. */
    static final class Client implements LanguageClient {
        final List<PublishDiagnosticsParams> diagnostics = new ArrayList<>();
        final List<RegistrationParams> registrations = new ArrayList<>();
        final List<MessageParams> logs = new ArrayList<>();
        final List<org.eclipse.lsp4j.ShowDocumentParams> shown = new ArrayList<>();
        int lensRefreshes;
        /** For each lens refresh, how many publishDiagnostics had arrived before it. */
        final List<Integer> refreshedAfter = new ArrayList<>();
        volatile Object configuration;

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public synchronized void publishDiagnostics(PublishDiagnosticsParams p) {
            diagnostics.add(p);
            notifyAll();
        }

        @Override
        public void showMessage(MessageParams p) {
            logMessage(p);
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletableFuture<org.eclipse.lsp4j.ShowDocumentResult> showDocument(
                org.eclipse.lsp4j.ShowDocumentParams p) {
            shown.add(p);
            notifyAll();
            return CompletableFuture.completedFuture(new org.eclipse.lsp4j.ShowDocumentResult(true));
        }

        @Override
        public synchronized CompletableFuture<Void> refreshCodeLenses() {
            lensRefreshes++;
            refreshedAfter.add(diagnostics.size());
            notifyAll();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized void logMessage(MessageParams p) {
            logs.add(p);
        }

        @Override
        public synchronized CompletableFuture<Void> registerCapability(RegistrationParams p) {
            registrations.add(p);
            notifyAll();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<List<Object>> configuration(ConfigurationParams p) {
            List<Object> out = new ArrayList<>();
            p.getItems().forEach(i -> out.add(configuration));
            return CompletableFuture.completedFuture(out);
        }

        /** Waits until the latest publish for {@code uri} matches; returns it. */
        synchronized PublishDiagnosticsParams await(String uri, Predicate<PublishDiagnosticsParams> p)
                throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                PublishDiagnosticsParams last = latest(uri);
                if (last != null && p.test(last)) {
                    return last;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching publishDiagnostics for " + uri + "; got " + forUri(uri));
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }

        /** Waits until at least {@code n} publishes for {@code uri} arrived. */
        synchronized void awaitCount(String uri, int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (forUri(uri).size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("fewer than " + n + " publishDiagnostics for " + uri);
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }

        synchronized PublishDiagnosticsParams latest(String uri) {
            for (int i = diagnostics.size() - 1; i >= 0; i--) {
                if (diagnostics.get(i).getUri().equals(uri)) {
                    return diagnostics.get(i);
                }
            }
            return null;
        }

        synchronized List<PublishDiagnosticsParams> forUri(String uri) {
            return diagnostics.stream().filter(d -> d.getUri().equals(uri)).toList();
        }

        synchronized int count() {
            return diagnostics.size();
        }
    }

    /**
     * Writes to a pipe from one long-lived thread. {@link PipedInputStream} fails reads with "Write end dead" once
     * the thread that wrote last has ended, and lsp4j writes from whichever pool thread completes a request.
     */
    static final class Pump extends java.io.OutputStream {
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private static final byte[] EOF = new byte[0];

        Pump(PipedOutputStream target, String name) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        byte[] b = queue.take();
                        if (b == EOF) {
                            target.close();
                            return;
                        }
                        target.write(b);
                        target.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the other end went away: the test is over
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void write(int b) {
            queue.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            queue.add(java.util.Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void close() {
            queue.add(EOF);
        }
    }

    LspHarness(LintEngine engine, Scheduler scheduler) throws IOException {
        server = new PodnetLanguageServer(engine, scheduler, exitCodes::add);
        PipedInputStream serverIn = new PipedInputStream(clientToServer, 1 << 16);
        PipedInputStream clientIn = new PipedInputStream(serverToClient, 1 << 16);
        Launcher<LanguageClient> serverLauncher = new LSPLauncher.Builder<LanguageClient>()
                .setLocalService(server).setRemoteInterface(LanguageClient.class)
                .setInput(serverIn).setOutput(new Pump(serverToClient, "server-out")).setExecutorService(serverThreads)
                .create();
        server.connect(serverLauncher.getRemoteProxy());
        serverLauncher.startListening();
        Launcher<LanguageServer> clientLauncher = new LSPLauncher.Builder<LanguageServer>()
                .setLocalService(client).setRemoteInterface(LanguageServer.class)
                .setInput(clientIn).setOutput(new Pump(clientToServer, "client-out")).setExecutorService(clientThreads)
                .traceMessages(System.getenv("PODNET_LSP_TRACE") == null ? null
                        : new java.io.PrintWriter(System.err, true))
                .create();
        remote = clientLauncher.getRemoteProxy();
        clientLauncher.startListening();
    }

    /** A harness whose validations run at once on one thread (no debounce wait). */
    static LspHarness immediate(LintEngine engine) throws IOException {
        return new LspHarness(engine, Scheduler.immediate(Executors.newSingleThreadExecutor()));
    }

    @Override
    public void close() throws IOException {
        clientToServer.close();
        serverToClient.close();
        serverThreads.shutdownNow();
        clientThreads.shutdownNow();
    }
}
