package dev.podnet.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.podnet.dataplane.DataPlaneTable;
import dev.podnet.reach.Endpoint;
import dev.podnet.reach.Explanation;
import dev.podnet.reach.Probe;
import dev.podnet.reach.ReachabilityEngine;
import dev.podnet.reach.Table;
import dev.podnet.reach.TableText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.podnet.lint.LintEngine;
import dev.podnet.inventory.InventoryBuilder;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet simulate}: the truth table of every ordered pair of pods (Pods and workload pod templates, sorted
 * by namespace then name) for each probe, under the NetworkPolicies of the inputs. Formats:
 * <ul>
 *   <li>{@code table}: the conformance {@code expected.txt} format, a {@code [PORT/PROTOCOL]} line per probe then
 *       {@code ns/pod ns/pod allow|deny} for every ordered pair, self pairs included;</li>
 *   <li>{@code summary}: {@code PORT/PROTOCOL allowed=N denied=M} per probe;</li>
 *   <li>{@code json}: {@code {"pods":[...],"probes":[{"probe","allowed","denied","pairs":[{from,to,verdict}]}]}};</li>
 *   <li>{@code dot}: a Graphviz digraph of the allowed (non-self) connections, edges labelled with their probes;</li>
 *   <li>{@code html}: one self-contained page, a coloured matrix per probe with the explanation of each cell as its
 *       tooltip (at most {@value #HTML_MAX_PODS} pods).</li>
 * </ul>
 * Without {@code --probe}, every port/protocol a pod declares is probed, at most {@value #DEFAULT_PROBE_CAP}
 * (the lowest; a note on stderr says when more were declared).
 *
 * <p>With {@code --data-plane} (table and summary formats) the verdicts come from walking packets through the
 * generated ruleset ({@link DataPlaneTable}: one walk per pair of equivalent pod groups and probe). The number of
 * walks is bounded by {@code --max-pairs} (default {@value DataPlaneTable#DEFAULT_MAX_WALKS}, about 10-20 s of CPU
 * on a 2-core machine; see bench/README.md): probes that would exceed it are skipped as a whole, each named on stderr
 * with the walks it needed, the summary prints {@code PORT/PROTOCOL skipped (...)} for it, and the exit code is 1.
 * Progress is shown on stderr (one line, rewritten in place) when stderr is a terminal, or with {@code --progress}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Print which pods may open connections to which, per port/protocol, under the "
                + "NetworkPolicies of the given manifests.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the table was printed",
                "1:--data-plane: the table is incomplete (probes over --max-pairs were skipped, named on stderr)",
                "2:podnet could not run (bad arguments, unreadable path)"})
public class SimulateCommand implements Callable<Integer> {
    /** Default cap on the number of declared probes. */
    public static final int DEFAULT_PROBE_CAP = 16;
    /** Largest number of pods the html format renders. */
    public static final int HTML_MAX_PODS = 150;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Manifest files or directories (Pods, workloads, Namespaces, Services, NetworkPolicies, "
                    + "podnet.yaml).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--probe", paramLabel = "P/PROTO",
            description = "A destination port and protocol, e.g. 80/TCP or 53/UDP (repeatable). Default: every "
                    + "port/protocol a pod declares (at most " + DEFAULT_PROBE_CAP + ").")
    List<String> probes = new ArrayList<>();

    @Option(names = "--data-plane", description = "Compute the table by walking packets through the generated "
            + "iptables/ipset ruleset on each node (netfilter evaluator) instead of the policy semantics; table and "
            + "summary formats.")
    boolean dataPlane;

    @Option(names = "--max-pairs", paramLabel = "N", defaultValue = "" + DataPlaneTable.DEFAULT_MAX_WALKS,
            description = "--data-plane: walk at most N packets in all (one per pair of equivalent pod groups and "
                    + "probe); a probe that would exceed it is skipped and named on stderr, and the exit code is 1. "
                    + "Default: ${DEFAULT-VALUE}.")
    long maxPairs;

    @Option(names = "--progress", negatable = true, paramLabel = "",
            description = "--data-plane: show progress on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, summary, json, dot or html. Default: ${DEFAULT-VALUE}.")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!List.of("table", "summary", "json", "dot", "html").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: expected table, summary, json, dot or html, got '" + format + "'");
        }
        List<Probe> ps = new ArrayList<>();
        for (String p : probes) {
            try {
                Probe parsed = Probe.parse(p);
                if (!ps.contains(parsed)) {
                    ps.add(parsed);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--probe: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReachabilityEngine engine;
        LintEngine.Result read;
        try {
            read = Simulation.read(paths, err);
            engine = new ReachabilityEngine(InventoryBuilder.of(read.workspace()));
        } catch (Inputs.InputException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        }
        if (ps.isEmpty()) {
            ps.addAll(engine.declaredProbes(DEFAULT_PROBE_CAP));
            int all = engine.declaredProbeCount();
            if (all > DEFAULT_PROBE_CAP) {
                err.println("podnet: the pods declare " + all + " port/protocol pairs; probing the lowest "
                        + DEFAULT_PROBE_CAP + " (pass --probe to choose)");
            }
            if (ps.isEmpty()) {
                err.println("podnet: no pod declares a container port; pass --probe PORT/PROTOCOL");
                return PodnetCli.CANNOT_RUN;
            }
        }
        if (format.equals("html") && engine.pods().size() > HTML_MAX_PODS) {
            err.println("podnet: html renders at most " + HTML_MAX_PODS + " pods; the inputs have "
                    + engine.pods().size() + " (use --format summary, table or json)");
            return PodnetCli.CANNOT_RUN;
        }
        if (dataPlane) {
            if (!format.equals("table") && !format.equals("summary")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--data-plane: formats table and summary only");
            }
            if (maxPairs < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-pairs: expected a number >= 0");
            }
            return dataPlane(read, ps, out, err);
        }
        Table t = engine.compute(ps);
        switch (format) {
            case "summary" -> TableText.summary(t, out);
            case "json" -> json(t, out);
            case "dot" -> dot(t, out);
            case "html" -> html(t, out);
            default -> TableText.table(t, out);
        }
        out.flush();
        return PodnetCli.OK;
    }

    private int dataPlane(LintEngine.Result read, List<Probe> ps, PrintWriter out, PrintWriter err) {
        TerminalProgress bar = (progress != null ? progress : TerminalProgress.stderrIsTerminal())
                ? new TerminalProgress(err, "simulate --data-plane") : null;
        if (bar != null) {
            bar.stage("generating and parsing the node rulesets");
        }
        DataPlaneTable t;
        try {
            t = DataPlaneTable.compute(Simulation.dataPlane(read), ps.stream().map(Probe::toString).toList(),
                    maxPairs, bar);
        } finally {
            if (bar != null) {
                bar.done();
            }
        }
        if (format.equals("table")) {
            t.write(out);
        } else {
            for (int p = 0; p < t.probes().size(); p++) {
                long unknown = t.count(p, "unknown");
                out.print(t.probes().get(p) + " allowed=" + t.count(p, "allow") + " denied=" + t.count(p, "deny")
                        + (unknown > 0 ? " unknown=" + unknown : "") + "\n");
            }
            for (DataPlaneTable.Skipped s : t.skipped()) {
                out.print(s.probe() + " skipped (needs " + s.walks() + " packet walks; --max-pairs " + maxPairs
                        + ")\n");
            }
        }
        out.flush();
        for (DataPlaneTable.Skipped s : t.skipped()) {
            err.println("podnet: [" + s.probe() + "] skipped: it needs " + s.walks() + " packet walks ("
                    + t.classCount() + " groups of equivalent pods among " + t.pods().size() + " pods), and "
                    + t.walks() + " of --max-pairs " + maxPairs + " were used; raise --max-pairs or pass fewer "
                    + "--probe");
        }
        return t.skipped().isEmpty() ? PodnetCli.OK : PodnetCli.FINDINGS;
    }

    static void json(Table t, Writer out) {
        try (JsonGenerator g = new JsonFactory().createGenerator(new NonClosing(out))) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("pods");
            for (Endpoint.Pod p : t.pods()) {
                g.writeString(p.label());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("probes");
            int n = t.pods().size();
            for (int p = 0; p < t.probes().size(); p++) {
                g.writeStartObject();
                g.writeStringField("probe", t.probes().get(p).toString());
                g.writeNumberField("allowed", t.allowedCount(p));
                g.writeNumberField("denied", t.deniedCount(p));
                g.writeArrayFieldStart("pairs");
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        g.writeStartObject();
                        g.writeStringField("from", t.pods().get(i).label());
                        g.writeStringField("to", t.pods().get(j).label());
                        g.writeStringField("verdict", t.allowed(p, i, j) ? "allow" : "deny");
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void dot(Table t, PrintWriter out) {
        out.print("digraph podnet {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
        int n = t.pods().size();
        for (Endpoint.Pod p : t.pods()) {
            out.print("  " + quote(p.label()) + ";\n");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                List<String> allowed = new ArrayList<>();
                for (int p = 0; p < t.probes().size(); p++) {
                    if (t.allowed(p, i, j)) {
                        allowed.add(t.probes().get(p).toString());
                    }
                }
                if (!allowed.isEmpty()) {
                    out.print("  " + quote(t.pods().get(i).label()) + " -> " + quote(t.pods().get(j).label())
                            + " [label=" + quote(String.join(",", allowed)) + "];\n");
                }
            }
        }
        out.print("}\n");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void html(Table t, PrintWriter out) {
        int n = t.pods().size();
        out.print("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>podnet simulate</title>\n"
                + "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;margin-bottom:2em}"
                + "th,td{border:1px solid #ccc;padding:2px 4px;font:12px monospace}"
                + "th.col{writing-mode:vertical-rl;transform:rotate(180deg)}"
                + "td.allow{background:#7c7;}td.deny{background:#e66;}td.self{background:#bdb;}"
                + "td:hover{outline:2px solid #000}</style></head><body>\n"
                + "<h1>podnet simulate</h1>\n<p>Rows: source pod; columns: destination pod. Green: a new "
                + "connection is allowed; red: denied. Hover a cell for the explanation.</p>\n");
        for (int p = 0; p < t.probes().size(); p++) {
            out.print("<h2>" + esc(t.probes().get(p).toString()) + " &mdash; allowed " + t.allowedCount(p)
                    + ", denied " + t.deniedCount(p) + "</h2>\n<table><tr><th>from \\ to</th>");
            for (Endpoint.Pod d : t.pods()) {
                out.print("<th class=\"col\">" + esc(d.label()) + "</th>");
            }
            out.print("</tr>\n");
            for (int i = 0; i < n; i++) {
                out.print("<tr><th>" + esc(t.pods().get(i).label()) + "</th>");
                for (int j = 0; j < n; j++) {
                    Explanation e = t.explain(p, i, j);
                    String cls = i == j ? "self" : e.allowed() ? "allow" : "deny";
                    out.print("<td class=\"" + cls + "\" title=\"" + esc(String.join("\n", e.lines())) + "\">"
                            + (e.allowed() ? "&#10003;" : "&#10007;") + "</td>");
                }
                out.print("</tr>\n");
            }
            out.print("</table>\n");
        }
        out.print("</body></html>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Lets the JSON generator write to the command's writer without closing it. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
