package dev.podnet.lsp;

import static dev.podnet.lsp.PodnetLanguageServerTest.close;
import static dev.podnet.lsp.PodnetLanguageServerTest.init;
import static dev.podnet.lsp.PodnetLanguageServerTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.service.LspDiagnostics;
import dev.podnet.service.WorkspaceModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server over pipes, after sequences of edits (open documents and files changed on disk): what it last
 * published for every file equals a validation from scratch of the same workspace state, and bad input (an alias
 * bomb, a 5 MB document, binary bytes, a CNI config edited into invalid JSON and back) gets diagnostics without a
 * warning or stack trace in the log.
 */
class IncrementalProtocolTest {
    @TempDir
    Path ws;
    private LspHarness h;
    private final Map<String, String> opened = new LinkedHashMap<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    private final List<LogRecord> problems = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (problems) {
                    problems.add(r);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        Files.writeString(ws.resolve("namespaces.yaml"), InventoryProtocolTest.NAMESPACES);
        Files.writeString(ws.resolve("apps.yaml"), InventoryProtocolTest.APPS);
        Files.writeString(ws.resolve("policy.yaml"), InventoryProtocolTest.POLICY);
        Files.writeString(ws.resolve("podnet.yaml"), "cluster: {policyEnforcement: calico}\n");
        h = LspHarness.immediate(LintEngine.standard());
        init(h, ws, null, null);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
        Logger.getLogger("").removeHandler(capture);
        synchronized (problems) {
            assertThat(problems).extracting(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown()).isEmpty();
        }
    }

    private String uri(String name) {
        return ws.resolve(name).toUri().toString();
    }

    /** Writes a workspace file and tells the server, as a client's file watcher would. */
    private void disk(String name, byte[] bytes) throws Exception {
        Files.write(ws.resolve(name), bytes);
        h.remote.getWorkspaceService().didChangeWatchedFiles(new DidChangeWatchedFilesParams(List.of(
                new FileEvent(uri(name), FileChangeType.Changed))));
    }

