package dev.podnet.cni.schema;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelt keys and values: a case-insensitive exact match wins ({@code hairpinmode} to
 * {@code hairpinMode}); otherwise the candidate with the smallest optimal-string-alignment distance
 * (Damerau-Levenshtein with adjacent transpositions counted once, on lower-cased text), if that distance is at
 * most 1 for words up to 4 characters, 2 up to 8 and 3 beyond. Ties go to the earlier candidate.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate to {@code word}, or empty when none is close enough. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            if (c.toLowerCase(Locale.ROOT).equals(w)) {
                return Optional.of(c);
            }
        }
        int limit = w.length() <= 4 ? 1 : w.length() <= 8 ? 2 : 3;
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (Math.abs(lc.length() - w.length()) > limit) {
                continue;
            }
            int d = distance(w, lc);
            if (d <= limit && d < bestD) {
                best = c;
                bestD = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
