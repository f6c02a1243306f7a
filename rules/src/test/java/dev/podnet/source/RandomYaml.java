package dev.podnet.source;

import java.util.Random;

/**
 * Generates varied YAML streams for {@code YamlParserEquivalenceTest}: several documents (with and without
 * {@code ---} / {@code ...} markers), block and flow mappings and sequences (compact {@code - key: v} items too),
 * plain / single-quoted / double-quoted (with escapes) / literal / folded scalars with chomping indicators, ints in
 * decimal, signed, hex, octal and underscored forms, big ints, floats, infinities and NaN, the bool and null
 * spellings, {@code ~}, empty values, explicit tags, duplicate keys, merge keys {@code <<}, keys holding {@code /}
 * and {@code ~}, comments, unicode including surrogate pairs, sometimes anchors and aliases and complex keys, and
 * CRLF line ends. {@link #mutate} then optionally breaks the text (tabs, stray quotes, brackets, colons, cut
 * short) to exercise the syntax error paths.
 */
final class RandomYaml {
    private static final String[] PLAIN = {
        "a", "name", "web", "app", "kube-system", "Pod", "NetworkPolicy", "networking.k8s.io/v1", "TCP", "UDP",
        "10.0.0.1", "10.0.0.0/8", "fd00::/64", "true", "false", "True", "FALSE", "yes", "no", "on", "null", "Null",
        "NULL", "~", "0", "-0", "+1", "42", "-17", "007", "0x1F", "0xff", "0o17", "0o8", "1_000", "0b101",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "123456789012345678901234567890", "1.5", "-2.25", ".5", "1.", "1e3", "1.5E-3", "+.inf", "-.Inf", ".INF",
        ".nan", ".NaN", "1e99999999999", "${HOME}", "$x", "x y z", "a:b", "a/b", "a~b", "~x", "t", "f", "nullx",
        "truee", "8080", "1.2.3", "12:30", "2001-12-14", "-", "--x", "\u00e9t\u00e9", "\uD83D\uDE00", "x\uD83D\uDE00y",
        "\u4e2d\u6587", "<<", "=", "?x", "!x"
    };
    private static final String[] KEYS = {
        "a", "b", "name", "kind", "spec", "ports", "a/b", "a~b", "~", "", "0", "1", "true", "null", "<<",
        "\uD83D\uDE00k", "k\u00e9", "x y", "metadata", "labels"
    };
    private static final String[] TAGS = {
        "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "! ", "!foo ", "!!map ", "!!seq ",
        "!<tag:yaml.org,2002:str> "
    };

    private final Random r;
    private final StringBuilder out = new StringBuilder();
    private int anchors;
    /** One stream in five uses anchors, aliases and complex keys (the Composer fallback reads those). */
    private final boolean composerOnly;

    private RandomYaml(Random r) {
        this.r = r;
        this.composerOnly = r.nextInt(5) == 0;
    }

