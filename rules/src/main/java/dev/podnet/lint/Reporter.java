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

    /**
     * Reports at an explicit range with a {@link Diagnostic.Fix} the language server offers as a quick fix.
     * Reporters that keep no fixes drop it.
     */
    default void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related,
                        Diagnostic.Fix fix) {
        report(rule, file, range, message, related);
    }

    /** As {@link #report(String, SourceDoc, String, String)}, with a fix (null for none). */
    default void report(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
        report(rule, doc, pointer, message);
    }

    /** As {@link #reportKey(String, SourceDoc, String, String)}, with a fix (null for none). */
    default void reportKey(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
        reportKey(rule, doc, pointer, message);
    }

    /** Checks whether the run was cancelled (the language server cancels stale runs); throws if so. */
    default void checkCanceled() {
    }
}
