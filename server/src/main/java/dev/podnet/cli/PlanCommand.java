package dev.podnet.cli;

import dev.podnet.cni.CniConfig;
import dev.podnet.dataplane.DataPlaneSimulator;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.ipam.IpamStore;
import dev.podnet.dataplane.netns.NetnsPlan;
import dev.podnet.dataplane.netns.NetnsPlanner;
import dev.podnet.dataplane.netns.PodRef;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.Workspace;
import dev.podnet.node.NodeFacts;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet plan PATH... [--node URI] [--node-name NAME] [--output-dir DIR]}: prints what a node would do with
 * the inputs, changing nothing: the netns plan of each pod of the node ({@link NetnsPlanner} steps of the first CNI
 * config among the inputs, in file-name order, as commands; pods with {@code status.podIP} request that address,
 * workload templates get one from host-local IPAM) and the ruleset {@link RulesetGenerator} generates for the
 * node's pods. With {@code --output-dir}: {@code DIR/iptables.rules} (input for {@code iptables-restore --noflush}:
 * podnet's chains and the entry jumps, which are inserted again on each load), {@code DIR/ipset.rules} (input for
 * {@code ipset restore}) and {@code DIR/netns.sh} (the netns plan as commands, headed as a plan).
 *
 * <p>The node: its facts ({@code --node snapshot:FILE}, a live node, or a node-facts document among PATH) give its
 * interfaces, sysctls and routes; without facts, the built-in healthy node of {@link DataPlaneSimulator}. The node's
 * pods: those whose {@code spec.nodeName} is the node name ({@code --node-name}, else the facts' name); every pod
 * when neither is known.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the netns plan (CNI steps per pod, as commands) and the iptables/ipset ruleset for a "
                + "node; with --output-dir write iptables.rules, ipset.rules and netns.sh. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:plan printed (a pod whose CNI ADD would fail is shown with the plugin's error)",
            "2:could not run (unreadable input, unreachable node, unwritable output dir)"})
public class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Manifests (Pods, workloads, Namespaces, NetworkPolicies, Services), CNI configs, "
                    + "node facts.")
    List<Path> paths = new ArrayList<>();

    @CommandLine.Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "Plan the pods whose spec.nodeName is NAME (default: the node facts' name, else every pod).")
    String nodeName;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Also write DIR/iptables.rules, DIR/ipset.rules and DIR/netns.sh.")
    Path outputDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the command computed. */
    record Plan(String node, List<NetnsPlan> netns, Ruleset ruleset, String note) {
        String netnsScript() {
            StringBuilder b = new StringBuilder("#!/bin/sh\n# podnet plan for node ").append(node)
                    .append(": the network namespace setup the CNI plugins would perform for each pod.\n")
                    .append("# This is a PLAN computed by podnet, not a script it ran; review before running it.\n");
            if (!note.isEmpty()) {
                b.append("# ").append(note).append('\n');
            }
            for (NetnsPlan p : netns) {
                b.append('\n').append(p.script());
                if (p.failed()) {
                    b.append("# the ADD stops here: the plugin fails\n");
                }
            }
            return b.toString();
        }
    }

    /** Computes the plan for the inputs (pure apart from the inputs already read). */
    static Plan plan(List<InputFile> inputs, String nodeName) {
        Workspace ws = new LintEngine(List.of()).lint(inputs).workspace();
        Inventory inv = InventoryBuilder.of(ws);
        List<NodeFacts> facts = ws.docs(DocKind.NODE_FACTS).map(d -> new NodeFacts(d.doc())).toList();
        String name = nodeName != null ? nodeName
                : facts.isEmpty() ? null : podsOn(inv, facts.get(0).name()) ? facts.get(0).name() : null;
        NodeFacts f = facts.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElse(facts.isEmpty() ? null : facts.get(0));
        NodeNetwork base = f != null ? DataPlaneSimulator.networkOf(f)
                : DataPlaneSimulator.healthyBase(name == null ? "node" : name, 0);
        List<CniConfig> configs = new ArrayList<>(CniConfig.from(ws));
        configs.sort(Comparator.comparing(c -> Path.of(c.path()).getFileName().toString()));
        List<NetnsPlan> plans = new ArrayList<>();
        String note = "";
        if (configs.isEmpty()) {
            note = "no CNI config among the inputs: no netns plan";
        } else {
            NetnsPlanner planner = new NetnsPlanner(base, new IpamStore());
            CniConfig config = configs.get(0);
            List<PodInfo> pods = new ArrayList<>();
            for (PodInfo p : inv.pods()) {
                if (!p.hostNetwork() && (name == null || name.equals(p.nodeName()))) {
                    pods.add(p);
                }
            }
            for (PodInfo w : inv.workloads()) {
                if (!w.hostNetwork()) {
                    pods.add(w);
                }
            }
            for (PodInfo p : pods) {
                PodRef ref = PodRef.of(p.namespace(), p.name());
                String ip = p.ips().stream().filter(s -> s.contains(".")).findFirst().orElse(null);
                plans.add(planner.plan(ip == null ? ref : ref.withRequestedIp(ip), config));
            }
            note = "network " + config.name() + " from " + config.path();
        }
        return new Plan(name == null ? "node" : name, plans, RulesetGenerator.generate(inv, name), note);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (paths.isEmpty() && !node.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one PATH (or --node URI)");
        }
        try {
            List<InputFile> inputs = new ArrayList<>(Inputs.collect(paths));
            if (node.given()) {
                boolean hasCni = inputs.stream().anyMatch(x -> Inputs.extension(x.fileName()).startsWith(".conf"));
                inputs.addAll(node.inputs(!hasCni));
            }
            Plan p = plan(inputs, nodeName);
            out.print(p.netnsScript());
            out.println();
            out.println("# ruleset for node " + p.node() + ": iptables-restore --noflush input ("
                    + p.ruleset().ruleCount() + " rules in " + p.ruleset().chains().size() + " chains)");
            out.print(p.ruleset().filterRulesWithJumps());
            out.println("# ipset restore input (" + p.ruleset().sets().size() + " sets)");
            out.print(p.ruleset().ipsetRules());
            if (outputDir != null) {
                Files.createDirectories(outputDir);
                Files.writeString(outputDir.resolve("iptables.rules"), p.ruleset().filterRulesWithJumps(),
                        StandardCharsets.UTF_8);
                Files.writeString(outputDir.resolve("ipset.rules"), p.ruleset().ipsetRules(), StandardCharsets.UTF_8);
                Files.writeString(outputDir.resolve("netns.sh"), p.netnsScript(), StandardCharsets.UTF_8);
                err.println("podnet: wrote " + outputDir.resolve("iptables.rules") + ", "
                        + outputDir.resolve("ipset.rules") + ", " + outputDir.resolve("netns.sh"));
            }
            return PodnetCli.OK;
        } catch (Inputs.InputException | NodeOptions.NodeException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        } catch (IOException e) {
            err.println("podnet: cannot write to '" + outputDir + "': " + Inputs.reason(e));
            return PodnetCli.CANNOT_RUN;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * True when some pod of the inventory has {@code spec.nodeName} equal to {@code node}. {@code plan} and
     * {@code apply} program the pods of the named node when the manifests place pods on it, else every pod with
     * an IP (manifests often carry no nodeName), so both select the same pods.
     */
    static boolean podsOn(Inventory inv, String node) {
        return node != null && inv.pods().stream().anyMatch(p -> node.equals(p.nodeName()));
    }
}