    private void disk(String name, String text) throws Exception {
        disk(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private int version = 1;

    /** Opens (or replaces the text of) a document with a new version. */
    private void edit(String name, String text) {
        opened.put(uri(name), text);
        versions.put(uri(name), ++version);
        open(h, uri(name), version, text);
    }

    /** What a fresh validation of the current disk files and open documents publishes, per URI. */
    private Map<String, List<Diagnostic>> fresh() throws Exception {
        WorkspaceModel m = new WorkspaceModel();
        try (Stream<Path> s = Files.walk(ws)) {
            for (Path p : s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(ya?ml|json|conf|conflist)"))
                    .toList()) {
                m.putDiskFile(p.toUri().toString(), Files.readAllBytes(p), false);
            }
        }
        int v = 1;
        for (var e : opened.entrySet()) {
            m.open(e.getKey(), v++, e.getValue());
        }
        Map<String, List<Diagnostic>> out = new LinkedHashMap<>();
        LspDiagnostics.validate(LintEngine.standard(), m.snapshot(), LintOptions.defaults()).forEach((uri, ds) -> {
            boolean isOpen = opened.containsKey(uri);
            List<Diagnostic> kept = ds.stream().filter(d -> isOpen || !"SYN006".equals(LspDiagnostics.ruleOf(d)))
                    .peek(d -> {
                        if (d.getData() instanceof com.google.gson.JsonObject o) {
                            o.remove("version");
                        }
                    }).toList();
            out.put(uri, kept);
        });
        return out;
    }

    /** Waits until the server's last publish for every file equals a fresh validation's. */
    private void assertSettled() throws Exception {
        Map<String, List<Diagnostic>> want = fresh();
        for (var e : want.entrySet()) {
            List<Diagnostic> expected = e.getValue();
            Integer v = opened.containsKey(e.getKey()) ? versions.get(e.getKey()) : null;
            h.client.await(e.getKey(), p -> strip(p.getDiagnostics()).equals(expected)
                    && java.util.Objects.equals(v, p.getVersion()));
        }
    }

    private static List<Diagnostic> strip(List<Diagnostic> ds) {
        for (Diagnostic d : ds) {
            if (d.getData() instanceof com.google.gson.JsonObject o) {
                o.remove("version");
            }
        }
        return ds;
    }

    @Test
    void editsAcrossFilesEndWhereAFreshValidationStarts() throws Exception {
        assertSettled();
        edit("policy.yaml", InventoryProtocolTest.POLICY);
        assertSettled();
        // the namespace the policy's namespaceSelector names loses its name label's match: rename it
        disk("namespaces.yaml", InventoryProtocolTest.NAMESPACES.replace("name: ops", "name: opsx"));
        assertSettled();
        // the Deployment's pods get other labels
        disk("apps.yaml", InventoryProtocolTest.APPS.replace("        app: web", "        app: webx"));
        assertSettled();
        disk("podnet.yaml", "cluster: {policyEnforcement: none}\n");
        assertSettled();
        disk("podnet.yaml", "cluster: {policyEnforcement: calico, dns: {namespace: ops, service: dns}}\n");
        assertSettled();
        // a suppression added to the open policy, then removed
        String suppressed = InventoryProtocolTest.POLICY.replace("  name: api-in\n",
                "  name: api-in\n  annotations:\n    ignore-check.podnet.dev/NP041: \"x\"\n");
        edit("policy.yaml", suppressed);
        assertSettled();
        edit("policy.yaml", InventoryProtocolTest.POLICY);
        assertSettled();
        // split into two documents, then merged again; a duplicate policy name in another file
        edit("policy.yaml", InventoryProtocolTest.POLICY.replace("  egress:\n", "---\n  egress:\n"));
        assertSettled();
        edit("policy.yaml", InventoryProtocolTest.POLICY + "---\n" + InventoryProtocolTest.POLICY);
        assertSettled();
        disk("more.yaml", InventoryProtocolTest.POLICY);
        assertSettled();
        // CRLF, and the final line break dropped
        edit("policy.yaml", InventoryProtocolTest.POLICY.replace("\n", "\r\n"));
        assertSettled();
        edit("policy.yaml", InventoryProtocolTest.POLICY.strip());
        assertSettled();
        // closed and opened again with the same version
        opened.remove(uri("policy.yaml"));
        close(h, uri("policy.yaml"));
        assertSettled();
        opened.put(uri("policy.yaml"), InventoryProtocolTest.POLICY);
        open(h, uri("policy.yaml"), versions.get(uri("policy.yaml")), InventoryProtocolTest.POLICY);
        assertSettled();
        disk("namespaces.yaml", InventoryProtocolTest.NAMESPACES);
        assertSettled();
    }

    @Test
    void badInputGetsDiagnosticsAndTheServerKeepsAnswering() throws Exception {
        assertSettled();
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                + "\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append("]\n");
        }
        edit("bomb.yaml", bomb.toString());
        assertSettled();
        assertThat(h.client.latest(uri("bomb.yaml")).getDiagnostics()).isNotEmpty();
        // half-typed YAML
        edit("half.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: [x\nspec:\n  po");
        assertSettled();
        // a 5 MB document: many Namespaces
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 5_000_000; i++) {
            big.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c").append(i)
                    .append(", namespace: shop}\ndata: {k: \"").append("x".repeat(200)).append("\"}\n");
        }
        edit("big.yaml", big.toString());
        assertSettled();
        // binary bytes on disk
        byte[] bin = new byte[4096];
        new java.util.Random(7).nextBytes(bin);
        disk("blob.yaml", bin);
        assertSettled();
        assertThat(h.client.latest(uri("blob.yaml")).getDiagnostics()).isNotEmpty();
        // a CNI config edited into invalid JSON and back
        String cni = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", \"bridge\": "
                + "\"cni0\", \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.1.0.0/16\"}}]}\n";
        disk("10-n.conflist", cni);
        assertSettled();
        List<Diagnostic> before = h.client.latest(uri("10-n.conflist")).getDiagnostics();
        edit("10-n.conflist", cni.replace("\"bridge\", \"bridge\"", "\"bridge\" \"bridge\""));
        assertSettled();
        assertThat(h.client.latest(uri("10-n.conflist")).getDiagnostics()).extracting(LspDiagnostics::ruleOf)
                .contains("SYN001");
        edit("10-n.conflist", cni);
        assertSettled();
        assertThat(strip(h.client.latest(uri("10-n.conflist")).getDiagnostics())).isEqualTo(strip(before));
        // still answering
        h.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri("policy.yaml")),
                new Position(6, 4))).get(20, TimeUnit.SECONDS);
    }
}
