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
 * With {@code PODNET_BENCH_YLS} set to a yaml-language-server command line (e.g. after
 * {@code npm install yaml-language-server@2.0.0}: {@code node node_modules/yaml-language-server/bin/yaml-language-server
 * --stdio}) the same edits, file and lsp4j client are timed against it in the same run, with a NetworkPolicy
 * JSON schema from a local file ({@link #networkPolicySchema}) associated with {@code *.yaml}. podnet also lints
 * the 500-file workspace on every edit; yaml-language-server validates the one document.
 */
@Tag("benchmark")
class LspLatencyBenchmark {
    static final int MANIFESTS = 500;
    static final int EDITS = 40;
    /**
     * Edits sent (and awaited) before the timed ones, so both servers are measured warm, as they are after the first
     * minutes of typing (the JVM's JIT compilers are still busy during the first edits of a session, V8's too).
     */
    static final int WARMUP_EDITS = Integer.getInteger("podnet.bench.warmup", 100);
    /**
     * yaml-language-server validates a changed document after a fixed delay: {@code validationDelayMs = 200} in
     * out/src/yamlSettings.js of yaml-language-server 2.0.0 (used by validationHandlers.js); override with
     * PODNET_BENCH_YLS_DELAY_MS for another version.
     */
    static final long YLS_DELAY_MS = Long.parseLong(System.getenv().getOrDefault("PODNET_BENCH_YLS_DELAY_MS",
            "200"));

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

    /**
     * Opens a {@code lines}-line policy file, then sends {@link #EDITS} one-character edits, each after the
     * previous one's diagnostics arrived, and times each didChange to the next publishDiagnostics for the file.
     */
    private String measure(String name, org.eclipse.lsp4j.services.LanguageServer remote, LspHarness.Client client,
                           int lines, List<Double> cpu, long debounceMs) throws Exception {
        String text = policies(lines);
        String uri = ws.resolve(name + "-policies-" + lines + ".yaml").toUri().toString();
        remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                new TextDocumentItem(uri, "yaml", 1, text)));
        client.await(uri, x -> true);
        List<Double> ms = new ArrayList<>();
        List<Double> processCpu = new ArrayList<>();
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (cpu != null) {
            cpu.clear();
        }
        for (int v = 2; v < 2 + WARMUP_EDITS + EDITS; v++) {
            int line = 8 + 20 * ((v * 7) % Math.max(1, lines / 20 - 1)); // an "app: svc-N" line
            TextDocumentContentChangeEvent c = new TextDocumentContentChangeEvent();
            c.setRange(new Range(new Position(line, 11), new Position(line, 12)));
            c.setText(v % 2 == 0 ? "x" : "s");
            int before = client.forUri(uri).size();
            if (v == 2 + WARMUP_EDITS && cpu != null) {
                Thread.sleep(100); // the last warm-up validation records its CPU time after publishing
                cpu.clear();
            }
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                    new VersionedTextDocumentIdentifier(uri, v), List.of(c)));
            client.awaitCount(uri, before + 1);
            if (v < 2 + WARMUP_EDITS) {
                continue;
            }
            ms.add((System.nanoTime() - start) / 1e6);
            processCpu.add((os.getProcessCpuTime() - cpu0) / 1e6);
        }
        Collections.sort(processCpu);
        Collections.sort(ms);
        String cpuText = "";
        if (cpu != null) {
            List<Double> cs;
            synchronized (cpu) {
                cs = new ArrayList<>(cpu);
            }
            Collections.sort(cs);
            cpuText = String.format(Locale.ROOT, "; validation CPU median %.1f ms, p90 %.1f ms (the validating thread);"
                    + " CPU of the whole process (server, client, GC, JIT) per edit median %.1f ms",
                    cs.get(cs.size() / 2), cs.get((int) (cs.size() * 0.9)), processCpu.get(processCpu.size() / 2));
        }
        String debounce = debounceMs == 0 ? "no debounce" : String.format(Locale.ROOT,
                "its fixed %d ms debounce included; median minus debounce %.1f ms", debounceMs,
                ms.get(ms.size() / 2) - debounceMs);
        return String.format(Locale.ROOT, "%s: %4d-line file (%d documents), %d edits: wall median %.1f ms, p90 %.1f "
                        + "ms, max %.1f ms (didChange -> publishDiagnostics, %s, after %d warm-up edits)%s", name, lines,
                text.split("\n---\n").length, EDITS, ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)),
                ms.get(ms.size() - 1), debounce, WARMUP_EDITS, cpuText);
    }

    /**
     * A NetworkPolicy JSON schema for yaml-language-server, written to a local file: the fabric8
     * kubernetes-model-networking {@code schema/validation-schema.json} definition of networking/v1 NetworkPolicy
     * with every definition it references.
     */
    private Path networkPolicySchema() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var urls = getClass().getClassLoader().getResources("schema/validation-schema.json");
        while (urls.hasMoreElements()) {
            com.fasterxml.jackson.databind.JsonNode all = json.readTree(urls.nextElement());
            com.fasterxml.jackson.databind.JsonNode defs = all.path("definitions");
            if (defs.has("kubernetes_networking_v1_NetworkPolicy")) {
                var root = json.createObjectNode();
                root.put("$schema", "http://json-schema.org/draft-07/schema#");
                root.put("$ref", "#/definitions/kubernetes_networking_v1_NetworkPolicy");
                root.set("definitions", defs);
                Path f = ws.resolve("networkpolicy.schema.json");
                json.writeValue(f.toFile(), root);
                return f;
            }
        }
        throw new IllegalStateException("fabric8 networking validation schema not on the classpath");
    }

    /** Heap in use after full collections (this JVM runs the server, the client and the test). */
    private static String heap(String what) {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return String.format(Locale.ROOT, "%s: %.1f MiB (max heap %.0f MiB)", what,
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576.0);
    }

    /** The same measurement against yaml-language-server, started with the given command line. */
    private List<String> yamlLanguageServer(String command) throws Exception {
        Path schema = networkPolicySchema();
        Process p = new ProcessBuilder(command.trim().split("\\s+")).redirectError(
                ws.resolve("yls.stderr").toFile()).start();
        try {
            LspHarness.Client client = new LspHarness.Client();
            var launcher = org.eclipse.lsp4j.launch.LSPLauncher.createClientLauncher(client, p.getInputStream(),
                    p.getOutputStream());
            launcher.startListening();
            var remote = launcher.getRemoteProxy();
            InitializeParams ip = new InitializeParams();
            ip.setProcessId((int) ProcessHandle.current().pid());
            ip.setRootUri(ws.toUri().toString());
            ip.setCapabilities(new ClientCapabilities());
            remote.initialize(ip).get(60, TimeUnit.SECONDS);
            remote.initialized(new InitializedParams());
            remote.getWorkspaceService().didChangeConfiguration(new org.eclipse.lsp4j.DidChangeConfigurationParams(
                    com.google.gson.JsonParser.parseString("{\"yaml\": {\"validate\": true, \"schemas\": {"
                            + new com.google.gson.JsonPrimitive(schema.toUri().toString()) + ": \"*.yaml\"}}}")));
            List<String> out = new ArrayList<>();
            for (int lines : new int[] {2000, 100}) {
                out.add(measure("yaml-language-server", remote, client, lines, null, YLS_DELAY_MS));
            }
            remote.shutdown().get(30, TimeUnit.SECONDS);
            remote.exit();
            return out;
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
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
            report.add(heap("heap in use after opening the workspace"));
            for (int lines : new int[] {2000, 100}) {
                report.add(measure("podnet", h.remote, h.client, lines, cpu, 0));
            }
            report.add(heap("heap in use after the timed edits (both files open, results kept for every document)"));
        }
        String yls = System.getenv("PODNET_BENCH_YLS");
        if (yls != null && !yls.isBlank()) {
            report.addAll(yamlLanguageServer(yls));
        } else {
            report.add("yaml-language-server: not measured (set PODNET_BENCH_YLS to its --stdio command line)");
        }
        Path out = Path.of("target/bench/lsp-latency.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }
}
