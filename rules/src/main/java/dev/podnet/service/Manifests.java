package dev.podnet.service;

import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed documents of an editor buffer, read exactly as the lint engine reads a file
 * ({@link LintEngine#read}: decode, parse YAML or JSON, classify each document by content). The last parse is
 * kept per URI and version, so hover, code lens and code actions on one version parse it once.
 */
final class Manifests {
    private static final java.util.Map<String, Object[]> LAST = new java.util.concurrent.ConcurrentHashMap<>();

    private Manifests() {
    }

    /** The documents of the buffer (empty when it does not parse at all). */
    static List<SourceFile.Doc> docs(TextDocument doc) {
        Object[] hit = LAST.get(doc.uri());
        if (hit != null && (Integer) hit[0] == doc.version() && hit[1] == doc.text()) {
            @SuppressWarnings("unchecked")
            List<SourceFile.Doc> d = (List<SourceFile.Doc>) hit[2];
            return d;
        }
        List<SourceFile.Doc> out;
        try {
            SourceFile f = LintEngine.read(InputFile.of(doc.uri(), doc.text()), new ArrayList<>());
            out = f.docs();
        } catch (RuntimeException e) {
            out = List.of();
        }
        if (LAST.size() > 64) {
            LAST.clear();
        }
        LAST.put(doc.uri(), new Object[] {doc.version(), doc.text(), out});
        return out;
    }
}
