package dev.podnet.lsp;

import static dev.podnet.lsp.PodnetLanguageServerTest.init;
import static dev.podnet.lsp.PodnetLanguageServerTest.open;
import static dev.podnet.lsp.PodnetLanguageServerTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory-aware features and quick fixes through the real server over pipes: the workspace's manifests (two
 * namespaces, a Deployment and two Pods) form the inventory the open policy is matched against.
 */
class InventoryProtocolTest {
    static final String NAMESPACES = String.join("\n",
            "apiVersion: v1", "kind: Namespace", "metadata:", "  name: shop", "  labels:", "    team: web",
            "---", "apiVersion: v1", "kind: Namespace", "metadata:", "  name: ops", "");
    static final String APPS = String.join("\n",
            "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "  namespace: shop", "spec:",
            "  selector:", "    matchLabels:", "      app: web", "  template:", "    metadata:", "      labels:",
            "        app: web", "        tier: front", "    spec:", "      containers:", "      - name: web",
            "        image: nginx",
            "---", "apiVersion: v1", "kind: Pod", "metadata:", "  name: api", "  namespace: shop", "  labels:",
            "    app: api", "spec:", "  containers:", "  - name: api", "    image: api",
            "---", "apiVersion: v1", "kind: Pod", "metadata:", "  name: prom", "  namespace: ops", "  labels:",
            "    app: prom", "spec:", "  containers:", "  - name: prom", "    image: prom", "");
    static final String POLICY = String.join("\n",
            "apiVersion: networking.k8s.io/v1", //  0
            "kind: NetworkPolicy", //               1
            "metadata:", //                         2
            "  name: api-in", //                    3
            "  namespace: shop", //                 4
            "spec:", //                             5
            "  podSelector:", //                    6
            "    matchLabels:", //                  7
            "      app: api", //                    8
            "  policyTypes:", //                    9
            "  - Ingress", //                       10
            "  ingress:", //                        11
            "  - from:", //                         12
            "    - podSelector:", //                13
            "        matchLabels:", //              14
            "          app: web", //                15
            "    - namespaceSelector:", //          16
            "        matchLabels:", //              17
            "          kubernetes.io/metadata.name: ops", // 18
            "    ports:", //                        19
            "    - port: 8080", //                  20
            "  egress:", //                         21
            "  - to:", //                           22
            "    - podSelector: {}", //             23
            "");
    static final String DRAFT = String.join("\n",
            "apiVersion: networking.k8s.io/v1", //  0
            "kind: NetworkPolicy", //               1
            "metadata:", //                         2
            "  name: draft", //                     3
            "  namespace: shop", //                 4
            "spec:", //                             5
            "  podSelector:", //                    6
            "    matchLabels:", //                  7
            "      ti", //                          8
            "  ingress:", //                        9
            "  - from:", //                         10
            "    - namespaceSelector:", //          11
            "        matchLabels:", //              12
            "          team: ", //                  13
            "");

    @TempDir
    Path ws;

    private LspHarness start() throws Exception {
        Files.writeString(ws.resolve("namespaces.yaml"), NAMESPACES);
        Files.writeString(ws.resolve("apps.yaml"), APPS);
        Files.writeString(ws.resolve("policy.yaml"), POLICY);
        LspHarness h = LspHarness.immediate(LintEngine.standard());
        init(h, ws, null, null);
        return h;
    }

    private String uri(String rel) {
        return ws.resolve(rel).toUri().toString();
    }

    /** Opens the document and waits for its first validation (so the inventory is built from this run). */
    private static void openAndValidate(LspHarness h, String uri, String text) throws InterruptedException {
        open(h, uri, 1, text);
        h.client.await(uri, p -> Integer.valueOf(1).equals(p.getVersion()));
    }

    private static Hover hover(TextDocumentService tds, String uri, int line, int ch) throws Exception {
        return tds.hover(new HoverParams(new TextDocumentIdentifier(uri), new Position(line, ch)))
                .get(20, TimeUnit.SECONDS);
    }

