package dev.podnet.cli;

import dev.podnet.reach.Connectivity;
import dev.podnet.reach.Probe;
import dev.podnet.reach.ReachabilityEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet explain}: the verdict for one connection and why: which policies isolate the source for egress
 * and the destination for ingress, and which rule (policy, direction, index, file:line:column) allowed it, or
 * that no rule did. {@code --from}/{@code --to} take {@code ns/pod}, {@code svc:ns/name} (destination port =
 * Service port, translated to each backend's targetPort), an IP address, or a CIDR; with several pods on one
 * side every pair is explained and the verdict is {@code allow}, {@code deny} or {@code partial}.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain whether the NetworkPolicies allow a new connection, and why.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the verdict was printed", "2:podnet could not run (bad arguments, unknown pod, "
                + "unreadable path)"})
public class ExplainCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Manifest files or directories.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--from", required = true, paramLabel = "SOURCE",
            description = "ns/pod, svc:ns/name, an IP address or a CIDR.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DEST",
            description = "ns/pod, svc:ns/name, an IP address or a CIDR.")
    String to;

    @Option(names = "--port", required = true, paramLabel = "P/PROTO", description = "e.g. 8080/TCP or 53/UDP.")
    String port;

    @Option(names = "--trace", description = "Also walk the connection through the generated iptables/ipset "
            + "ruleset of the nodes and print every netfilter rule that matched (table, chain, rule number, text).")
    boolean trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Probe probe;
        try {
            probe = Probe.parse(port);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReachabilityEngine engine;
        dev.podnet.lint.LintEngine.Result read;
        try {
            read = Simulation.read(paths, err);
            engine = new ReachabilityEngine(dev.podnet.inventory.InventoryBuilder.of(read.workspace()));
        } catch (Inputs.InputException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        }
        Connectivity conn = new Connectivity(engine);
        Connectivity.Outcome o;
        try {
            o = conn.evaluate(conn.resolve(from), conn.resolve(to), probe);
        } catch (Connectivity.UnknownTargetException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        }
        // One pair between the endpoints asked for: its explanation starts with this same line, so print it once.
        String header = from + " -> " + to + " " + probe + ": " + o.verdict();
        if (o.pairs().size() != 1 || o.pairs().get(0).explanation() == null
                || !o.pairs().get(0).explanation().lines().stream().findFirst().orElse("").equals(header)) {
            out.println(header);
        }
        if (o.pairs().size() > 1) {
            out.println("(" + o.withVerdict(true).size() + " of " + o.pairs().size() + " pairs allowed)");
        }
        for (Connectivity.Pair p : o.pairs()) {
            if (p.explanation() == null) {
                out.println(p.problem());
            } else {
                p.explanation().lines().forEach(out::println);
            }
        }
        if (trace) {
            dev.podnet.dataplane.DataPlaneSimulator sim = Simulation.dataPlane(read);
            var r = sim.connect(new dev.podnet.dataplane.DataPlaneSimulator.Connection(from, to, probe.port(),
                    probe.protocol()));
            out.println();
            out.println("data plane: " + r.verdict() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
            r.trace().lines().forEach(l -> out.println("  " + l));
        }
        out.flush();
        return PodnetCli.OK;
    }
}
