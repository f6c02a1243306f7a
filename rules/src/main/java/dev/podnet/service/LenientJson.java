package dev.podnet.service;

import java.util.ArrayList;
import java.util.List;

/**
 * A forgiving JSON reader for editor features on text that is being typed: it never fails, reads unterminated
 * strings up to the end of their line, closes unclosed objects/arrays at the end of the text, skips stray
 * punctuation and accepts bare words (so {@code {"type": "bridge", hai}} yields a member {@code hai} without a
 * value). Offsets are UTF-16 indexes into the text. Nesting deeper than {@link #MAX_DEPTH} is not descended into.
 *
 * <p>Strict parsing and the findings about syntax stay with {@link dev.podnet.source.JsonSourceParser}; this
 * reader only finds "where is the cursor" for hover, completion and quick fixes.
 */
public final class LenientJson {
    /** Deepest nesting read. */
    public static final int MAX_DEPTH = 200;

    /** A value in the tree; {@code end} is exclusive. */
    public sealed interface Node permits Obj, Arr, Scalar {
        int start();

        int end();
    }

    /** An object: its members in text order; {@code closed} is false when its '}' is missing. */
    public record Obj(int start, int end, boolean closed, List<Member> members, List<Integer> commas)
            implements Node {
        /** The first member with this key. */
        public Member member(String key) {
            for (Member m : members) {
                if (key.equals(m.key())) {
                    return m;
                }
            }
            return null;
        }

        /** The string value of a member, or null when absent or not a string. */
        public String string(String key) {
            Member m = member(key);
            return m != null && m.value() instanceof Scalar s ? s.string() : null;
        }
    }

    /** An array: its items in text order. */
    public record Arr(int start, int end, boolean closed, List<Node> items) implements Node {
    }

    /**
     * A scalar token: a string ({@code string} holds its content) or a bare word such as {@code true}, a number
     * or a typo ({@code string} is null). {@code closed} is false for a string missing its closing quote.
     */
    public record Scalar(int start, int end, String raw, String string, boolean closed) implements Node {
    }

    /**
     * An object member. {@code key} is the unquoted key; {@code colon} the offset of the ':' (-1 when not typed
     * yet); {@code value} null when not typed yet.
     */
    public record Member(String key, int keyStart, int keyEnd, boolean keyQuoted, boolean keyClosed, int colon,
                         Node value) {
    }

    /** What lies under a cursor. */
    public enum Where {
        /** On a key, or where a new key would go (after '{' or ','). */
        KEY,
        /** On a member's value, or where it would go (after the ':'). */
        VALUE,
        /** Anywhere else (inside an array between items, outside the top-level value). */
        OTHER
    }

    /**
     * The cursor's context.
     *
     * @param path       keys (String) and indexes (Integer) from the root to {@code container}
     * @param containers the objects/arrays from the root down to the innermost one holding the cursor
     * @param where      key, value or other
     * @param member     the member whose key or value holds the cursor (null at an empty key position)
     */
    public record Context(List<Object> path, List<Node> containers, Where where, Member member) {
        /** The innermost container, or null when the cursor is outside the top-level value. */
        public Node container() {
            return containers.isEmpty() ? null : containers.get(containers.size() - 1);
        }
    }

    private enum T { LBRACE, RBRACE, LBRACK, RBRACK, COLON, COMMA, STRING, WORD, EOF }

    private record Tok(T type, int start, int end, String value, boolean closed) {
    }

    private final String text;
    private final List<Tok> toks = new ArrayList<>();
    private int pos;

    private LenientJson(String text) {
        this.text = text;
    }

    /** Reads the top-level value of {@code text}; null when the text holds no value. */
    public static Node parse(String text) {
        LenientJson p = new LenientJson(text == null ? "" : text);
        p.lex();
        return p.value(0);
    }

