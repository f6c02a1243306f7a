package dev.podnet.text;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.DamerauLevenshteinDistance;

/**
 * The one "did you mean" of podnet: for a misspelt key, enum value, rule id, namespace or label, the known word the
 * user most likely meant. Used by the CNI schema check (unknown keys, plugin types, enum values), the NetworkPolicy
 * validation and lint (fields, policyTypes, protocols, operators, namespaces, labels) and the {@code .podnet.yaml}
 * parser (keys, settings, rule ids).
 *
 * <p>Policy, in this order:
 * <ol>
 *   <li><b>Same word in another case</b>: the first candidate equal to {@code word} ignoring case
 *       ({@code hairpinmode} to {@code hairpinMode}, {@code namespaceselector} to {@code namespaceSelector}).</li>
 *   <li><b>Close spelling</b>: the candidate with the smallest edit distance between the lower-cased words, when that
 *       distance is at most {@link #limit(String) max(1, length / 3)} of the typed word (so 1 edit up to 5 letters,
 *       2 up to 8, 3 up to 11, ...). The distance is the optimal string alignment variant of Damerau-Levenshtein
 *       (insertion, deletion, substitution and adjacent transposition each cost 1: {@code rangeStrat} to
 *       {@code rangeStart} is 1), computed by Apache commons-text's {@link DamerauLevenshteinDistance} with the
 *       limit as its threshold, so far-off candidates are abandoned early. Ties go to the candidate sharing the
 *       longer common prefix with the typed word (people mistype the end of a word more often than its start), then
 *       to the earlier candidate.</li>
 *   <li><b>Truncated word</b>: otherwise, a typed word of at least 4 characters that is a case-insensitive prefix of
 *       exactly one candidate ({@code hairpin} to {@code hairpinMode}).</li>
 * </ol>
 * A word of one or two characters only gets the case-insensitive match: it has too few letters to tell a typo from
 * a different word. Words longer than {@value #MAX_LENGTH} characters are compared only ignoring case, which bounds
 * the time spent on hostile input (a 1 MB key).
 */
public final class DidYouMean {
    /** Longer words get no spelling suggestion (only a case-insensitive match). */
    public static final int MAX_LENGTH = 256;

    private static final DamerauLevenshteinDistance UNLIMITED = new DamerauLevenshteinDistance();

    private DidYouMean() {
    }

    /**
     * The candidate the user most likely meant by {@code word}, by the policy of the class comment; empty when none
     * is close enough. Null candidates are skipped.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        if (word == null || candidates == null || candidates.isEmpty()) {
            return Optional.empty();
        }
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            if (c != null && c.toLowerCase(Locale.ROOT).equals(w)) {
                return Optional.of(c);
            }
        }
        int limit = limit(word);
        if (limit == 0) {
            return Optional.empty();
        }
        DamerauLevenshteinDistance bounded = new DamerauLevenshteinDistance(limit);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestPrefix = -1;
        for (String c : candidates) {
            if (c == null || c.length() > MAX_LENGTH) {
                continue;
            }
            if (Math.abs(c.length() - w.length()) > limit) {
                continue; // each edit changes the length by at most one
            }
            String lc = c.toLowerCase(Locale.ROOT);
            if (bagDistance(w, lc) > limit) {
                continue;
            }
            int d = bounded.apply(w, lc);
            if (d < 0) {
                continue;
            }
            int prefix = commonPrefix(w, lc);
            if (d < bestDistance || d == bestDistance && prefix > bestPrefix) {
                best = c;
                bestDistance = d;
                bestPrefix = prefix;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        if (w.length() >= 4) {
            String only = null;
            for (String c : candidates) {
                if (c != null && c.length() > w.length() && c.toLowerCase(Locale.ROOT).startsWith(w)) {
                    if (only != null && !only.equals(c)) {
                        return Optional.empty();
                    }
                    only = c;
                }
            }
            return Optional.ofNullable(only);
        }
        return Optional.empty();
    }

    /**
     * The largest edit distance at which a candidate still counts as a misspelling of {@code word}:
     * {@code max(1, length / 3)} in UTF-16 units, 0 for words of fewer than 3 or more than {@value #MAX_LENGTH}
     * characters.
     */
    public static int limit(String word) {
        int n = word.length();
        if (n < 3 || n > MAX_LENGTH) {
            return 0;
        }
        return Math.max(1, n / 3);
    }

    /**
     * Whether {@code candidate} counts as a misspelling of {@code word} by steps 1 and 2 of the policy: equal ignoring
     * case, or within {@link #limit(String)} edits of it ignoring case (the truncated-word step needs the whole
     * candidate list and is not applied).
     */
    public static boolean isClose(String word, String candidate) {
        if (word.equalsIgnoreCase(candidate)) {
            return true;
        }
        int limit = limit(word);
        // Each edit changes the length by at most one: a larger length difference is never within the limit.
        if (limit == 0 || candidate.length() > MAX_LENGTH || Math.abs(word.length() - candidate.length()) > limit) {
            return false;
        }
        String w = word.toLowerCase(Locale.ROOT);
        String c = candidate.toLowerCase(Locale.ROOT);
        return bagDistance(w, c) <= limit && new DamerauLevenshteinDistance(limit).apply(w, c) >= 0;
    }

    /**
     * A lower bound of the optimal-string-alignment distance, cheap enough to rule out most candidates before the
     * distance itself is computed: the larger of the number of characters of {@code a} not matched by a character of
     * {@code b} and the reverse, counting characters as multisets (the "bag distance"). An insertion or a deletion
     * raises it by at most one, a substitution too, a transposition not at all, so it never exceeds the distance.
     * Characters are counted in 64 buckets ({@code c & 63}); merging characters into one bucket can only lower the
     * count, so the result stays a lower bound.
     */
    static int bagDistance(String a, String b) {
        int[] counts = new int[64];
        for (int i = 0; i < a.length(); i++) {
            counts[a.charAt(i) & 63]++;
        }
        for (int i = 0; i < b.length(); i++) {
            counts[b.charAt(i) & 63]--;
        }
        int onlyA = 0;
        int onlyB = 0;
        for (int n : counts) {
            if (n > 0) {
                onlyA += n;
            } else {
                onlyB -= n;
            }
        }
        return Math.max(onlyA, onlyB);
    }

    /**
     * The case-sensitive optimal-string-alignment distance between two strings in UTF-16 units (commons-text
     * {@link DamerauLevenshteinDistance}); for ranking candidates, as the label-selector hints of the NetworkPolicy
     * lint do. Strings longer than {@value #MAX_LENGTH} characters are compared only for equality (0 or the longer
     * length), to bound the time.
     */
    public static int distance(String a, String b) {
        if (a.length() > MAX_LENGTH || b.length() > MAX_LENGTH) {
            return a.equals(b) ? 0 : Math.max(a.length(), b.length());
        }
        return UNLIMITED.apply(a, b);
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
