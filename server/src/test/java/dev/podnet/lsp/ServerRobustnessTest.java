package dev.podnet.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;

/**
 * Robustness: random incremental edits (positions out of range, reversed ranges, negative numbers, half-typed
 * JSON and YAML, surrogate pairs and lone surrogates) sent to the real server over the wire. After every batch
 * the server must publish diagnostics for the last version and answer hover, completion, document symbols and
 * code actions at random positions; nothing may be logged at WARNING or above.
 */
class ServerRobustnessTest {
    private static LspHarness harness;
    private static final AtomicInteger DOCS = new AtomicInteger();
    private static final List<LogRecord> PROBLEMS = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (PROBLEMS) {
                    PROBLEMS.add(r);
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

    /** One edit as sent: a range (possibly invalid) and its new text. */
    record Edit(int sl, int sc, int el, int ec, String text) {
    }

    private static synchronized LspHarness harness() throws Exception {
        if (harness == null) {
            Logger.getLogger("").addHandler(CAPTURE);
            harness = LspHarness.immediate(LintEngine.standard());
            InitializeParams p = new InitializeParams();
            p.setCapabilities(new ClientCapabilities());
            harness.remote.initialize(p).get(20, TimeUnit.SECONDS);
            harness.remote.initialized(new InitializedParams());
        }
        return harness;
    }

    @AfterContainer
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
            harness = null;
        }
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    @Property(tries = 150)
    void serverKeepsAnsweringUnderRandomEdits(@ForAll("seeds") String seed, @ForAll("batches") List<Edit> edits,
                                              @ForAll("suffixes") String name) throws Exception {
        LspHarness h = harness();
        String uri = "file:///robust/" + DOCS.incrementAndGet() + name;
        var tds = h.remote.getTextDocumentService();
        tds.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "", 1, seed)));
        int version = 1;
        for (Edit e : edits) {
            TextDocumentContentChangeEvent c = new TextDocumentContentChangeEvent();
            c.setRange(new Range(new Position(e.sl(), e.sc()), new Position(e.el(), e.ec())));
            c.setText(e.text());
            tds.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, ++version),
                    List.of(c)));
        }
        int last = version;
        h.client.await(uri, p -> Integer.valueOf(last).equals(p.getVersion()));
        TextDocumentIdentifier id = new TextDocumentIdentifier(uri);
        for (Edit e : edits.subList(0, Math.min(4, edits.size()))) {
            Position pos = new Position(e.sl(), e.sc());
            tds.hover(new HoverParams(id, pos)).get(20, TimeUnit.SECONDS);
            assertThat(tds.completion(new CompletionParams(id, pos)).get(20, TimeUnit.SECONDS)).isNotNull();
            Diagnostic d = new Diagnostic(new Range(pos, new Position(e.el(), e.ec())), "hairpinMode is off");
            assertThat(tds.codeAction(new CodeActionParams(id, d.getRange(), new CodeActionContext(List.of(d))))
                    .get(20, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(tds.documentSymbol(new DocumentSymbolParams(id)).get(20, TimeUnit.SECONDS)).isNotNull();
        tds.didClose(new DidCloseTextDocumentParams(id));
        h.client.await(uri, p -> p.getVersion() == null && p.getDiagnostics().isEmpty());
        synchronized (PROBLEMS) {
            assertThat(PROBLEMS).extracting(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown())
                    .isEmpty();
        }
    }

    @Provide
    Arbitrary<String> seeds() {
        return Arbitraries.of(
                "",
                "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", \"ipam\": "
                        + "{\"type\": \"host-local\", \"subnet\": \"10.1.0.0/16\"}}, {\"type\": \"portmap\"}]}\n",
                "{\n  \"name\": \"n\",\n  \"type\": \"ptp\",\n  \"ipam\": {\"type\": \"host-local\",\n",
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n"
                        + "  podSelector: {}\n  policyTypes: [Ingress]\n---\napiVersion: v1\nkind: Pod\n",
                "{\"plugins\": [{\"type\": \"bri",
                "key: [unclosed\n\tbad: tab\n");
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.of(".conflist", ".conf", ".yaml", ".json", "");
    }

    @Provide
    Arbitrary<List<Edit>> batches() {
        Arbitrary<Integer> line = Arbitraries.integers().between(-2, 12);
        Arbitrary<Integer> col = Arbitraries.integers().between(-2, 90);
        Arbitrary<String> text = Arbitraries.of("", "\"", "{", "}", "[", "]", ",", ":", " ", "\n", "\r\n", "\r",
                "\"type\": \"bridge\"", "\"hairpinMode\": ", "true", "  - name: x\n", "apiVersion: v1\nkind: Pod\n",
                "plugins: [", "\uD83D\uDE00", "\uD800", "\t", "---\n", "&a [*a]", "{\"a\":");
        return Combinators.combine(line, col, line, col, text).as(Edit::new).list().ofMinSize(1).ofMaxSize(25);
    }
}
