package dev.podnet.service;

import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.DiagnosticCodeDescription;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Validation for the language server: lints a {@link WorkspaceModel.Snapshot} with the same {@link LintEngine}
 * and messages as the CLI and converts the findings to LSP diagnostics.
 *
 * <p>Conversion ({@link #toLsp}): range as is (both are zero-based UTF-16), severity by name (ERROR..HINT are
 * LSP's 1..4), {@code code} = rule id, {@code codeDescription.href} = {@link RuleInfo#helpUri()},
 * {@code source} = {@code "podnet"}, {@code relatedInformation} from {@link Diagnostic#related()}, and
 * {@code data} = the rule id (kept by clients that drop {@code code}, read back by code actions).
 */
public final class LspDiagnostics {
    /** The {@code source} of every diagnostic podnet publishes. */
    public static final String SOURCE = "podnet";

    private LspDiagnostics() {
    }

    /**
     * Lints every input of the snapshot and groups the findings by URI. Every input URI has an entry (an empty
     * list when clean), so a publish for it clears old findings.
     *
     * @throws java.util.concurrent.CancellationException when {@code options.cancel()} turns true
     */
    public static Map<String, List<org.eclipse.lsp4j.Diagnostic>> validate(LintEngine engine,
                                                                          WorkspaceModel.Snapshot snapshot,
                                                                          LintOptions options) {
        Map<String, List<org.eclipse.lsp4j.Diagnostic>> out = new LinkedHashMap<>();
        for (InputFile in : snapshot.inputs()) {
            out.put(in.path(), new ArrayList<>());
        }
        LintEngine.Result r = engine.lint(snapshot.inputs(), options);
        for (Diagnostic d : r.diagnostics()) {
            out.computeIfAbsent(d.file(), k -> new ArrayList<>()).add(toLsp(d, snapshot));
        }
        return out;
    }

    /** Converts one finding; related locations keep their file as the URI. */
    public static org.eclipse.lsp4j.Diagnostic toLsp(Diagnostic d) {
        return toLsp(d, null);
    }

    private static org.eclipse.lsp4j.Diagnostic toLsp(Diagnostic d, WorkspaceModel.Snapshot snapshot) {
        org.eclipse.lsp4j.Diagnostic x = new org.eclipse.lsp4j.Diagnostic();
        x.setRange(range(d.range()));
        x.setSeverity(switch (d.severity()) {
            case ERROR -> DiagnosticSeverity.Error;
            case WARNING -> DiagnosticSeverity.Warning;
            case INFO -> DiagnosticSeverity.Information;
            case HINT -> DiagnosticSeverity.Hint;
        });
        x.setCode(d.rule());
        RuleRegistry.get().find(d.rule()).ifPresent(r -> x.setCodeDescription(
                new DiagnosticCodeDescription(r.helpUri())));
        x.setSource(SOURCE);
        x.setMessage(d.message());
        x.setData(d.rule());
        if (!d.related().isEmpty()) {
            List<DiagnosticRelatedInformation> rel = new ArrayList<>();
            for (Diagnostic.Related r : d.related()) {
                String uri = snapshot == null ? r.file() : snapshot.clientUri(r.file());
                rel.add(new DiagnosticRelatedInformation(new Location(uri, range(r.range())), r.message()));
            }
            x.setRelatedInformation(rel);
        }
        return x;
    }

    /** Converts a podnet range to an LSP range (same coordinates). */
    public static Range range(dev.podnet.source.Range r) {
        return new Range(new Position(r.startLine(), r.startChar()), new Position(r.endLine(), r.endChar()));
    }
}
