package dev.podnet.cli;

import dev.podnet.config.ProjectConfig;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.lint.PhaseTimes;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet lint}: syntax, schema and semantic rules on CNI configs and Kubernetes manifests.
 *
 * <p>Output: {@code --format} may be given several times, each paired with the {@code --output} at the same
 * position (kube-linter's convention); a format without an output file goes to standard output, and at most one
 * may. Project file: {@code --config FILE}, else the first {@code podnet.yaml} or {@code .podnet.yaml} found
 * from the first path upwards (see {@link ProjectConfig#find}); its rule settings, include/exclude globs, exemptions
 * and cluster facts apply, and the file itself is checked too (syntax and CFG rules), whatever its name.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Lint CNI network configs (.conf/.conflist) and Kubernetes manifests (NetworkPolicy ...).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "1:findings at or above --fail-on",
                "2:podnet could not run (bad arguments, unreadable path or project file, unwritable output)"})
public class LintCommand implements Callable<Integer> {
    /** The output formats. */
    public static final List<String> FORMATS = List.of("text", "json", "sarif", "junit", "checkstyle");

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories (walked recursively for .conf .conflist .json .yaml .yml); - reads "
                    + "standard input.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: text (file:line:col: severity: message [ID]), json, sarif (SARIF 2.1.0), "
                    + "junit (JUnit XML) or checkstyle (Checkstyle XML). Repeatable; the n-th --format goes to the "
                    + "n-th --output. Default: text.")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the format at the same position to FILE instead of standard output. Repeatable.")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--fail-on", defaultValue = "error", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding is at least this severe: error, warning, info. Default: ${DEFAULT-VALUE}.")
    String failOn;

    @CommandLine.Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Project file to use instead of the podnet.yaml or .podnet.yaml found from the first PATH "
                    + "upwards.")
    Path config;

    @Option(names = "--no-config", description = "Use no project file, even if one is found.")
    boolean noConfig;

    @Option(names = "--sarif-root", paramLabel = "DIR",
            description = "Directory SARIF artifact URIs are relative to (the repository root). Default: the "
                    + "current directory.")
    Path sarifRoot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The analyses this command runs; {@code check} adds more. */
    protected List<Diagnostic> analyse(List<InputFile> inputs, LintOptions options) {
        return LintEngine.standard().lint(inputs, options).diagnostics();
    }

    @Override
    public Integer call() {
        Severity threshold = threshold();
        List<String> fmts = formats.isEmpty() ? List.of("text") : formats;
        for (String f : fmts) {
            if (!FORMATS.contains(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected one of "
                        + String.join(", ", FORMATS) + ", got '" + f + "'");
            }
        }
        if (outputs.size() > fmts.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "more --output (" + outputs.size()
                    + ") than --format (" + fmts.size() + "): the n-th --output is the file of the n-th --format");
        }
        if (paths.isEmpty() && !node.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one PATH (or --node URI)");
        }
        if (fmts.size() - outputs.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only one --format can write to standard "
                    + "output; give an --output for each of the others");
        }
        PrintWriter err = spec.commandLine().getErr();
        PhaseTimes.mark("command parsed");
        Optional<Path> projectFile = Optional.empty();
        ProjectConfig.Loaded loaded = null;
        try {
            projectFile = noConfig ? Optional.empty()
                    : config != null ? Optional.of(existing(config)) : paths.isEmpty() ? Optional.empty()
                    : ProjectConfig.find(paths.get(0));
            if (projectFile.isPresent()) {
                loaded = ProjectConfig.load(projectFile.get(), display(projectFile.get()));
            }
        } catch (ProjectConfig.TwoProjectFiles e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        } catch (IOException e) {
            err.println("podnet: cannot read project file '" + projectFile.map(Path::toString)
                    .orElse(String.valueOf(config)) + "': " + Inputs.reason(e));
            return PodnetCli.CANNOT_RUN;
        }
        ProjectConfig project = loaded == null ? ProjectConfig.EMPTY : loaded.config();
        PhaseTimes.mark("project file read");
        List<InputFile> inputs;
        try {
            inputs = select(Inputs.collect(paths), project, projectFile);
        } catch (Inputs.InputException e) {
            err.println("podnet: " + e.getMessage());
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
        List<Diagnostic> ds = new ArrayList<>();
        List<InputFile> read = new ArrayList<>();
        if (loaded != null) {
            ds.addAll(loaded.configuredDiagnostics());
            read.add(loaded.input());
        }
        // The project file's cluster facts (DNS Service, pod CIDR, enforcement...) apply to the inputs' inventory.
        ds.addAll(analyse(inputs, project.lintOptions(() -> false)
                .withProjectCluster(loaded == null ? null : loaded.cluster() != null ? loaded.cluster()
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
        read.addAll(inputs);
        ds = project.applyExemptions(ds, Path::of);
        Report report = new Report(ds, read, threshold,
                sarifRoot == null ? Path.of("").toAbsolutePath() : sarifRoot.toAbsolutePath());
        for (int i = 0; i < fmts.size(); i++) {
            Path out = i < outputs.size() ? outputs.get(i) : null;
            try {
                write(fmts.get(i), report, out);
            } catch (IOException e) {
                err.println("podnet: cannot write " + fmts.get(i) + " output to '" + out + "': " + Inputs.reason(e));
                return PodnetCli.CANNOT_RUN;
            }
        }
        if (fmts.contains("text")) {
            err.println(Formats.summaryLine(ds, read.size()));
        }
        PhaseTimes.mark("written");
        err.flush();
        return ds.stream().anyMatch(d -> d.severity().atLeast(threshold)) ? PodnetCli.FINDINGS : PodnetCli.OK;
    }

    private Severity threshold() {
        try {
            Severity s = Severity.parse(failOn);
            if (s != Severity.HINT) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "--fail-on: expected error, warning or info, got '" + failOn + "'");
    }

    private static Path existing(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new java.nio.file.NoSuchFileException(p.toString());
        }
        return p.toAbsolutePath().normalize();
    }

    /**
     * Applies the project file's include/exclude globs and leaves out the project file itself (it is read and
     * checked on its own, so it is reported once whatever its name).
     */
    private static List<InputFile> select(List<InputFile> all, ProjectConfig project, Optional<Path> projectFile) {
        List<InputFile> out = new ArrayList<>();
        Path pf = projectFile.map(LintCommand::real).orElse(null);
        for (InputFile in : all) {
            Path p = Path.of(in.path());
            if ((pf == null || !real(p).equals(pf)) && project.includes(p)) {
                out.add(in);
            }
        }
        return out;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The path relative to the current directory when it lies below it, else absolute. */
    private static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private void write(String format, Report report, Path file) throws IOException {
        if (file == null) {
            emit(format, report, spec.commandLine().getOut());
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new java.nio.file.NoSuchFileException(parent.toString(), null, "the directory does not exist");
        }
        try (Writer w = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8);
             PrintWriter pw = new PrintWriter(w)) {
            emit(format, report, pw);
            if (pw.checkError()) {
                throw new IOException("write failed");
            }
        }
    }

    private static void emit(String format, Report report, PrintWriter out) throws IOException {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> Formats.json(report.diagnostics(), report.fileCount(), out);
            case "sarif" -> SarifFormat.write(report, out);
            case "junit" -> XmlFormats.junit(report, out);
            case "checkstyle" -> XmlFormats.checkstyle(report, out);
            default -> Formats.text(report.diagnostics(), out);
        }
        out.flush();
    }
}
