package dev.podnet.cli;

import picocli.CommandLine.Command;

/**
 * {@code podnet check}: every analysis podnet has, over the given paths. Today that is the full lint (syntax,
 * CNI schema and semantic rules, net.d directory rules, NetworkPolicy rules).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run every podnet analysis on the given paths (lint, and the simulations podnet has).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "1:findings at or above --fail-on",
                "2:podnet could not run (bad arguments, unreadable path)"})
public class CheckCommand extends LintCommand {
}
