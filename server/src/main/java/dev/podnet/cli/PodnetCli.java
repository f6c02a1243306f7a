package dev.podnet.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code podnet} command. Exit codes (shellcheck/hadolint convention): 0 no finding at or above the failure
 * threshold, 1 findings at or above it, 2 podnet could not run (bad arguments, unreadable path, internal error).
 */
@Command(name = "podnet", mixinStandardHelpOptions = true, versionProvider = PodnetCli.Version.class,
        description = "Lints CNI network configs and Kubernetes NetworkPolicies, and simulates what the node does "
                + "with them.")
public final class PodnetCli implements Runnable {
    /** Exit code: no finding at or above the threshold. */
    public static final int OK = 0;
    /** Exit code: findings at or above the threshold. */
    public static final int FINDINGS = 1;
    /** Exit code: podnet could not run. */
    public static final int CANNOT_RUN = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The subcommands, in the order {@code podnet --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(LintCommand.class, CheckCommand.class,
            SimulateCommand.class, ExplainCommand.class, RulesCommand.class, NodeCommand.class, ApplyCommand.class,
            PlanCommand.class, VerifyCommand.class, dev.podnet.lsp.LspCommand.class, HelpCommand.class);

    /** Builds the configured command line with every subcommand (shared by main and tests). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand other than {@code help}, only
     * that subcommand is built (picocli reads the annotations of every subcommand it is given, about 0.1 s of a
     * cold start for all of them); its usage, errors and behaviour are the same as with all of them.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        if (args.length > 0 && !args[0].equals("help")) {
            for (Class<?> c : SUBCOMMANDS) {
                Command cmd = c.getAnnotation(Command.class);
                if (cmd != null && (cmd.name().equals(args[0]) || List.of(cmd.aliases()).contains(args[0]))) {
                    return commandLine(out, err, List.of(c));
                }
            }
        }
        return commandLine(out, err);
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new PodnetCli());
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("podnet: internal error: " + ex);
            commandLine.getErr().flush();
            return CANNOT_RUN;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("podnet: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                // a mistyped subcommand or option: picocli's closest candidates ("Did you mean: podnet lint?")
                CommandLine.UnmatchedArgumentException.printSuggestions(u, c.getErr());
            }
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            c.getErr().flush();
            return CANNOT_RUN;
        });
        versionEverywhere(cl);
        return cl;
    }

    /** Every subcommand's {@code -V, --version} prints podnet's version (picocli prints nothing without a provider). */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null && sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(new Version());
            }
            versionEverywhere(sub);
        }
    }

    /** Runs the CLI and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err, args).execute(args);
    }

    public static void main(String[] args) {
        dev.podnet.lint.PhaseTimes.mark("main");
        if (args.length > 0 && (args[0].equals("lint") || args[0].equals("check"))
                && Runtime.getRuntime().maxMemory() >= 256L << 20) {
            // The start-up (picocli, reading the inputs) keeps one core busy: the other prepares the model binding
            // the inventory needs later (a daemon thread: it never delays the exit). Not on a small heap, where the
            // memory it keeps is better left to the inputs.
            Thread warm = new Thread(dev.podnet.inventory.InventoryBuilder::warmUp, "podnet-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out,
                java.nio.charset.StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err,
                java.nio.charset.StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The podnet version from the jar manifest ({@code 0.1.0-SNAPSHOT} when run from classes). */
    public static String version() {
        String v = PodnetCli.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"podnet " + version()};
        }
    }
}