    /** The context of the cursor at {@code offset} in the tree {@code root} (which may be null). */
    public static Context at(Node root, int offset) {
        List<Object> path = new ArrayList<>();
        List<Node> containers = new ArrayList<>();
        Node n = root;
        while (n != null) {
            if (!inside(n, offset)) {
                break;
            }
            containers.add(n);
            if (n instanceof Obj o) {
                Member found = null;
                for (int i = 0; i < o.members().size(); i++) {
                    Member m = o.members().get(i);
                    if (m.keyStart() <= offset && offset <= m.keyEnd()) {
                        return new Context(path, containers, Where.KEY, m);
                    }
                    if (m.value() != null && m.value().start() <= offset && offset <= m.value().end()) {
                        found = m;
                        break;
                    }
                    if (m.value() == null && m.colon() >= 0 && m.colon() < offset
                            && !commaBetween(o, m.colon(), offset) && (i + 1 >= o.members().size()
                            || offset <= o.members().get(i + 1).keyStart())) {
                        return new Context(path, containers, Where.VALUE, m);
                    }
                }
                if (found == null) {
                    return new Context(path, containers, Where.KEY, null);
                }
                if (found.value() instanceof Scalar || !inside(found.value(), offset)) {
                    return new Context(path, containers, Where.VALUE, found);
                }
                path.add(found.key());
                n = found.value();
            } else if (n instanceof Arr a) {
                Node next = null;
                for (int i = 0; i < a.items().size(); i++) {
                    Node item = a.items().get(i);
                    if (!(item instanceof Scalar) && inside(item, offset)) {
                        path.add(i);
                        next = item;
                        break;
                    }
                }
                if (next == null) {
                    return new Context(path, containers, Where.OTHER, null);
                }
                n = next;
            } else {
                break;
            }
        }
        return new Context(path, containers, Where.OTHER, null);
    }

    /** The node at a path of keys/indexes from {@code root}, or null. */
    public static Node resolve(Node root, List<Object> path) {
        Node n = root;
        for (Object step : path) {
            if (n instanceof Obj o && step instanceof String k) {
                Member m = o.member(k);
                n = m == null ? null : m.value();
            } else if (n instanceof Arr a && step instanceof Integer i) {
                n = i < a.items().size() ? a.items().get(i) : null;
            } else {
                return null;
            }
        }
        return n;
    }

