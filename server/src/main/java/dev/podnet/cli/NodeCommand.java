package dev.podnet.cli;

import dev.podnet.node.NodeFactsCollector;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code podnet node facts --node URI}: prints the node-facts YAML of a live node. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Inspect a node.",
        subcommands = {NodeCommand.Facts.class})
public class NodeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (facts)");
    }

    /** {@code podnet node facts}. */
    @Command(name = "facts", mixinStandardHelpOptions = true,
            description = "Collect and print the node's facts (interfaces, routes, sysctls, modules, CNI configs and "
                    + "binaries with their supported versions, iptables-save, ipset save) as YAML.")
    public static class Facts implements Callable<Integer> {
        @CommandLine.Mixin
        NodeOptions node = new NodeOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!node.given()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--node URI is required");
            }
            try {
                spec.commandLine().getOut().print(NodeFactsCollector.toYaml(node.collect()));
                spec.commandLine().getOut().flush();
                return PodnetCli.OK;
            } catch (NodeOptions.NodeException e) {
                spec.commandLine().getErr().println("podnet: " + e.getMessage());
                return PodnetCli.CANNOT_RUN;
            }
        }
    }
}
