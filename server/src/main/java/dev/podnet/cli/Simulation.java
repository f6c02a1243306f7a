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
        return new ReachabilityEngine(InventoryBuilder.of(read(paths, err).workspace()));
    }

    /** Reads and parses the paths (no rule runs), reporting input errors on {@code err}. */
    static LintEngine.Result read(List<Path> paths, PrintWriter err) throws Inputs.InputException {
        List<InputFile> inputs = Inputs.collect(paths);
        LintEngine.Result r = new LintEngine(List.of()).lint(inputs);
        List<Diagnostic> errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            err.println("podnet: " + errors.size() + " input error" + (errors.size() == 1 ? "" : "s")
                    + "; the affected documents are left out of the simulation:");
            Formats.text(errors, err);
        }
        return r;
    }

    /**
     * The data-plane simulator for the same inputs: every pod placed on its node (spec.nodeName, else by pod
     * CIDR), nodes with node facts among the inputs use those facts, the others are the built-in healthy node;
     * bridge ports get the hairpin mode of the inputs' bridge config (on when there is none).
     */
    static dev.podnet.dataplane.DataPlaneSimulator dataPlane(LintEngine.Result r) {
        var ws = r.workspace();
        List<dev.podnet.node.NodeFacts> facts = ws.docs(dev.podnet.lint.DocKind.NODE_FACTS)
                .map(d -> new dev.podnet.node.NodeFacts(d.doc())).toList();
        boolean hairpin = dev.podnet.dataplane.DataPlaneSimulator.hairpinFromConfigs(
                dev.podnet.cni.CniConfig.from(ws)).orElse(true);
        return dev.podnet.dataplane.DataPlaneSimulator.build(InventoryBuilder.of(ws), facts, false, hairpin);
    }
}
