package dev.podnet.lint;

import dev.podnet.diag.Diagnostic;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Reporter} that records what a check reports so it can be replayed into the run's reporter, now and in
 * later runs ({@link LintMemo}): a check that finds the same things in an unchanged document replays them instead
 * of walking the document again. Replaying goes through the live reporter, so severities, suppression annotations,
 * cascades and the rule configuration of the replaying run apply as if the check had reported there.
 * While recording, {@link #checkCanceled()} asks the live reporter. Immutable once recorded; replay is thread-safe.
 */
public final class RecordedFindings implements Reporter {
    private final List<Consumer<Reporter>> calls = new ArrayList<>();
    /** The live reporter while recording; dropped afterwards so a kept recording does not hold an old run. */
    private Reporter cancel;

    /**
     * Records {@code body}'s reports.
     *
     * @param cancel the live reporter whose {@link Reporter#checkCanceled()} the recording honours
     */
    public static RecordedFindings record(Reporter cancel, Consumer<Reporter> body) {
        RecordedFindings r = new RecordedFindings(cancel);
        body.accept(r);
        r.cancel = null;
        return r;
    }

    private RecordedFindings(Reporter cancel) {
        this.cancel = cancel;
    }

    /** Reports everything recorded, in order, into {@code out}. */
    public void replay(Reporter out) {
        calls.forEach(c -> c.accept(out));
    }

    /** Number of recorded reports. */
    public int size() {
        return calls.size();
    }

    @Override
    public void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related) {
        calls.add(r -> r.report(rule, file, range, message, related));
    }

    @Override
    public void report(String rule, SourceDoc doc, String pointer, String message, List<Diagnostic.Related> related) {
        calls.add(r -> r.report(rule, doc, pointer, message, related));
    }

    @Override
    public void reportKey(String rule, SourceDoc doc, String pointer, String message,
                          List<Diagnostic.Related> related) {
        calls.add(r -> r.reportKey(rule, doc, pointer, message, related));
    }

    @Override
    public void report(String rule, SourceDoc doc, String pointer, String message) {
        calls.add(r -> r.report(rule, doc, pointer, message));
    }

    @Override
    public void reportKey(String rule, SourceDoc doc, String pointer, String message) {
        calls.add(r -> r.reportKey(rule, doc, pointer, message));
    }

    @Override
    public void report(String rule, String file, Range range, String message, List<Diagnostic.Related> related,
                       Diagnostic.Fix fix) {
        calls.add(r -> r.report(rule, file, range, message, related, fix));
    }

    @Override
    public void report(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
        calls.add(r -> r.report(rule, doc, pointer, message, fix));
    }

    @Override
    public void reportKey(String rule, SourceDoc doc, String pointer, String message, Diagnostic.Fix fix) {
        calls.add(r -> r.reportKey(rule, doc, pointer, message, fix));
    }

    @Override
    public void checkCanceled() {
        Reporter c = cancel;
        if (c != null) {
            c.checkCanceled();
        }
    }
}
