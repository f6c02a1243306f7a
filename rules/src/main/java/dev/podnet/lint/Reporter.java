package dev.podnet.lint;

import dev.podnet.diag.Diagnostic;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import java.util.List;

/**
 * Collects findings from checks. The severity comes from the rule's registry entry (then configuration
 * overrides); a finding about a Kubernetes object is dropped when that object carries the annotation
 * {@code ignore-check.podnet.dev/<RULE-ID>} (kube-linter's convention).
 */
public interface Reporter {

    /** Reports at an explicit range of a file. */
    void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related);

    /** Reports on the value at a JSON pointer of a document (suppressible by the document's annotations). */
    void report(String rule, SourceDoc doc, String pointer, String message, List<Diagnostic.Related> related);

    /** Reports on the key of the member at a JSON pointer (the "field name"), or its nearest ancestor. */
    void reportKey(String rule, SourceDoc doc, String pointer, String message, List<Diagnostic.Related> related);

    default void report(String rule, SourceDoc doc, String pointer, String message) {
        report(rule, doc, pointer, message, List.of());
    }

    default void reportKey(String rule, SourceDoc doc, String pointer, String message) {
        reportKey(rule, doc, pointer, message, List.of());
    }

    /** Checks whether the run was cancelled (the language server cancels stale runs); throws if so. */
    default void checkCanceled() {
    }
}
