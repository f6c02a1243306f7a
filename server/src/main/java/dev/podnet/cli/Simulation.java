package dev.podnet.cli;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.reach.ReachabilityEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Shared set-up of {@code simulate} and {@code explain}: read the inputs and build the reachability engine. */
final class Simulation {
    private Simulation() {
    }

    /**
     * Reads the paths, reports syntax errors on {@code err} (the affected documents are left out of the
     * simulation), and builds the engine.
     *
     * @throws Inputs.InputException when a path cannot be read
     */
    static ReachabilityEngine load(List<Path> paths, PrintWriter err) throws Inputs.InputException {
        List<InputFile> inputs = Inputs.collect(paths);
        LintEngine.Result r = new LintEngine(List.of()).lint(inputs);
        List<Diagnostic> errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            err.println("podnet: " + errors.size() + " input error" + (errors.size() == 1 ? "" : "s")
                    + "; the affected documents are left out of the simulation:");
            Formats.text(errors, err);
        }
        return new ReachabilityEngine(InventoryBuilder.build(r.workspace()));
    }
}
