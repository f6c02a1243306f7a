package dev.podnet.netpol;

import java.util.Collection;
import java.util.Locale;

/** Closest-spelling suggestions for field names, enum values and labels (Levenshtein distance). */
final class DidYouMean {
    private DidYouMean() {
    }

    /**
     * The candidate closest to {@code word}: an exact case-insensitive match first, else the nearest by edit
     * distance when the distance is at most 2 and less than half the word's length; null when nothing is close.
     */
    static String closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            if (c.toLowerCase(Locale.ROOT).equals(lower)) {
                return c;
            }
        }
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        int limit = Math.min(2, Math.max(0, (word.length() - 1) / 2));
        return bestD <= limit ? best : null;
    }

    /** Levenshtein distance; strings longer than 64 characters are compared only for equality (bounded time). */
    static int distance(String a, String b) {
        if (a.length() > 64 || b.length() > 64) {
            return a.equals(b) ? 0 : Math.max(a.length(), b.length());
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