    /**
     * The tree as Jackson nodes, for look-ups that take a {@code JsonNode}: objects and arrays as such (a member
     * with no key or no value yet is left out; for a repeated key the first wins, as {@link Obj#member} reads),
     * strings as text, {@code true}/{@code false}/{@code null} and JSON numbers as such, any other bare word as
     * text.
     */
    public static com.fasterxml.jackson.databind.JsonNode toJson(Node n) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (n instanceof Obj o) {
            var out = f.objectNode();
            for (Member m : o.members()) {
                if (m.key() != null && m.value() != null && !out.has(m.key())) {
                    out.set(m.key(), toJson(m.value()));
                }
            }
            return out;
        }
        if (n instanceof Arr a) {
            var out = f.arrayNode();
            a.items().forEach(i -> out.add(toJson(i)));
            return out;
        }
        Scalar s = (Scalar) n;
        if (s.string() != null) {
            return f.textNode(s.string());
        }
        switch (s.raw()) {
            case "true" -> {
                return f.booleanNode(true);
            }
            case "false" -> {
                return f.booleanNode(false);
            }
            case "null" -> {
                return f.nullNode();
            }
            default -> {
                if (s.raw().matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                    return f.numberNode(new java.math.BigDecimal(s.raw()));
                }
                return f.textNode(s.raw());
            }
        }
    }

    private static boolean commaBetween(Obj o, int from, int to) {
        for (int c : o.commas()) {
            if (c >= from && c < to) {
                return true;
            }
        }
        return false;
    }

    /** True when the cursor lies strictly inside a container's brackets. */
    private static boolean inside(Node n, int offset) {
        if (n instanceof Scalar) {
            return n.start() <= offset && offset <= n.end();
        }
        boolean closed = n instanceof Obj o ? o.closed() : ((Arr) n).closed();
        return n.start() < offset && (closed ? offset < n.end() : offset <= n.end());
    }

    private void lex() {
        int i = 0;
        int len = text.length();
        while (i < len) {
            char c = text.charAt(i);
            switch (c) {
                case '{' -> toks.add(new Tok(T.LBRACE, i, ++i, null, true));
                case '}' -> toks.add(new Tok(T.RBRACE, i, ++i, null, true));
                case '[' -> toks.add(new Tok(T.LBRACK, i, ++i, null, true));
                case ']' -> toks.add(new Tok(T.RBRACK, i, ++i, null, true));
                case ':' -> toks.add(new Tok(T.COLON, i, ++i, null, true));
                case ',' -> toks.add(new Tok(T.COMMA, i, ++i, null, true));
                case '"' -> i = string(i);
                default -> {
                    if (Character.isWhitespace(c)) {
                        i++;
                    } else {
                        int s = i;
                        while (i < len && "{}[]:,\"".indexOf(text.charAt(i)) < 0
                                && !Character.isWhitespace(text.charAt(i))) {
                            i++;
                        }
                        toks.add(new Tok(T.WORD, s, i, text.substring(s, i), true));
                    }
                }
            }
        }
        toks.add(new Tok(T.EOF, len, len, null, true));
    }

    private int string(int start) {
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        int len = text.length();
        while (i < len) {
            char c = text.charAt(i);
            if (c == '"') {
                toks.add(new Tok(T.STRING, start, i + 1, sb.toString(), true));
                return i + 1;
            }
            if (c == '\n' || c == '\r') {
                break;
            }
            if (c == '\\' && i + 1 < len) {
                char e = text.charAt(i + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 5 < len && text.substring(i + 2, i + 6).chars().allMatch(
                                ch -> Character.digit(ch, 16) >= 0)) {
                            sb.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                            i += 4;
                        } else {
                            sb.append('u');
                        }
                    }
                    default -> sb.append(e);
                }
                i += 2;
            } else {
                sb.append(c);
                i++;
            }
        }
        toks.add(new Tok(T.STRING, start, i, sb.toString(), false));
        return i;
    }

    private Tok peek() {
        return toks.get(pos);
    }

    private Node value(int depth) {
        Tok t = peek();
        switch (t.type()) {
            case LBRACE -> {
                return object(depth);
            }
            case LBRACK -> {
                return array(depth);
            }
            case STRING -> {
                pos++;
                return new Scalar(t.start(), t.end(), text.substring(t.start(), t.end()), t.value(), t.closed());
            }
            case WORD -> {
                pos++;
                return new Scalar(t.start(), t.end(), t.value(), null, true);
            }
            default -> {
                return null;
            }
        }
    }

    /** Skips a container too deep to read, keeping bracket balance; returns it as an empty container. */
    private Node skip(Tok open) {
        int level = 0;
        while (peek().type() != T.EOF) {
            Tok t = toks.get(pos++);
            if (t.type() == T.LBRACE || t.type() == T.LBRACK) {
                level++;
            } else if (t.type() == T.RBRACE || t.type() == T.RBRACK) {
                if (--level == 0) {
                    return open.type() == T.LBRACE ? new Obj(open.start(), t.end(), true, List.of(), List.of())
                            : new Arr(open.start(), t.end(), true, List.of());
                }
            }
        }
        return open.type() == T.LBRACE ? new Obj(open.start(), text.length(), false, List.of(), List.of())
                : new Arr(open.start(), text.length(), false, List.of());
    }

    private Node object(int depth) {
        Tok open = peek();
        if (depth >= MAX_DEPTH) {
            return skip(open);
        }
        pos++;
        List<Member> members = new ArrayList<>();
        List<Integer> commas = new ArrayList<>();
        while (true) {
            Tok t = peek();
            switch (t.type()) {
                case EOF -> {
                    return new Obj(open.start(), text.length(), false, members, commas);
                }
                case RBRACE -> {
                    pos++;
                    return new Obj(open.start(), t.end(), true, members, commas);
                }
                case RBRACK -> {
                    return new Obj(open.start(), t.start(), false, members, commas);
                }
                case COMMA -> {
                    commas.add(t.start());
                    pos++;
                }
                case COLON -> pos++;
                case STRING, WORD -> {
                    pos++;
                    int colon = -1;
                    Node v = null;
                    if (peek().type() == T.COLON) {
                        colon = peek().start();
                        pos++;
                        v = value(depth + 1);
                    }
                    members.add(new Member(t.value(), t.start(), t.end(), t.type() == T.STRING, t.closed(), colon,
                            v));
                }
                default -> value(depth + 1); // a container where a key should be: read and drop it
            }
        }
    }

    private Node array(int depth) {
        Tok open = peek();
        if (depth >= MAX_DEPTH) {
            return skip(open);
        }
        pos++;
        List<Node> items = new ArrayList<>();
        while (true) {
            Tok t = peek();
            switch (t.type()) {
                case EOF -> {
                    return new Arr(open.start(), text.length(), false, items);
                }
                case RBRACK -> {
                    pos++;
                    return new Arr(open.start(), t.end(), true, items);
                }
                case RBRACE -> {
                    return new Arr(open.start(), t.start(), false, items);
                }
                case COMMA, COLON -> pos++;
                default -> {
                    Node v = value(depth + 1);
                    if (v != null) {
                        items.add(v);
                    } else {
                        pos++;
                    }
                }
            }
        }
    }
}
