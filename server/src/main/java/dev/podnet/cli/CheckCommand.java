package dev.podnet.cli;

import picocli.CommandLine.Command;

/**
 * {@code podnet check}: every analysis podnet has, over the given paths: the full lint of {@code Checks.all()},
 * which includes the reachability family (RCH: unreachable pods and Service backends, DNS blocked by egress
 * isolation, ConnectivityExpectations documents).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run every podnet analysis on the given paths (lint, and the simulations podnet has).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "1:findings at or above --fail-on",
                "2:podnet could not run (bad arguments, unreadable path)"})
public class CheckCommand extends LintCommand {
}
