package dev.podnet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code podnet help [COMMAND...]}: prints the usage of podnet, or of the subcommand the names lead to, nested ones
 * included ({@code podnet help node facts} shows {@code podnet node facts --help}, as {@code kubectl help config
 * view} does). Picocli's built-in {@code HelpCommand} looks up only the first name. A name that is not a subcommand
 * is a usage error (exit code 2) with picocli's closest candidates.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = false,
        description = "Show the usage of podnet or of a subcommand (e.g. podnet help node facts).")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Callable<Integer> {
    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The subcommand, with the names of its parents (e.g. node facts).")
    private String[] commands = {};

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter,
                     PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    /**
     * Prints the usage; returns 0.
     *
     * @throws UnknownSubcommand when a name is not a subcommand of the one before it
     */
    @Override
    public Integer call() {
        CommandLine target = self.getParent();
        for (int i = 0; i < commands.length; i++) {
            CommandLine next = target.getSubcommands().get(commands[i]);
            if (next == null) {
                // picocli's own message would give the argument index of the help command line, which means
                // nothing here (2147483647 for a first name)
                throw new UnknownSubcommand(target, List.of(commands).subList(i, commands.length), "'" + commands[i]
                        + "' is not a subcommand of " + target.getCommandSpec().qualifiedName()
                        + (target.getSubcommands().isEmpty() ? " (it has none)" : ""));
            }
            target = next;
        }
        target.usage(out, colors);
        out.flush();
        return 0;
    }

    /**
     * A name after {@code help} that is not a subcommand: picocli's suggestions for the unmatched names, with a
     * message of its own (picocli's names an argument index of the help command line, which means nothing here).
     */
    static final class UnknownSubcommand extends CommandLine.UnmatchedArgumentException {
        private static final long serialVersionUID = 1L;
        private final String message;

        UnknownSubcommand(CommandLine target, List<String> unmatched, String message) {
            super(target, unmatched);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
