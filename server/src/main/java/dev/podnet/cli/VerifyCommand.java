package dev.podnet.cli;

import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.verify.ExpectedVerdicts;
import dev.podnet.verify.Probe;
import dev.podnet.verify.Sandbox;
import dev.podnet.verify.VerdictTable;
import dev.podnet.verify.Verifier;
import dev.podnet.verify.VerifyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet verify PATH... [--plugins DIR] [--probe P/PROTO]... [--expected FILE] [--format text|table]
 * [--parallel N]}: runs the manifests' pods in a sandbox of network namespaces on this machine with the real CNI
 * plugins and the generated ruleset, probes every ordered pod pair with real packets, and compares the kernel's
 * verdicts with the expectation (see {@link Verifier} and {@link Sandbox}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run the pods under PATH in network namespaces on this machine (real CNI plugins, the "
                + "generated iptables ruleset), probe every pod pair with real packets and compare with the "
                + "expectation. Needs root. Removes everything it created, also on failure and Ctrl-C.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the kernel agrees with the expectation (or there was none)",
                "1:the kernel disagrees on at least one probe", "2:could not run"})
public class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Manifests: Pods (with status.podIP), Namespaces, NetworkPolicies, Services, Nodes.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "CNI plugin directory (default: /opt/cni/bin when it has bridge, else /usr/lib/cni).")
    String plugins;

    @Option(names = "--probe", paramLabel = "PORT/PROTO",
            description = "A probe such as 80/TCP (repeatable). Default: the probes of --expected, else every "
                    + "container port the pods declare.")
    List<String> probes = new ArrayList<>();

    @Option(names = "--expected", paramLabel = "FILE",
            description = "Expected verdicts in the conformance expected.txt format ([80/TCP] then 'ns/pod ns/pod "
                    + "allow|deny' lines). Without it the kernel is compared with the simulation of the same inputs.")
    Path expected;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (disagreements and a summary) or table (the kernel's verdicts in the expected.txt "
                    + "format). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Setup steps and probes run at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000",
            description = "Milliseconds a probe waits for its reply (a timed-out probe is retried once with three "
                    + "times as long). Default: ${DEFAULT-VALUE}.")
    int timeoutMs;

    @Option(names = "--hairpin-mode", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "hairpinMode of the bridge plugin (a pod reaching itself through a Service ClusterIP "
                    + "needs it). Default: ${DEFAULT-VALUE}.")
    boolean hairpin;

    @Option(names = "--bridge-nf-call-iptables", paramLabel = "0|1", defaultValue = "1",
            description = "net.bridge.bridge-nf-call-iptables in the node namespaces (0: same-node pod traffic "
                    + "bypasses iptables). Default: ${DEFAULT-VALUE}.")
    int brNf;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (!format.equals("text") && !format.equals("table")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text or table");
        }
        if (brNf != 0 && brNf != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bridge-nf-call-iptables must be 0 or 1");
        }
        if (parallel < 1 || timeoutMs < 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel must be >= 1 and --timeout "
                    + ">= 100");
        }
        List<Probe> explicit = new ArrayList<>();
        for (String p : probes) {
            try {
                explicit.add(Probe.parse(p));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--probe: " + e.getMessage());
            }
        }
        try {
            List<InputFile> inputs = Inputs.collect(paths);
            LintEngine.Result lint = LintEngine.standard().lint(inputs);
            Inventory inv = InventoryBuilder.of(lint.workspace());
            ExpectedVerdicts exp = expected != null
                    ? VerdictTable.parse(expected.toString(), Files.readString(expected, StandardCharsets.UTF_8))
                    : new dev.podnet.verify.SimulatedVerdicts(inv);
            Sandbox.Options o = new Sandbox.Options(plugins == null ? Verifier.defaultPluginDir() : plugins, hairpin,
                    brNf, parallel, Duration.ofMillis(timeoutMs), err);
            Verifier.Result r = Verifier.run(inv, explicit, exp, o);
            r.notes().forEach(n -> err.println("verify: note: " + n));
            if (format.equals("table")) {
                out.print(r.kernel().format(List.of("kernel verdicts from podnet verify (" + r.prefix()
                        + "); allow = a reply came back")));
            } else {
                r.disagreements().forEach(d -> out.println(d));
                out.println(r.disagreements().isEmpty()
                        ? "verify: the kernel agrees with " + exp.describe() + " on all " + r.compared() + " probes"
                        : "verify: " + r.disagreements().size() + " of " + r.compared() + " probes disagree with "
                        + exp.describe());
            }
            err.println("verify: done in " + r.millis() + " ms");
            return r.disagreements().isEmpty() ? PodnetCli.OK : PodnetCli.FINDINGS;
        } catch (IOException e) {
            err.println("podnet: cannot read " + expected + ": " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        } catch (IllegalArgumentException | Inputs.InputException | VerifyException e) {
            err.println("podnet: " + e.getMessage());
            return PodnetCli.CANNOT_RUN;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
