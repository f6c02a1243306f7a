package dev.podnet.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cursor is in block-style YAML, read from indentation alone so that it works while the text is half
 * typed and does not parse: the keys from the document root to the cursor ({@code "-"} for a sequence item), the
 * key whose value the cursor is on (if any) and the word typed so far. A parent is the nearest line above with a
 * smaller indentation (a sequence's {@code "- "} items may sit at the column of their parent key, as
 * {@code kubectl} writes them). Documents are separated by {@code ---}; the document's top-level {@code kind} and
 * {@code metadata.namespace} are read the same way. Flow collections and multi-line scalars are not understood.
 *
 * @param keys      the path, e.g. {@code [spec, ingress, -, from, -, podSelector, matchLabels]}
 * @param lines     the line of each path entry
 * @param cols      the column of each path entry
 * @param key       the key on the cursor's line when the cursor is on its value; null at a key position
 * @param line      the cursor line
 * @param wordStart column where the typed word (key or value) starts
 * @param column    the cursor column
 * @param kind      the document's {@code kind}, or null
 * @param namespace the document's {@code metadata.namespace}, or null
 * @param text      the lines of the buffer
 */
public record YamlPath(List<String> keys, List<Integer> lines, List<Integer> cols, String key, int line,
                       int wordStart, int column, String kind, String namespace, String[] text) {

    private static final Pattern KEY = Pattern.compile("([^\\s#'\"{}\\[\\],][^:#]*?|\"[^\"]*\"|'[^']*'):(\\s|$)");

    /** One entry of a line: a "-" item marker or a key, at a column; {@code inline} for a key with a value. */
    private record Entry(String token, int col, boolean inline) {
    }

    /** The cursor context, or null when the position is outside the text. */
    public static YamlPath at(String text, int line, int column) {
        String[] ls = text.split("\r?\n", -1);
        if (line < 0 || line >= ls.length) {
            return null;
        }
        String cur = ls[line];
        int col = Math.min(column, cur.length());
        String before = cur.substring(0, col);
        List<String> keys = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        // the cursor line: "- " markers, then maybe "key: " before the cursor
        int i = 0;
        while (i < before.length() && before.charAt(i) == ' ') {
            i++;
        }
        int target = i;
        boolean allowEqual = false;
        List<Entry> own = new ArrayList<>();
        while (i + 1 < before.length() + 1 && before.startsWith("-", i)
                && (i + 1 == before.length() || before.charAt(i + 1) == ' ')) {
            own.add(new Entry("-", i, false));
            i++;
            while (i < before.length() && before.charAt(i) == ' ') {
                i++;
            }
        }
        String rest = before.substring(i);
        String key = null;
        int wordStart = i;
        Matcher m = KEY.matcher(rest);
        if (m.lookingAt()) {
            key = unquote(m.group(1).strip());
            wordStart = i + m.end();
            while (wordStart < col && before.charAt(wordStart) == ' ') {
                wordStart++;
            }
        }
        if (!own.isEmpty()) {
            target = own.get(0).col();
            allowEqual = true;
        }
        // ancestors
        List<String> up = new ArrayList<>();
        List<Integer> upLines = new ArrayList<>();
        List<Integer> upCols = new ArrayList<>();
        int docStart = 0;
        for (int l = line - 1; l >= 0; l--) {
            String s = ls[l];
            if (s.startsWith("---") || s.startsWith("...")) {
                docStart = l + 1;
                break;
            }
            List<Entry> es = entries(s);
            if (es.isEmpty()) {
                continue;
            }
            List<Entry> cand = new ArrayList<>();
            for (int k = 0; k < es.size(); k++) {
                Entry e = es.get(k);
                boolean last = k == es.size() - 1;
                if (e.col() < target && (e.token().equals("-") || !e.inline())) {
                    cand.add(e);
                } else if (allowEqual && e.col() == target && !e.token().equals("-") && last && !e.inline()) {
                    cand.add(e);
                }
            }
            if (cand.isEmpty()) {
                continue;
            }
            for (int k = cand.size() - 1; k >= 0; k--) {
                up.add(0, cand.get(k).token());
                upLines.add(0, l);
                upCols.add(0, cand.get(k).col());
            }
            target = cand.get(0).col();
            allowEqual = cand.get(0).token().equals("-");
        }
        keys.addAll(up);
        lines.addAll(upLines);
        cols.addAll(upCols);
        for (Entry e : own) {
            keys.add("-");
            lines.add(line);
            cols.add(e.col());
        }
        String kind = null;
        String namespace = null;
        boolean inMetadata = false;
        for (int l = docStart; l < ls.length && !(l > line && (ls[l].startsWith("---") || ls[l].startsWith("...")));
             l++) {
            String s = ls[l];
            if (s.startsWith("kind:")) {
                kind = s.substring(5).strip();
            }
            if (!s.isEmpty() && !s.startsWith(" ") && !s.startsWith("#")) {
                inMetadata = s.startsWith("metadata:");
            } else if (inMetadata && s.strip().startsWith("namespace:") && namespace == null) {
                namespace = unquote(s.strip().substring(10).strip());
            }
        }
        return new YamlPath(keys, lines, cols, key, line, wordStart, col, kind == null ? null : unquote(kind),
                namespace, ls);
    }

    private static List<Entry> entries(String s) {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        if (i == s.length() || s.charAt(i) == '#') {
            return out;
        }
        while (s.startsWith("-", i) && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
            out.add(new Entry("-", i, false));
            i++;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
        Matcher m = KEY.matcher(s.substring(i));
        if (m.lookingAt()) {
            String after = s.substring(i + m.end()).strip();
            boolean inline = !after.isEmpty() && !after.startsWith("#") && !after.startsWith("&")
                    && !after.startsWith("|") && !after.startsWith(">");
            out.add(new Entry(unquote(m.group(1).strip()), i, inline));
        }
        return out;
    }

    /**
     * The scalar value of {@code name} among the members of the sequence item at path entry {@code index} (which
     * must be a {@code "-"}), looking at the item's lines; null when absent.
     */
    public String siblingValue(int index, String name) {
        if (index < 0 || index >= keys.size() || !keys.get(index).equals("-")) {
            return null;
        }
        int from = lines.get(index);
        int c = cols.get(index);
        for (int l = from; l < text.length; l++) {
            String s = text[l];
            if (l > from && !s.isBlank()) {
                int ind = s.length() - s.stripLeading().length();
                if (ind <= c) {
                    break;
                }
            }
            List<Entry> es = entries(s);
            for (Entry e : es) {
                if (e.token().equals(name) && e.col() == c + 2) {
                    String v = s.substring(s.indexOf(':', e.col()) + 1).strip();
                    return v.isEmpty() ? null : unquote(v);
                }
            }
        }
        return null;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
