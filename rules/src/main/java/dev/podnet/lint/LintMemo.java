package dev.podnet.lint;

import dev.podnet.source.SourceDoc;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Results kept from one lint run to the next, for a session that lints the same workspace over and over (the
 * language server lints on every edit). The language server re-parses only the files whose bytes changed and hands
 * the unchanged files' {@link SourceFile}s, and so the same {@link SourceDoc} objects, to the next run: a result
 * computed from one document alone is found again by that document's identity, and a document that changed is a new
 * object and misses.
 *
 * <p>Each run works on its own {@link Run}: it reads the results of the last run that finished and records every
 * result it uses or computes; when it finishes ({@link Run#finish()}) its record becomes the one the next run reads,
 * so results of documents that are gone are dropped after one run. A cancelled run (the language server drops
 * stale runs) never finishes, and the next run reads the last finished one. Thread-safe: the check families of one
 * run share its {@link Run}.
 *
 * <p>The CLI lints once and uses {@link Run#NONE}, which computes every value and keeps nothing.
 */
public final class LintMemo {
    private volatile Generation last = new Generation();

    /** What one run used or computed. */
    private static final class Generation {
        final Map<SourceDoc, Map<Workspace.Key<?>, Object>> perDoc =
                Collections.synchronizedMap(new IdentityHashMap<>());
        final Map<Workspace.Key<?>, Keyed> keyed = new ConcurrentHashMap<>();
    }

    private record Keyed(List<?> inputs, Object value) {
    }

    /** Starts a run that reads the last finished run's results. */
    public Run open() {
        return new Run(this, last);
    }

    /** One run's view of the memo; see the class comment. */
    public static final class Run {
        /** A run that keeps nothing: every value is computed when asked for (the CLI's single run). */
        public static final Run NONE = new Run(null, null);

        private final LintMemo memo;
        private final Generation prev;
        private final Generation next;

        private Run(LintMemo memo, Generation prev) {
            this.memo = memo;
            this.prev = prev;
            this.next = memo == null ? null : new Generation();
        }

        /** True when values are kept between runs (false for {@link #NONE}). */
        public boolean keeps() {
            return memo != null;
        }

        /**
         * The value for {@code key} computed from {@code doc} alone: this run's, else the last finished run's for
         * the same document object, else {@code compute}'s (stored unless it throws). {@code compute} must read
         * nothing but the document (and constants), or the value goes stale when other inputs change.
         */
        @SuppressWarnings("unchecked")
        public <V> V perDoc(Workspace.Key<V> key, SourceDoc doc, Supplier<V> compute) {
            if (memo == null) {
                return compute.get();
            }
            Map<Workspace.Key<?>, Object> mine = next.perDoc.computeIfAbsent(doc, d -> new ConcurrentHashMap<>());
            Object v = mine.get(key);
            if (v != null) {
                return (V) v;
            }
            Map<Workspace.Key<?>, Object> old = prev.perDoc.get(doc);
            v = old == null ? null : old.get(key);
            if (v == null) {
                v = Objects.requireNonNull(compute.get(), key.name());
            }
            Object raced = mine.putIfAbsent(key, v);
            return (V) (raced == null ? v : raced);
        }

        /**
         * Reports into {@code out} what {@code body} reports about {@code doc}: kept by {@link #perDoc} as a
         * {@link RecordedFindings} and replayed, so an unchanged document's findings are replayed without running
         * {@code body} again. Without a memo ({@link #NONE}) {@code body} reports into {@code out} directly.
         * {@code body} must read nothing but the document.
         */
        public void findingsPerDoc(Workspace.Key<RecordedFindings> key, SourceDoc doc, Reporter out,
                                   java.util.function.Consumer<Reporter> body) {
            if (memo == null) {
                body.accept(out);
                return;
            }
            perDoc(key, doc, () -> RecordedFindings.record(out, body)).replay(out);
        }

        /**
         * The value for {@code key} computed from {@code inputs}: the last finished run's when its inputs were equal
         * (element by element, with {@code equals}; pass objects without value equality, such as lists of model
         * objects, to compare by identity), else {@code compute}'s. One value per key is kept.
         */
        @SuppressWarnings("unchecked")
        public <V> V keyed(Workspace.Key<V> key, List<?> inputs, Supplier<V> compute) {
            if (memo == null) {
                return compute.get();
            }
            Keyed k = next.keyed.get(key);
            if (k == null || !k.inputs().equals(inputs)) {
                Keyed old = prev.keyed.get(key);
                k = old != null && old.inputs().equals(inputs) ? old
                        : new Keyed(List.copyOf(inputs), Objects.requireNonNull(compute.get(), key.name()));
                next.keyed.put(key, k);
            }
            return (V) k.value();
        }

        /** Makes this run's results the ones the next run reads. */
        public void finish() {
            if (memo != null) {
                memo.last = next;
            }
        }
    }
}
