package dev.podnet.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" suggestions: the known word closest to an unknown one by Levenshtein edit distance
 * (insertions, deletions, substitutions; case-insensitive), accepted when the distance is at most a third of the
 * longer word's length (at least 1) or when one word contains the other.
 */
public final class Suggest {
    private Suggest() {
    }

    /** The closest known word, if any is close enough. */
    public static Optional<String> closest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            String kl = k.toLowerCase(Locale.ROOT);
            int d = distance(u, kl);
            int limit = Math.max(1, Math.max(u.length(), kl.length()) / 3);
            boolean contains = u.length() >= 3 && (kl.contains(u) || u.contains(kl));
            if ((d <= limit || contains) && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The message suffix {@code "; did you mean 'x'?"}, or {@code ""} when nothing is close. */
    public static String didYouMean(String unknown, Collection<String> known) {
        return closest(unknown, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /** Levenshtein distance between two strings (UTF-16 units). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
