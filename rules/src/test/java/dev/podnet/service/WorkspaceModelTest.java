package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.Check;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;

class WorkspaceModelTest {
    static final String BAD = "{\"name\": \"n\", \"plugins\": [{\"type\": \"bridge\",}]}";
    static final String OK = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", \"hairpinMode\": true}]}";

    @Test
    void openDocumentsOverrideDiskFilesAndKeepTheClientsUriSpelling() {
        WorkspaceModel m = new WorkspaceModel();
        m.putDiskFile("file:///w/a.conflist", BAD.getBytes(StandardCharsets.UTF_8), false);
        m.putDiskFile("file:///w/b.conflist", OK.getBytes(StandardCharsets.UTF_8), false);
        m.open("file:/w/a.conflist", 3, OK); // another spelling of the same file
        m.open("untitled:Untitled-1", 1, BAD);
        WorkspaceModel.Snapshot s = m.snapshot();
        assertThat(s.inputs()).extracting(i -> i.path()).containsExactly("file:///w/a.conflist",
                "file:///w/b.conflist", "untitled:Untitled-1");
        assertThat(new String(s.inputs().get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo(OK);
        assertThat(s.openVersions()).containsEntry("file:///w/a.conflist", 3);
        assertThat(s.clientUri("file:///w/a.conflist")).isEqualTo("file:/w/a.conflist");

        Map<String, List<Diagnostic>> d = LspDiagnostics.validate(LintEngine.standard(), s, LintOptions.defaults());
        assertThat(d.get("file:///w/a.conflist")).isEmpty();
        assertThat(d.get("untitled:Untitled-1")).extracting(x -> x.getCode().getLeft()).containsExactly("SYN001");
        assertThat(d.get("untitled:Untitled-1").get(0).getRange()).isEqualTo(new Range(new Position(0, 43),
                new Position(0, 44)));

        assertThat(m.close("file:///w/a.conflist")).isTrue();
        assertThat(new String(m.snapshot().inputs().get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo(BAD);
        m.removeDiskFilesUnder("file:///w");
        assertThat(m.snapshot().inputs()).extracting(i -> i.path()).containsExactly("untitled:Untitled-1");
    }

    @Test
    void readCacheReparsesOnlyChangedFiles() {
        List<Integer> identities = new ArrayList<>();
        Check record = (ws, r) -> ws.files().forEach(f -> identities.add(System.identityHashCode(f)));
        LintEngine engine = new LintEngine(List.of(record));
        WorkspaceModel m = new WorkspaceModel();
        m.putDiskFile("file:///w/a.conflist", OK.getBytes(StandardCharsets.UTF_8), false);
        m.open("file:///w/b.conflist", 1, BAD);
        LspDiagnostics.ReadCache cache = new LspDiagnostics.ReadCache();
        Map<String, List<Diagnostic>> first = LspDiagnostics.validate(engine, m.snapshot(), LintOptions.defaults(),
                cache);
        m.change("file:///w/b.conflist", 2, List.of()); // new version, same text: reused
        LspDiagnostics.validate(engine, m.snapshot(), LintOptions.defaults(), cache);
        m.open("file:///w/b.conflist", 3, OK); // changed text: parsed again, the disk file is not
        Map<String, List<Diagnostic>> third = LspDiagnostics.validate(engine, m.snapshot(), LintOptions.defaults(),
                cache);
        assertThat(identities).hasSize(6);
        assertThat(identities.get(2)).isEqualTo(identities.get(0)).isEqualTo(identities.get(4));
        assertThat(identities.get(3)).isEqualTo(identities.get(1));
        assertThat(identities.get(5)).isNotEqualTo(identities.get(3));
        assertThat(first.get("file:///w/b.conflist")).hasSize(1); // cached syntax findings are still reported
        assertThat(third.get("file:///w/b.conflist")).isEmpty();
    }
}
