package dev.podnet.cli;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code podnet lint}: syntax, schema and semantic rules on CNI configs and Kubernetes manifests. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Lint CNI network configs (.conf/.conflist) and Kubernetes manifests (NetworkPolicy ...).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "1:findings at or above --fail-on",
                "2:podnet could not run (bad arguments, unreadable path)"})
public class LintCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories (walked recursively for .conf .conflist .json .yaml .yml).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "Output format: text (file:line:col: severity: message [ID]) or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--fail-on", defaultValue = "error", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding is at least this severe: error, warning, info. Default: ${DEFAULT-VALUE}.")
    String failOn;

    @CommandLine.Mixin
    NodeOptions node = new NodeOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The analyses this command runs; {@code check} adds more. */
    protected List<Diagnostic> analyse(List<InputFile> inputs) {
        return LintEngine.standard().lint(inputs).diagnostics();
    }

    @Override
    public Integer call() {
        Severity threshold;
        try {
            threshold = Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--fail-on: expected error, warning or info, got '" + failOn + "'");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: expected text or json, got '" + format + "'");
        }
        if (paths.isEmpty() && !node.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one PATH (or --node URI)");
        }
        List<InputFile> inputs;
        try {
            inputs = Inputs.collect(paths);
        } catch (Inputs.InputException e) {
            spec.commandLine().getErr().println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        }
        if (node.given()) {
            try {
                boolean hasCni = inputs.stream().anyMatch(f -> Inputs.extension(f.fileName()).startsWith(".conf"));
                inputs = new ArrayList<>(inputs);
                inputs.addAll(node.inputs(!hasCni));
            } catch (NodeOptions.NodeException e) {
                spec.commandLine().getErr().println("podnet: " + e.getMessage());
                return PodnetCli.CANNOT_RUN;
            }
        }
        List<Diagnostic> ds = analyse(inputs);
        if (format.equals("json")) {
            Formats.json(ds, inputs.size(), spec.commandLine().getOut());
        } else {
            Formats.text(ds, spec.commandLine().getOut());
            spec.commandLine().getErr().println(Formats.summaryLine(ds, inputs.size()));
        }
        return ds.stream().anyMatch(d -> d.severity().atLeast(threshold)) ? PodnetCli.FINDINGS : PodnetCli.OK;
    }
}