    private static List<CodeAction> actions(TextDocumentService tds, String uri, Diagnostic d) throws Exception {
        List<CodeAction> out = new ArrayList<>();
        tds.codeAction(new CodeActionParams(new TextDocumentIdentifier(uri), d.getRange(),
                new CodeActionContext(List.of(d)))).get(20, TimeUnit.SECONDS).forEach(e -> out.add(e.getRight()));
        return out;
    }

    /**
     * Editing a Deployment re-validates the open policy that selects it through the kept per-document results: an
     * edit that leaves the policy's findings as they were does not re-send them, and one that changes them (the
     * peer's label no longer matches) publishes the new findings for the policy's unchanged version at once.
     */
    @Test
    void editingAWorkloadRepublishesTheOpenPolicyOnlyWhenItsFindingsChange() throws Exception {
        Files.writeString(ws.resolve("namespaces.yaml"), NAMESPACES);
        Files.writeString(ws.resolve("apps.yaml"), APPS);
        Files.writeString(ws.resolve("policy.yaml"), POLICY);
        org.eclipse.lsp4j.ClientCapabilities caps = new org.eclipse.lsp4j.ClientCapabilities();
        org.eclipse.lsp4j.WorkspaceClientCapabilities w = new org.eclipse.lsp4j.WorkspaceClientCapabilities();
        w.setCodeLens(new org.eclipse.lsp4j.CodeLensWorkspaceCapabilities(true));
        caps.setWorkspace(w);
        try (LspHarness h = LspHarness.immediate(LintEngine.standard())) {
            init(h, ws, null, caps);
            String policy = uri("policy.yaml");
            String apps = uri("apps.yaml");
            openAndValidate(h, policy, POLICY);
            openAndValidate(h, apps, APPS);
            int policyPublishes = h.client.forUri(policy).size();
            assertThat(h.client.latest(policy).getDiagnostics()).extracting(d -> d.getCode().getLeft())
                    .doesNotContain("NP041");

            // A comment: nothing the policy depends on changes.
            PodnetLanguageServerTest.change(h, apps, 2, new org.eclipse.lsp4j.TextDocumentContentChangeEvent(
                    range(0, 0, 0, 0), "# web tier\n"));
            awaitValidationOf(h, apps, 2);
            assertThat(h.client.forUri(policy)).hasSize(policyPublishes);

            // The Deployment's pods lose the label the policy's first peer selects (line 13 after the comment).
            PodnetLanguageServerTest.change(h, apps, 3, new org.eclipse.lsp4j.TextDocumentContentChangeEvent(
                    range(13, 13, 13, 16), "webx"));
            awaitValidationOf(h, apps, 3);
            assertThat(h.client.forUri(policy)).hasSize(policyPublishes + 1);
            var latest = h.client.latest(policy);
            assertThat(latest.getVersion()).isEqualTo(1);
            assertThat(latest.getDiagnostics()).filteredOn(d -> d.getCode().getLeft().equals("NP041"))
                    .singleElement().satisfies(d -> assertThat(d.getRange().getStart()).isEqualTo(new Position(14, 8)));
        }
    }

