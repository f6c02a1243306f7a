package dev.podnet.lsp;

import dev.podnet.lint.LintEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark of issue 7 (not run by default; tag {@code benchmark}): time from {@code didChange} to the
 * {@code publishDiagnostics} of that version, with the debounce taken out (validations run as soon as they are
 * requested), over the lsp4j wire protocol, for a 2,000-line multi-document file of NetworkPolicies and a
 * 100-line file, in a workspace of 500 generated manifests; and the heap in use after the workspace is open.
 *
 * <p>Run: {@code mvn -B -o test -pl rules,server -am -Dpodnet.bench=true -Dtest=LspLatencyBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Figures go to stdout and {@code server/target/bench/lsp-latency.txt}.
 */
@Tag("benchmark")
class LspLatencyBenchmark {
    static final int MANIFESTS = 500;
    static final int EDITS = 40;

    @TempDir
    Path ws;

    /** A NetworkPolicy document of exactly 20 lines. */
    static String policy(int i) {
        return String.join("\n",
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata:",
                "  name: allow-" + i,
                "  namespace: shop",
                "spec:",
                "  podSelector:",
                "    matchLabels:",
                "      app: svc-" + i,
                "  policyTypes: [Ingress, Egress]",
                "  ingress:",
                "    - from:",
                "        - podSelector:",
                "            matchLabels:",
                "              app: client-" + i,
                "      ports:",
                "        - {protocol: TCP, port: 8080}",
                "  egress:",
                "    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]",
                "---") + "\n";
    }

    static String deployment(int i) {
        return String.join("\n",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata:",
                "  name: svc-" + i,
                "  namespace: shop",
                "spec:",
                "  replicas: 2",
                "  selector:",
                "    matchLabels: {app: svc-" + i + "}",
                "  template:",
                "    metadata:",
                "      labels: {app: svc-" + i + ", tier: backend}",
                "    spec:",
                "      containers:",
                "        - name: app",
                "          image: registry.example/svc:" + i,
                "          ports: [{containerPort: 8080}]",
                "---",
                "apiVersion: v1",
                "kind: Service",
                "metadata: {name: svc-" + i + ", namespace: shop}",
                "spec:",
                "  selector: {app: svc-" + i + "}",
                "  ports: [{port: 80, targetPort: 8080}]") + "\n";
    }

    static String policies(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.toString().split("\n", -1).length - 1 < lines; i++) {
            sb.append(policy(i));
        }
        return sb.toString();
    }

    @Test
    void didChangeToPublishDiagnostics() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("podnet.bench"),
                "benchmark: run with -Dpodnet.bench=true");
        for (int i = 0; i < MANIFESTS; i++) {
            Path f = ws.resolve(String.format("apps/svc-%03d.yaml", i));
            Files.createDirectories(f.getParent());
            Files.writeString(f, deployment(i));
        }
        List<String> report = new ArrayList<>();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> cpu = Collections.synchronizedList(new ArrayList<>());
        Scheduler inner = Scheduler.immediate(Executors.newSingleThreadExecutor());
        Scheduler measuring = (task, delay) -> inner.schedule(() -> {
            long c = mx.getCurrentThreadCpuTime();
            task.run();
            cpu.add((mx.getCurrentThreadCpuTime() - c) / 1e6);
        }, delay);
        try (LspHarness h = new LspHarness(LintEngine.standard(), measuring)) {
            InitializeParams p = new InitializeParams();
            p.setCapabilities(new ClientCapabilities());
            p.setWorkspaceFolders(List.of(new WorkspaceFolder(ws.toUri().toString(), "bench")));
            long t0 = System.nanoTime();
            h.remote.initialize(p).get(120, TimeUnit.SECONDS);
            h.remote.initialized(new InitializedParams());
            h.client.await(ws.resolve("apps/svc-499.yaml").toUri().toString(), x -> true);
            report.add(String.format(Locale.ROOT, "workspace: %d manifest files, first full validation %.0f ms; "
                    + "machine load average %.1f on %d cores", MANIFESTS, (System.nanoTime() - t0) / 1e6,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors()));
            for (int lines : new int[] {2000, 100}) {
                String text = policies(lines);
                String uri = ws.resolve("policies-" + lines + ".yaml").toUri().toString();
                h.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                        new TextDocumentItem(uri, "yaml", 1, text)));
                h.client.await(uri, x -> Integer.valueOf(1).equals(x.getVersion()));
                List<Double> ms = new ArrayList<>();
                cpu.clear();
                for (int v = 2; v < 2 + EDITS; v++) {
                    int line = 8 + 20 * ((v * 7) % Math.max(1, lines / 20 - 1)); // an "app: svc-N" line
                    TextDocumentContentChangeEvent c = new TextDocumentContentChangeEvent();
                    c.setRange(new Range(new Position(line, 11), new Position(line, 12)));
                    c.setText(v % 2 == 0 ? "x" : "s");
                    int version = v;
                    long start = System.nanoTime();
                    h.remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                            new VersionedTextDocumentIdentifier(uri, version), List.of(c)));
                    h.client.await(uri, x -> Integer.valueOf(version).equals(x.getVersion()));
                    ms.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(ms);
                List<Double> c;
                synchronized (cpu) {
                    c = new ArrayList<>(cpu);
                }
                Collections.sort(c);
                report.add(String.format(Locale.ROOT, "%4d-line file (%d documents), %d edits: wall median %.1f ms, "
                                + "p90 %.1f ms, max %.1f ms (didChange -> publishDiagnostics, no debounce); "
                                + "validation CPU median %.1f ms, p90 %.1f ms", lines,
                        text.split("\n---\n").length, EDITS, ms.get(ms.size() / 2),
                        ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), c.get(c.size() / 2),
                        c.get((int) (c.size() * 0.9))));
            }
            Runtime rt = Runtime.getRuntime();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            report.add(String.format(Locale.ROOT, "heap in use after opening the workspace: %.1f MiB (max heap %.0f "
                    + "MiB)", (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576.0));
        }
        Path out = Path.of("target/bench/lsp-latency.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }
}
