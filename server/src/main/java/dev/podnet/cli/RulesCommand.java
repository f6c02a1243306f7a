package dev.podnet.cli;

import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code podnet rules}: lists every rule, or explains one with a failing and a fixed example. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List every rule (id, severity, title), or explain one with --explain ID.")
public class RulesCommand implements Callable<Integer> {

    @Option(names = "--explain", paramLabel = "ID", description = "Print the documentation of one rule.")
    String explain;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleRegistry reg = RuleRegistry.get();
        if (explain == null) {
            for (RuleInfo r : reg.all()) {
                out.printf("%-7s %-8s %s%n", r.id(), r.severity().word(), r.title());
            }
            out.flush();
            return PodnetCli.OK;
        }
        Optional<RuleInfo> found = reg.find(explain);
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("podnet: unknown rule '" + explain
                    + "'; 'podnet rules' lists them all");
            return PodnetCli.CANNOT_RUN;
        }
        RuleInfo r = found.get();
        out.printf("%s (%s): %s%n%n", r.id(), r.severity().word(), r.title());
        out.println(r.description());
        out.println();
        out.println("Fix: " + r.fix());
        if (!r.source().isEmpty()) {
            out.println("Source: " + r.source());
        }
        example(out, "Failing example", r.bad());
        example(out, "Fixed example", r.good());
        out.flush();
        return PodnetCli.OK;
    }

    private static void example(PrintWriter out, String heading, Map<String, String> files) {
        if (files.isEmpty()) {
            return;
        }
        out.println();
        out.println(heading + ":");
        files.forEach((name, content) -> {
            out.println("--- " + name);
            content.lines().forEach(l -> out.println("    " + l));
        });
    }
}
