package dev.podnet.cli;

import dev.podnet.apply.NodeApplier;
import dev.podnet.exec.CommandRunner;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.node.NodeTarget;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet apply PATH... --node URI [--dry-run] [--delete]}: programs the node with the NetworkPolicy ruleset
 * generated from the manifests (see {@link NodeApplier} for the steps, atomicity and rollback).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Program a node with the iptables/ipset whitelist of the NetworkPolicies under PATH "
                + "(only PODNET- chains and sets are touched; --delete removes them).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:applied, unchanged or deleted", "2:could not run, or a step failed (node rolled back)"})
public class ApplyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Manifests: NetworkPolicies, Pods, Namespaces.")
    List<Path> paths = new ArrayList<>();

    @CommandLine.Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--dry-run", description = "Print exactly what would run; change nothing.")
    boolean dryRun;

    @Option(names = "--delete", description = "Remove every chain, jump and set podnet added.")
    boolean delete;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "Program only the pods whose spec.nodeName is NAME (default: the node's name when pods are "
                    + "placed on it, else every pod with an IP; the same choice as podnet plan).")
    String nodeName;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        if (!node.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--node URI is required");
        }
        if (!delete && paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the manifests to apply (or --delete)");
        }
        try {
            NodeTarget t = node.target();
            try (CommandRunner r = node.open()) {
                NodeApplier a = new NodeApplier(r, t.kind().equals("netns") ? t.netns() : "", out, dryRun);
                if (delete) {
                    a.delete();
                    return PodnetCli.OK;
                }
                List<InputFile> inputs = Inputs.collect(paths);
                LintEngine.Result lint = LintEngine.standard().lint(inputs);
                long errors = lint.diagnostics().stream().filter(d -> d.severity() == dev.podnet.diag.Severity.ERROR)
                        .count();
                if (errors > 0) {
                    Formats.text(lint.diagnostics().stream().filter(d -> d.severity()
                            == dev.podnet.diag.Severity.ERROR).toList(), err);
                    err.println("podnet: not applying: " + errors + " error(s) in the manifests");
                    return PodnetCli.CANNOT_RUN;
                }
                Inventory inv = InventoryBuilder.of(lint.workspace());
                String name = nodeName != null ? nodeName
                        : PlanCommand.podsOn(inv, t.defaultName()) ? t.defaultName() : null;
                Ruleset rs = RulesetGenerator.generate(inv, name);
                out.println("programming " + (name == null ? "every pod with an IP" : "the pods on node " + name)
                        + " (" + rs.chains().size() + " chains, " + rs.sets().size() + " sets)");
                a.apply(rs);
                return PodnetCli.OK;
            }
        } catch (NodeOptions.NodeException | Inputs.InputException | NodeApplier.ApplyException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        } finally {
            out.flush();
        }
    }
}
