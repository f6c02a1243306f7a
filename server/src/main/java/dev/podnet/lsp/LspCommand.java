package dev.podnet.lsp;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code podnet lsp}: the language server over stdio. Standard output carries nothing but the protocol:
 * {@code System.out} is pointed at standard error before anything else runs, so a stray print cannot corrupt
 * the message stream (lemminx XMLServerLauncher does the same). Exits 0 after {@code shutdown} + {@code exit},
 * 1 after {@code exit} without {@code shutdown}, when the input stream ends, or when the client process dies.
 */
@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = "Run the podnet language server over stdin/stdout (LSP 3.17).")
public class LspCommand implements Callable<Integer> {
    /** Exit code when the client went away without shutdown + exit (LSP 3.17 "exit" notification: 1). */
    static final int EXIT_WITHOUT_SHUTDOWN = 1;

    @Option(names = "--client-poll-ms", defaultValue = "2000", paramLabel = "MS",
            description = "How often to check that the editor process is alive, in ms. Default: ${DEFAULT-VALUE}.")
    long clientPollMillis;

    @Override
    public Integer call() throws InterruptedException {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        PodnetLanguageServer server = PodnetLanguageServer.standard();
        server.setProcessPollMillis(clientPollMillis);
        ExecutorService messages = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "podnet-lsp-messages");
            t.setDaemon(true);
            return t;
        });
        Launcher<LanguageClient> launcher = new LSPLauncher.Builder<LanguageClient>()
                .setLocalService(server)
                .setRemoteInterface(LanguageClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(messages)
                .create();
        server.connect(launcher.getRemoteProxy());
        try {
            launcher.startListening().get();
        } catch (ExecutionException e) {
            System.err.println("podnet lsp: connection failed: " + e.getCause());
        }
        return EXIT_WITHOUT_SHUTDOWN; // the input closed without an exit notification

    }
}
