package dev.podnet.config;

import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import java.nio.file.Path;

/**
 * Validates every project file in the workspace ({@code .podnet.yaml} / {@code podnet.yaml}, {@link DocKind#PROJECT})
 * with {@link ProjectConfig#parse} and reports the problems (CFG001..CFG012, documented in
 * {@code podnet/rules/config.yaml}) on the offending key or value.
 */
public final class ProjectConfigCheck implements Check {

    @Override
    public void run(Workspace workspace, Reporter reporter) {
        workspace.docs(DocKind.PROJECT).forEach(d -> {
            reporter.checkCanceled();
            ProjectConfig.Parsed parsed = ProjectConfig.parse(d.doc().root(), path(d));
            for (ProjectConfig.Finding f : parsed.findings()) {
                if (f.onKey()) {
                    reporter.reportKey(f.rule(), d.doc(), f.pointer(), f.message());
                } else {
                    reporter.report(f.rule(), d.doc(), f.pointer(), f.message());
                }
            }
        });
    }

    private static Path path(SourceFile.Doc d) {
        try {
            return Path.of(d.doc().source().path());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