    /**
     * A "billion laughs" stream: {@code a0} is a list of 9 scalars and each of {@code a1..a11} a list of 9 aliases
     * of the one before, so resolving {@code a11} means 9^12 (about 2.8e11) values.
     */
    static String aliasBomb() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        return bomb.toString();
    }

    /** A stream of one to four documents. */
    static String stream(Random r) {
        RandomYaml g = new RandomYaml(r);
        int docs = 1 + r.nextInt(4);
        for (int d = 0; d < docs; d++) {
            g.document(d);
        }
        String s = g.out.toString();
        if (r.nextInt(6) == 0) {
            s = s.replace("\n", "\r\n");
        }
        return s;
    }

    /** The text unchanged (most of the time) or with one to three random breakages. */
    static String mutate(Random r, String s) {
        if (r.nextInt(3) != 0 || s.isEmpty()) {
            return s;
        }
        String[] inserts = {"\t", "\"", "'", "[", "{", "]", "}", ":", ": ", "- ", "\n  ", "\n", " ", "#", "&a ",
            "*a", "!", "|", ">", ",", "?", "---\n", "...\n", "\uD83D", "\u0001"};
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && b.length() > 0; i++) {
            int at = r.nextInt(b.length() + 1);
            switch (r.nextInt(4)) {
                case 0 -> b.insert(at, inserts[r.nextInt(inserts.length)]);
                case 1 -> b.deleteCharAt(Math.min(at, b.length() - 1));
                case 2 -> b.setLength(at);
                default -> b.insert(at, "\n" + " ".repeat(r.nextInt(5)) + inserts[r.nextInt(inserts.length)]);
            }
        }
        return b.toString();
    }

    private void document(int d) {
        int marker = r.nextInt(5);
        if (d > 0 || marker == 0) {
            out.append("---");
            boolean comment = r.nextInt(4) == 0;
            if (comment) {
                out.append(" # doc ").append(d);
            }
            if (!comment && r.nextInt(5) == 0) {
                out.append(' ').append(flowValue(0)).append('\n');
                endMarker();
                return;
            }
            out.append('\n');
        }
        switch (r.nextInt(12)) {
            case 0 -> out.append(r.nextBoolean() ? "" : "# only a comment\n");
            case 1 -> out.append(scalar()).append('\n');
            case 2 -> blockSequence(0, 0);
            case 3 -> out.append(flowValue(0)).append('\n');
            default -> blockMapping(0, 0);
        }
        endMarker();
    }

    private void endMarker() {
        if (r.nextInt(6) == 0) {
            out.append("...\n");
        }
        if (r.nextInt(5) == 0) {
            out.append(r.nextBoolean() ? "\n" : "# trailing\n\n");
        }
    }

    private void blockMapping(int indent, int depth) {
        int n = 1 + r.nextInt(depth > 3 ? 2 : 5);
        for (int i = 0; i < n; i++) {
            out.append(" ".repeat(indent));
            if (r.nextInt(10) == 0) {
                out.append("# comment ").append(i).append('\n').append(" ".repeat(indent));
            }
            String key = key();
            if (key.equals("<<") && r.nextBoolean()) {
                out.append("<<: ");
                if (r.nextBoolean()) {
                    out.append(flowMapping(depth + 1)).append('\n');
                } else {
                    out.append('[').append(flowMapping(depth + 1)).append(", ").append(flowMapping(depth + 1))
                            .append("]\n");
                }
                continue;
            }
            if (composerOnly && r.nextInt(25) == 0) {
                out.append("? ").append(flowSequence(depth + 1)).append('\n').append(" ".repeat(indent)).append(": ")
                        .append(scalar()).append('\n');
                continue;
            }
            out.append(key).append(':');
            value(indent, depth, false);
        }
    }

    private void blockSequence(int indent, int depth) {
        int n = 1 + r.nextInt(depth > 3 ? 2 : 4);
        for (int i = 0; i < n; i++) {
            out.append(" ".repeat(indent)).append('-');
            if (r.nextInt(4) == 0 && depth < 6) {
                // compact mapping in a sequence item
                out.append(' ');
                int len = out.length();
                blockMapping(indent + 2, depth + 1);
                // the first key sits right after "- ": drop its indentation
                int firstIndent = 0;
                while (len + firstIndent < out.length() && out.charAt(len + firstIndent) == ' '
                        && firstIndent < indent + 2) {
                    firstIndent++;
                }
                out.delete(len, len + firstIndent);
                continue;
            }
            value(indent, depth, true);
        }
    }

    /** Writes a value after "key:" or "-": inline scalar, flow, block collection, block scalar or nothing. */
    private void value(int indent, int depth, boolean inSequence) {
        int kind = depth > 5 ? r.nextInt(4) : r.nextInt(9);
        String anchor = anchor();
        switch (kind) {
            case 0 -> out.append(r.nextInt(4) == 0 ? "" : " " + anchor + scalar()).append(comment()).append('\n');
            case 1 -> out.append(' ').append(anchor).append(flowValue(depth + 1)).append('\n');
            case 2 -> out.append(' ').append(alias()).append('\n');
            case 3 -> blockScalar(indent);
            case 4, 5 -> {
                out.append(anchor.isEmpty() ? "" : " " + anchor.trim()).append(comment()).append('\n');
                blockMapping(indent + 2, depth + 1);
            }
            default -> {
                out.append(anchor.isEmpty() ? "" : " " + anchor.trim()).append('\n');
                blockSequence(inSequence || r.nextBoolean() ? indent + 2 : indent, depth + 1);
            }
        }
    }

    private void blockScalar(int indent) {
        out.append(' ').append(r.nextBoolean() ? '|' : '>');
        String chomp = new String[] {"", "-", "+", "2", "2-"}[r.nextInt(5)];
        out.append(chomp).append('\n');
        int extra = chomp.startsWith("2") ? 2 : 2 + r.nextInt(2);
        int lines = 1 + r.nextInt(3);
        for (int i = 0; i < lines; i++) {
            if (r.nextInt(5) == 0) {
                out.append('\n');
            }
            out.append(" ".repeat(indent + extra)).append(PLAIN[r.nextInt(PLAIN.length)]).append(" text\n");
        }
        if (r.nextInt(3) == 0) {
            out.append('\n');
        }
    }

    private String flowValue(int depth) {
        return switch (depth > 4 ? 0 : r.nextInt(4)) {
            case 1 -> flowMapping(depth);
            case 2 -> flowSequence(depth);
            default -> flowScalar();
        };
    }

    private String flowMapping(int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ");
            String k = key();
            if (k.isEmpty() || k.startsWith("~") || k.equals("<<") && r.nextBoolean()) {
                k = quoted(k);
            }
            if (composerOnly && r.nextInt(20) == 0) {
                k = "[" + flowScalar() + "]";
            }
            b.append(k).append(": ").append(r.nextInt(6) == 0 ? "" : flowValue(depth + 1));
        }
        return b.append(r.nextInt(8) == 0 && n > 0 ? ",}" : "}").toString();
    }

    private String flowSequence(int depth) {
        StringBuilder b = new StringBuilder("[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(anchor()).append(flowValue(depth + 1));
        }
        return b.append(']').toString();
    }

    private String key() {
        String k = KEYS[r.nextInt(KEYS.length)];
        if (k.isEmpty() || r.nextInt(6) == 0) {
            return quoted(k);
        }
        return k;
    }

    /** A scalar for a flow collection: plain scalars with flow indicators are quoted. */
    private String flowScalar() {
        String s = scalar();
        return s.contains("{") || s.contains("[") ? quoted(s) : s;
    }

    private String scalar() {
        String v = PLAIN[r.nextInt(PLAIN.length)];
        int style = r.nextInt(10);
        String tag = r.nextInt(12) == 0 ? TAGS[r.nextInt(TAGS.length)] : "";
        if (style == 0) {
            return tag + quoted(v);
        }
        if (style == 1) {
            return tag + "'" + v.replace("'", "''") + "'";
        }
        if (style == 2) {
            return tag + "\"" + v + "\\t\\u00e9\\\"" + (r.nextBoolean() ? "\\U0001F600" : "") + "\"";
        }
        if (v.startsWith("?") || v.startsWith("!") || v.startsWith("-") && v.length() > 1 && !Character.isDigit(
                v.charAt(1)) && v.charAt(1) != '.' || v.equals("<<") || v.equals("-")) {
            return tag + quoted(v);
        }
        return tag + v;
    }

    private static String quoted(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String comment() {
        return r.nextInt(8) == 0 ? " # note" : "";
    }

    private String anchor() {
        if (!composerOnly || r.nextInt(15) != 0) {
            return "";
        }
        return "&a" + anchors++ + " ";
    }

    private String alias() {
        if (anchors == 0 || r.nextInt(3) != 0) {
            return scalar();
        }
        return "*a" + r.nextInt(anchors + 1);
    }
}