    /**
     * Waits until the validation that published {@code version} of {@code uri} has published everything: the server
     * asks for a lens refresh after each validation's publishes, so a refresh that arrives after that publish closes
     * it.
     */
    private static void awaitValidationOf(LspHarness h, String uri, int version) throws InterruptedException {
        PublishDiagnosticsParams published = h.client.await(uri, p -> Integer.valueOf(version).equals(p.getVersion()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (h.client) {
            int at = h.client.diagnostics.indexOf(published);
            while (h.client.refreshedAfter.stream().noneMatch(n -> n > at)) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("the validation of version %d finished", version).isPositive();
                h.client.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    @Test
    void hoverOnSelectorsPeersAndThePolicy() throws Exception {
        try (LspHarness h = start()) {
            String u = uri("policy.yaml");
            openAndValidate(h, u, POLICY);
            var tds = h.remote.getTextDocumentService();

            Hover own = hover(tds, u, 6, 4);
            assertThat(own.getRange()).isEqualTo(range(6, 2, 6, 13));
            assertThat(own.getContents().getRight().getValue())
                    .isEqualTo("**podSelector** selects 1 pod: `shop/api` in namespace `shop`");

            Hover peer = hover(tds, u, 13, 8);
            assertThat(peer.getRange()).isEqualTo(range(13, 6, 13, 17));
            assertThat(peer.getContents().getRight().getValue())
                    .isEqualTo("**podSelector** (pods {app=web} in shop) matches 1 pod: `shop/web` (Deployment)");

            Hover ns = hover(tds, u, 16, 10);
            assertThat(ns.getRange()).isEqualTo(range(16, 6, 16, 23));
            assertThat(ns.getContents().getRight().getValue()).isEqualTo("**namespaceSelector** matches 1 namespace: "
                    + "`ops`\n\nThe peer matches 1 pod: `ops/prom`");

            Hover policy = hover(tds, u, 3, 9);
            assertThat(policy.getRange()).isEqualTo(range(3, 8, 3, 14));
            assertThat(policy.getContents().getRight().getValue()).isEqualTo(
                    "**NetworkPolicy shop/api-in** selects 1 pod: `shop/api`\n\n"
                            + "- Ingress: isolated, allows from pods {app=web} in shop or all pods in namespaces "
                            + "{kubernetes.io/metadata.name=ops} on TCP/8080\n"
                            + "- Egress: not isolated (this policy does not restrict it)");
            assertThat(hover(tds, u, 1, 2).getRange()).isEqualTo(range(1, 0, 1, 4));
        }
    }

    @Test
    void codeLensCountsSelectedPodsAndSymbolsListRules() throws Exception {
        try (LspHarness h = start()) {
            String u = uri("policy.yaml");
            openAndValidate(h, u, POLICY);
            var tds = h.remote.getTextDocumentService();
            List<? extends CodeLens> lenses = tds.codeLens(new CodeLensParams(new TextDocumentIdentifier(u)))
                    .get(20, TimeUnit.SECONDS);
            assertThat(lenses).hasSize(1);
            assertThat(lenses.get(0).getRange()).isEqualTo(range(1, 0, 1, 4));
            assertThat(lenses.get(0).getCommand().getTitle()).isEqualTo("selects 1 pod \u00b7 0 unreachable");

            List<DocumentSymbol> symbols = new ArrayList<>();
            tds.documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(u))).get(20, TimeUnit.SECONDS)
                    .forEach(e -> symbols.add(e.getRight()));
            assertThat(symbols).extracting(DocumentSymbol::getName).containsExactly("NetworkPolicy api-in");
            List<DocumentSymbol> rules = symbols.get(0).getChildren();
            assertThat(rules).extracting(DocumentSymbol::getName)
                    .containsExactly("podSelector", "ingress rule 1", "egress rule 1");
            assertThat(rules.get(1).getDetail()).isEqualTo("2 peers, 1 port");
            assertThat(rules.get(1).getSelectionRange()).isEqualTo(range(12, 4, 12, 9));
            assertThat(rules.get(2).getDetail()).isEqualTo("1 peer, all ports");
        }
    }

    @Test
    void completesLabelKeysAndValuesFromTheInventory() throws Exception {
        try (LspHarness h = start()) {
            String u = uri("draft.yaml");
            openAndValidate(h, u, DRAFT);
            var tds = h.remote.getTextDocumentService();
            TextDocumentIdentifier id = new TextDocumentIdentifier(u);

            List<CompletionItem> keys = tds.completion(new CompletionParams(id, new Position(8, 8)))
                    .get(20, TimeUnit.SECONDS).getRight().getItems();
            assertThat(keys).extracting(CompletionItem::getLabel).containsExactly("app", "tier");
            assertThat(keys.get(0).getTextEdit().getLeft()).isEqualTo(new TextEdit(range(8, 6, 8, 8), "app: "));
            assertThat(keys.get(0).getDetail()).isEqualTo("label on 2 pods");
            assertThat(keys.get(1).getDetail()).isEqualTo("label on 1 pod");

            List<CompletionItem> values = tds.completion(new CompletionParams(id, new Position(13, 16)))
                    .get(20, TimeUnit.SECONDS).getRight().getItems();
            assertThat(values).extracting(CompletionItem::getLabel).containsExactly("web");
            assertThat(values.get(0).getTextEdit().getLeft()).isEqualTo(new TextEdit(range(13, 16, 13, 16), "web"));
            assertThat(values.get(0).getDetail()).isEqualTo("1 namespace");
        }
    }

    @Test
    void renameQuickFixComesFromTheRulesFix() throws Exception {
        try (LspHarness h = start()) {
            String u = uri("net.conflist");
            String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", "
                    + "\"hairpinMode\": true, \"isGatewy\": true}]}";
            open(h, u, 1, text);
            PublishDiagnosticsParams p = h.client.await(u, x -> x.getDiagnostics().stream()
                    .anyMatch(d -> "CNI005".equals(d.getCode().getLeft())));
            Diagnostic cni005 = p.getDiagnostics().stream().filter(d -> "CNI005".equals(d.getCode().getLeft()))
                    .findFirst().orElseThrow();
            int at = text.indexOf("\"isGatewy\"");
            assertThat(cni005.getRange()).isEqualTo(range(0, at, 0, at + 10));
            List<CodeAction> a = actions(h.remote.getTextDocumentService(), u, cni005);
            assertThat(a).hasSize(1);
            assertThat(a.get(0).getTitle()).isEqualTo("Rename \"isGatewy\" to \"isGateway\"");
            assertThat(a.get(0).getIsPreferred()).isTrue();
            assertThat(a.get(0).getEdit().getChanges().get(u))
                    .containsExactly(new TextEdit(range(0, at, 0, at + 10), "\"isGateway\""));
            // after an edit the fix of the old version is not offered (its ranges may be wrong now)
            PodnetLanguageServerTest.change(h, u, 2, PodnetLanguageServerTest.edit(range(0, 0, 0, 0), " "));
            h.client.await(u, x -> Integer.valueOf(2).equals(x.getVersion()));
            assertThat(actions(h.remote.getTextDocumentService(), u, cni005)).isEmpty();
        }
    }

    @Test
    void suppressionAndAddEgressQuickFixesOnAPolicy() throws Exception {
        try (LspHarness h = start()) {
            String u = uri("policy.yaml");
            openAndValidate(h, u, POLICY);
            var tds = h.remote.getTextDocumentService();

            Diagnostic any = new Diagnostic(range(8, 6, 8, 9), "some finding on the policy");
            any.setCode("NP010");
            List<CodeAction> sup = actions(tds, u, any);
            assertThat(sup).extracting(CodeAction::getTitle)
                    .containsExactly("Suppress NP010 for this object (annotation ignore-check.podnet.dev/NP010)");
            assertThat(sup.get(0).getEdit().getChanges().get(u)).containsExactly(new TextEdit(range(3, 0, 3, 0),
                    "  annotations:\n    ignore-check.podnet.dev/NP010: \"TODO: why this finding does not apply\"\n"));

            Diagnostic egress = new Diagnostic(range(21, 2, 21, 8),
                    "egress rules have no effect: policyTypes does not list Egress; add Egress to policyTypes");
            egress.setCode("NP020");
            List<CodeAction> eg = actions(tds, u, egress);
            assertThat(eg).extracting(CodeAction::getTitle).containsExactly("Add Egress to policyTypes",
                    "Suppress NP020 for this object (annotation ignore-check.podnet.dev/NP020)");
            assertThat(eg.get(0).getEdit().getChanges().get(u))
                    .containsExactly(new TextEdit(range(11, 0, 11, 0), "  - Egress\n"));
        }
    }
}
