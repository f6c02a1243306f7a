package dev.podnet.lsp;

import static dev.podnet.lsp.PodnetLanguageServerTest.init;
import static dev.podnet.lsp.PodnetLanguageServerTest.open;
import static dev.podnet.lsp.PodnetLanguageServerTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.LintEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NetworkPolicy quick fixes (NP050 merge peers, NP047 DNS egress rule, NP048 TCP 53, NP054 targetPort) and the
 * "selects N pods · M unreachable" code lens through the real server over pipes: didOpen, wait for the
 * diagnostics, ask for code actions for the rule's diagnostic, assert the exact WorkspaceEdit, then send the fixed
 * text and check that the finding is gone.
 */
class PolicyFixesProtocolTest {
    /** A web pod serving 8080, a db pod serving 5432, the DNS pods (assumed labels), a Service 80 -> 8080. */
    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: shop, labels: {app: web}}
            spec: {containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]}
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db-0, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
            status: {podIP: 10.244.1.11}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns-0, namespace: kube-system, labels: {k8s-app: kube-dns}}
            spec:
              containers:
              - name: coredns
                image: coredns
                ports:
                - {name: dns, containerPort: 53, protocol: UDP}
                - {name: dns-tcp, containerPort: 53, protocol: TCP}
            status: {podIP: 10.244.0.5}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports:
              - {port: 80, targetPort: 8080}
            """;

    @TempDir
    Path ws;

    private LspHarness start() throws Exception {
        return start(null);
    }

    private LspHarness start(org.eclipse.lsp4j.ClientCapabilities caps) throws Exception {
        Files.writeString(ws.resolve("podnet.yaml"), "cluster: {podCIDR: 10.244.0.0/16, policyEnforcement: calico}\n");
        Files.writeString(ws.resolve("cluster.yaml"), CLUSTER);
        LspHarness h = LspHarness.immediate(LintEngine.standard());
        init(h, ws, null, caps);
        return h;
    }

    private String uri(String rel) {
        return ws.resolve(rel).toUri().toString();
    }

    /** Opens {@code text} as version 1 and returns the published diagnostic of {@code rule}. */
    private static Diagnostic openAndFind(LspHarness h, String uri, String text, String rule) throws Exception {
        open(h, uri, 1, text);
        PublishDiagnosticsParams p = h.client.await(uri, x -> Integer.valueOf(1).equals(x.getVersion()));
        List<Diagnostic> found = p.getDiagnostics().stream().filter(d -> rule.equals(d.getCode().getLeft())).toList();
        assertThat(found).as(rule + " in " + p.getDiagnostics()).hasSize(1);
        return found.get(0);
    }

    private static List<CodeAction> actions(LspHarness h, String uri, Diagnostic d) throws Exception {
        List<CodeAction> out = new ArrayList<>();
        h.remote.getTextDocumentService().codeAction(new CodeActionParams(new TextDocumentIdentifier(uri),
                d.getRange(), new CodeActionContext(List.of(d)))).get(20, TimeUnit.SECONDS)
                .forEach(e -> out.add(e.getRight()));
        return out;
    }

    /** The edits applied to the text (LSP: non-overlapping, ranges in the original text). */
    static String apply(String text, List<TextEdit> edits) {
        dev.podnet.source.SourceText src = new dev.podnet.source.SourceText("x", text);
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt((TextEdit e) -> src.offset(e.getRange().getStart().getLine(),
                e.getRange().getStart().getCharacter())).reversed());
        StringBuilder b = new StringBuilder(text);
        for (TextEdit e : sorted) {
            b.replace(src.offset(e.getRange().getStart().getLine(), e.getRange().getStart().getCharacter()),
                    src.offset(e.getRange().getEnd().getLine(), e.getRange().getEnd().getCharacter()), e.getNewText());
        }
        return b.toString();
    }

    /**
     * Asks for the code actions of the rule's diagnostic, checks that the rule's fix comes first (preferred,
     * with {@code title}) and the suppression second, and returns the fix's edits for this document.
     */
    private List<TextEdit> fixEdits(LspHarness h, String uri, Diagnostic d, String rule, String title)
            throws Exception {
        List<CodeAction> a = actions(h, uri, d);
        assertThat(a).extracting(CodeAction::getTitle).containsExactly(title,
                "Suppress " + rule + " for this object (annotation ignore-check.podnet.dev/" + rule + ")");
        assertThat(a.get(0).getIsPreferred()).isTrue();
        assertThat(a.get(0).getKind()).isEqualTo("quickfix");
        assertThat(a.get(0).getDiagnostics()).containsExactly(d);
        assertThat(a.get(0).getEdit().getChanges().keySet()).containsExactly(uri);
        return a.get(0).getEdit().getChanges().get(uri);
    }

    /** Sends the fixed text as version 2 and asserts the rule no longer fires on the document. */
    private static void sendAndExpectGone(LspHarness h, String uri, String fixed, String rule) throws Exception {
        TextDocumentContentChangeEvent whole = new TextDocumentContentChangeEvent(fixed);
        PodnetLanguageServerTest.change(h, uri, 2, whole);
        PublishDiagnosticsParams p = h.client.await(uri, x -> Integer.valueOf(2).equals(x.getVersion()));
        assertThat(p.getDiagnostics()).extracting(d -> d.getCode().getLeft()).doesNotContain(rule)
                .noneMatch(c -> c.startsWith("SYN"));
    }

    @Test
    void np050MergesTheOredPeersIntoOneAndPeer() throws Exception {
        String policy = String.join("\n",
                "apiVersion: networking.k8s.io/v1", //                  0
                "kind: NetworkPolicy", //                               1
                "metadata:", //                                         2
                "  name: web-dns", //                                   3
                "  namespace: shop", //                                 4
                "spec:", //                                             5
                "  podSelector:", //                                    6
                "    matchLabels:", //                                  7
                "      app: web", //                                    8
                "  policyTypes:", //                                    9
                "  - Egress", //                                        10
                "  egress:", //                                         11
                "  - to:", //                                           12
                "    - namespaceSelector:", //                          13
                "        matchLabels:", //                              14
                "          kubernetes.io/metadata.name: kube-system", // 15
                "    - podSelector:", //                                16
                "        matchLabels:", //                              17
                "          k8s-app: kube-dns", //                       18
                "    ports:", //                                        19
                "    - protocol: UDP", //                               20
                "      port: 53", //                                    21
                "    - protocol: TCP", //                               22
                "      port: 53", //                                    23
                "");
        try (LspHarness h = start()) {
            String u = uri("web-dns.yaml");
            Diagnostic d = openAndFind(h, u, policy, "NP050");
            assertThat(d.getRange().getStart().getLine()).isEqualTo(16);
            List<TextEdit> edits = fixEdits(h, u, d, "NP050",
                    "Merge into one peer (namespaceSelector AND podSelector)");
            assertThat(edits).containsExactly(
                    new TextEdit(range(15, 50, 15, 50),
                            "\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns"),
                    new TextEdit(range(16, 0, 19, 0), ""));
            String fixed = apply(policy, edits);
            assertThat(fixed).contains(String.join("\n",
                    "  - to:",
                    "    - namespaceSelector:",
                    "        matchLabels:",
                    "          kubernetes.io/metadata.name: kube-system",
                    "      podSelector:",
                    "        matchLabels:",
                    "          k8s-app: kube-dns",
                    "    ports:",
                    ""));
            sendAndExpectGone(h, u, fixed, "NP050");
        }
    }

    @Test
    void np047AddsADnsEgressRule() throws Exception {
        String policy = String.join("\n",
                "apiVersion: networking.k8s.io/v1", // 0
                "kind: NetworkPolicy", //              1
                "metadata:", //                        2
                "  name: deny-egress", //              3
                "  namespace: shop", //                4
                "spec:", //                            5
                "  podSelector: {}", //                6
                "  policyTypes:", //                   7
                "  - Egress", //                       8
                "");
        try (LspHarness h = start()) {
            String u = uri("deny-egress.yaml");
            Diagnostic d = openAndFind(h, u, policy, "NP047");
            assertThat(d.getRange()).isEqualTo(range(8, 4, 8, 10));
            List<TextEdit> edits = fixEdits(h, u, d, "NP047", "Allow DNS egress to kube-system (UDP and TCP 53)");
            assertThat(edits).containsExactly(new TextEdit(range(6, 0, 6, 0), String.join("\n",
                    "  egress:",
                    "  - to:",
                    "    - namespaceSelector:",
                    "        matchLabels:",
                    "          kubernetes.io/metadata.name: kube-system",
                    "      podSelector:",
                    "        matchLabels:",
                    "          k8s-app: kube-dns",
                    "    ports:",
                    "    - protocol: UDP",
                    "      port: 53",
                    "    - protocol: TCP",
                    "      port: 53",
                    "")));
            sendAndExpectGone(h, u, apply(policy, edits), "NP047");
        }
    }

    @Test
    void np048AddsTcp53NextToUdp53() throws Exception {
        String policy = String.join("\n",
                "apiVersion: networking.k8s.io/v1", //                  0
                "kind: NetworkPolicy", //                               1
                "metadata:", //                                         2
                "  name: web-dns", //                                   3
                "  namespace: shop", //                                 4
                "spec:", //                                             5
                "  podSelector:", //                                    6
                "    matchLabels:", //                                  7
                "      app: web", //                                    8
                "  policyTypes:", //                                    9
                "  - Egress", //                                        10
                "  egress:", //                                         11
                "  - to:", //                                           12
                "    - namespaceSelector:", //                          13
                "        matchLabels:", //                              14
                "          kubernetes.io/metadata.name: kube-system", // 15
                "      podSelector:", //                                16
                "        matchLabels:", //                              17
                "          k8s-app: kube-dns", //                       18
                "    ports:", //                                        19
                "    - protocol: UDP", //                               20
                "      port: 53", //                                    21
                "");
        try (LspHarness h = start()) {
            String u = uri("web-dns.yaml");
            Diagnostic d = openAndFind(h, u, policy, "NP048");
            assertThat(d.getRange().getStart()).isEqualTo(range(20, 6, 20, 6).getStart());
            List<TextEdit> edits = fixEdits(h, u, d, "NP048", "Add a TCP 53 port entry");
            assertThat(edits).containsExactly(new TextEdit(range(22, 0, 22, 0),
                    "    - protocol: TCP\n      port: 53\n"));
            sendAndExpectGone(h, u, apply(policy, edits), "NP048");
        }
    }

    @Test
    void np054ReplacesTheServicePortByTheTargetPort() throws Exception {
        String policy = String.join("\n",
                "apiVersion: networking.k8s.io/v1", // 0
                "kind: NetworkPolicy", //              1
                "metadata:", //                        2
                "  name: web-in", //                   3
                "  namespace: shop", //                4
                "spec:", //                            5
                "  podSelector:", //                   6
                "    matchLabels:", //                 7
                "      app: web", //                   8
                "  policyTypes:", //                   9
                "  - Ingress", //                      10
                "  ingress:", //                       11
                "  - ports:", //                       12
                "    - port: 80", //                   13
                "");
        try (LspHarness h = start()) {
            String u = uri("web-in.yaml");
            Diagnostic d = openAndFind(h, u, policy, "NP054");
            assertThat(d.getRange()).isEqualTo(range(13, 12, 13, 14));
            List<TextEdit> edits = fixEdits(h, u, d, "NP054",
                    "Use the pod port 8080 (the Service's targetPort) instead of 80");
            assertThat(edits).containsExactly(new TextEdit(range(13, 12, 13, 14), "8080"));
            sendAndExpectGone(h, u, apply(policy, edits), "NP054");
        }
    }

    @Test
    void codeLensCountsUnreachableSelectedPods() throws Exception {
        String policies = String.join("\n",
                "apiVersion: networking.k8s.io/v1", //  0
                "kind: NetworkPolicy", //               1
                "metadata: {name: shop-8080, namespace: shop}", // 2
                "spec:", //                             3
                "  podSelector: {}", //                 4
                "  policyTypes: [Ingress]", //          5
                "  ingress:", //                        6
                "  - from: [{podSelector: {}}]", //     7
                "    ports: [{port: 8080}]", //         8
                "---", //                               9
                "apiVersion: networking.k8s.io/v1", //  10
                "kind: NetworkPolicy", //               11
                "metadata: {name: web, namespace: shop}", // 12
                "spec:", //                             13
                "  podSelector: {matchLabels: {app: web}}", // 14
                "  policyTypes: [Ingress]", //          15
                "");
        org.eclipse.lsp4j.ClientCapabilities caps = new org.eclipse.lsp4j.ClientCapabilities();
        org.eclipse.lsp4j.WindowClientCapabilities window = new org.eclipse.lsp4j.WindowClientCapabilities();
        window.setShowDocument(new org.eclipse.lsp4j.ShowDocumentCapabilities(true));
        caps.setWindow(window);
        org.eclipse.lsp4j.WorkspaceClientCapabilities wcaps = new org.eclipse.lsp4j.WorkspaceClientCapabilities();
        wcaps.setCodeLens(new org.eclipse.lsp4j.CodeLensWorkspaceCapabilities(true));
        caps.setWorkspace(wcaps);
        try (LspHarness h = start(caps)) {
            String u = uri("shop.yaml");
            Diagnostic rch001 = openAndFind(h, u, policies, "RCH001");
            assertThat(rch001.getMessage()).contains("shop/db-0");
            List<? extends CodeLens> lenses = h.remote.getTextDocumentService()
                    .codeLens(new CodeLensParams(new TextDocumentIdentifier(u))).get(20, TimeUnit.SECONDS);
            assertThat(lenses).extracting(l -> l.getRange()).containsExactly(range(1, 0, 1, 4), range(11, 0, 11, 4));
            // shop-8080 selects web-0 and db-0 (kube-system's DNS pod is elsewhere); only db-0 is unreachable:
            // nothing may reach it on 5432. web-0 is reachable from db-0 on 8080 through shop-8080.
            assertThat(lenses).extracting(l -> l.getCommand().getTitle())
                    .containsExactly("selects 2 pods \u00b7 1 unreachable", "selects 1 pod \u00b7 0 unreachable");

            // Clicking the first lens: the server lists the pods (unreachable first) and reveals db-0's manifest.
            org.eclipse.lsp4j.Command cmd = lenses.get(0).getCommand();
            assertThat(cmd.getCommand()).isEqualTo("podnet.showPods");
            Object answer = h.remote.getWorkspaceService().executeCommand(new org.eclipse.lsp4j.ExecuteCommandParams(
                    cmd.getCommand(), cmd.getArguments())).get(20, TimeUnit.SECONDS);
            String message = "NetworkPolicy shop/shop-8080 selects 2 pods (1 unreachable): Pod shop/db-0 "
                    + "(unreachable), Pod shop/web-0";
            assertThat(answer).hasToString(message);
            synchronized (h.client) {
                assertThat(h.client.logs).extracting(org.eclipse.lsp4j.MessageParams::getMessage).contains(message);
                assertThat(h.client.shown).hasSize(1);
                assertThat(h.client.shown.get(0).getUri()).isEqualTo(uri("cluster.yaml"));
                assertThat(h.client.shown.get(0).getSelection()).isEqualTo(range(12, 11, 12, 15));
                assertThat(h.client.shown.get(0).getTakeFocus()).isTrue();
            }

            // Another file changes: db-0 now serves 8080 (which shop-8080 allows). The server validates, asks the
            // client to refresh its lenses, and the lens of the unchanged policy document counts 0 unreachable.
            int refreshes;
            synchronized (h.client) {
                refreshes = h.client.lensRefreshes;
                assertThat(refreshes).as("a refresh after each validation").isPositive();
            }
            String c = uri("cluster.yaml");
            open(h, c, 1, CLUSTER.replace("containerPort: 5432", "containerPort: 8080"));
            h.client.await(c, x -> Integer.valueOf(1).equals(x.getVersion()));
            synchronized (h.client) {
                long deadline = System.nanoTime() + LspHarness.WAIT.toNanos();
                while (h.client.lensRefreshes == refreshes && System.nanoTime() < deadline) {
                    h.client.wait(100);
                }
                assertThat(h.client.lensRefreshes).isGreaterThan(refreshes);
            }
            assertThat(h.remote.getTextDocumentService().codeLens(new CodeLensParams(new TextDocumentIdentifier(u)))
                    .get(20, TimeUnit.SECONDS)).extracting(l -> l.getCommand().getTitle())
                    .containsExactly("selects 2 pods \u00b7 0 unreachable", "selects 1 pod \u00b7 0 unreachable");
        }
    }
}
