package dev.podnet.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses strict JSON (RFC 8259, as Go's {@code encoding/json} reads CNI configs: no comments, no trailing
 * commas) with Jackson's streaming parser, keeping the range of every value and key.
 *
 * <p>Findings: {@code SYN001} (error) for a syntax error, with a plain message and a repair hint for the common
 * slips (trailing comma, missing quote, missing comma, truncated file); {@code SYN002} (warning) for a duplicate
 * key, which Go keeps silently (the last value wins). Never throws for bad input.
 */
public final class JsonSourceParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Limits.MAX_DEPTH + 1).build())
            .build();

    private final SourceText src;
    private final Map<String, Range> values = new HashMap<>();
    private final Map<String, Range> keys = new HashMap<>();
    private final List<Diagnostic> diags = new ArrayList<>();
    private String lastKey;

    private JsonSourceParser(SourceText src) {
        this.src = src;
    }

    /** Parses one JSON text into at most one {@link SourceDoc}. */
    public static ParseResult parse(SourceText src) {
        return new JsonSourceParser(src).run();
    }

    private ParseResult run() {
        try (JsonParser p = FACTORY.createParser(src.text())) {
            JsonToken t = p.nextToken();
            if (t == null) {
                diags.add(new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, "SYN001",
                        "empty file: expected a JSON object; add the network configuration or delete the file"));
                return new ParseResult(src, List.of(), diags);
            }
            JsonNode root = value(p, "", 1);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                int off = (int) p.currentTokenLocation().getCharOffset();
                diags.add(new Diagnostic(src.path(), src.range(off, off + 1), Severity.ERROR, "SYN001",
                        "invalid JSON: unexpected content after the end of the top-level value; "
                                + "remove it or wrap the values in one object"));
                return new ParseResult(src, List.of(), diags);
            }
            SourceDoc doc = new SourceDoc(src, 0, root, Collections.unmodifiableMap(values),
                    Collections.unmodifiableMap(keys),
                    src.range(0, src.text().length()));
            return new ParseResult(src, List.of(doc), diags);
        } catch (TooDeep | StreamConstraintsException e) {
            // The own depth count (TooDeep) fires first and knows the bracket; Jackson's constraint, set one level
            // higher, is the backstop and carries no location in Jackson 2.18.
            int off = e instanceof TooDeep td ? td.offset : offsetOf(((StreamConstraintsException) e).getLocation());
            diags.add(new Diagnostic(src.path(), src.range(off, off + 1), Severity.ERROR, "SYN004",
                    "nesting deeper than " + Limits.MAX_DEPTH + " levels; podnet stops reading this file "
                            + "(no CNI config or manifest nests this deep)"));
            return new ParseResult(src, List.of(), diags);
        } catch (JsonProcessingException e) {
            diags.add(syntaxError(e));
            return new ParseResult(src, List.of(), diags);
        } catch (IOException e) {
            diags.add(new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, "SYN001",
                    "could not read JSON: " + e.getMessage()));
            return new ParseResult(src, List.of(), diags);
        }
    }

    /** Thrown when a '[' or '{' opens a level past {@link Limits#MAX_DEPTH}; carries that bracket's offset. */
    private static final class TooDeep extends RuntimeException {
        final int offset;

        TooDeep(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    private JsonNode value(JsonParser p, String pointer, int depth) throws IOException {
        JsonToken t = p.currentToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (depth > Limits.MAX_DEPTH && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
            throw new TooDeep(start);
        }
        JsonNode node;
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    lastKey = name;
                    int ks = (int) p.currentTokenLocation().getCharOffset();
                    Range keyRange = src.range(ks, scalarEnd(ks));
                    String childPtr = SourceDoc.child(pointer, name);
                    if (o.has(name)) {
                        diags.add(new Diagnostic(src.path(), keyRange, Severity.WARNING, "SYN002",
                                "duplicate key \"" + name + "\": the runtime keeps only the last value; "
                                        + "remove one of the two", List.of(new Diagnostic.Related(src.path(),
                                keys.get(childPtr), "first \"" + name + "\" here"))));
                    }
                    keys.put(childPtr, keyRange);
                    p.nextToken();
                    o.set(name, value(p, childPtr, depth + 1));
                }
                int end = (int) p.currentTokenLocation().getCharOffset() + 1;
                values.put(pointer, src.range(start, end));
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, SourceDoc.child(pointer, i++), depth + 1));
                }
                int end = (int) p.currentTokenLocation().getCharOffset() + 1;
                values.put(pointer, src.range(start, end));
                return a;
            }
            case VALUE_STRING -> node = JsonNodeFactory.instance.textNode(p.getText());
            case VALUE_NUMBER_INT -> node = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? JsonNodeFactory.instance.numberNode(p.getBigIntegerValue())
                    : p.getNumberType() == JsonParser.NumberType.INT
                    ? JsonNodeFactory.instance.numberNode(p.getIntValue())
                    : JsonNodeFactory.instance.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> node = JsonNodeFactory.instance.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> node = JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> node = JsonNodeFactory.instance.booleanNode(false);
            case VALUE_NULL -> node = JsonNodeFactory.instance.nullNode();
            default -> throw new IllegalStateException("unexpected token " + t);
        }
        values.put(pointer, src.range(start, scalarEnd(start)));
        return node;
    }

    /** End offset (exclusive) of the scalar token starting at {@code start}, found by scanning the text. */
    private int scalarEnd(int start) {
        String s = src.text();
        if (start < s.length() && s.charAt(start) == '"') {
            int i = start + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == '"') {
                    return i + 1;
                } else if (c == '\n') {
                    return i;
                } else {
                    i++;
                }
            }
            return s.length();
        }
        int i = start;
        while (i < s.length() && ",}] \t\r\n:".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return Math.max(i, start + 1);
    }

    private int offsetOf(JsonLocation loc) {
        if (loc == null) {
            return 0;
        }
        long off = loc.getCharOffset();
        if (off >= 0) {
            return (int) Math.min(off, src.text().length());
        }
        return src.offset(loc.getLineNr() - 1, loc.getColumnNr() - 1);
    }

    private Diagnostic syntaxError(JsonProcessingException e) {
        String s = src.text();
        int off = offsetOf(e.getLocation());
        String orig = String.valueOf(e.getOriginalMessage());
        // Jackson reports the location after the offending character for some errors: step back onto it.
        if (off >= s.length() && !s.isEmpty()) {
            off = s.length();
        }
        int prev = off - 1;
        while (prev >= 0 && Character.isWhitespace(s.charAt(prev))) {
            prev--;
        }
        char at = off < s.length() ? s.charAt(off) : 0;
        String msg;
        int start = off;
        int end = Math.min(off + 1, s.length());
        if (orig.contains("end-of-input") || orig.contains("Unexpected end")) {
            msg = "invalid JSON: the file ends before the value is complete (truncated file or a missing '}' "
                    + "or ']'); the runtime reports \"unexpected end of JSON input\" and ignores this file";
        } else if (prev >= 0 && s.charAt(prev) == ',' && (at == '}' || at == ']')) {
            msg = "invalid JSON: trailing comma before '" + at + "'; remove the comma (JSON does not allow it)";
            start = prev;
            end = prev + 1;
        } else if (orig.contains("was expecting a colon")) {
            String key = precedingString(s, prev);
            if (key == null) {
                key = lastKey == null ? "" : lastKey;
            }
            if (key.contains(":") || key.contains(",")) {
                String bare = key.split("[:,]", 2)[0].trim();
                msg = "invalid JSON: expected ':' after a key; the key \"" + bare + " is missing its closing quote, "
                        + "so the runtime ignores this file; write \"" + bare + "\":";
            } else {
                msg = "invalid JSON: expected ':' after the key \"" + key + "\"; add the colon";
            }
        } else if (orig.contains("was expecting comma") || orig.contains("was expecting comma to separate")) {
            msg = "invalid JSON: missing ',' between two values; add a comma before this value";
        } else if (orig.contains("was expecting double-quote to start field name")) {
            msg = at == '\'' ? "invalid JSON: keys need double quotes, not single quotes"
                    : "invalid JSON: expected a key in double quotes; quote the key";
        } else if (orig.contains("Unrecognized token") || orig.contains("Unexpected character")) {
            msg = at == '\'' ? "invalid JSON: strings need double quotes, not single quotes"
                    : at == '/' || at == '#' ? "invalid JSON: comments are not allowed in CNI configs; remove them"
                    : "invalid JSON: unexpected character " + describe(at)
                      + "; check quotes, commas and brackets around here";
        } else if (orig.contains("Illegal unquoted character")) {
            msg = "invalid JSON: a string contains a raw control character (a line break or tab inside quotes?); "
                    + "close the string or escape the character";
        } else {
            msg = "invalid JSON: " + firstLine(orig);
        }
        return new Diagnostic(src.path(), src.range(start, end), Severity.ERROR, "SYN001", msg);
    }

    /** The content of the string literal whose closing quote is at {@code close}, or null. */
    private static String precedingString(String s, int close) {
        if (close < 0 || s.charAt(close) != '"') {
            return null;
        }
        int i = close - 1;
        while (i >= 0 && s.charAt(i) != '\n') {
            if (s.charAt(i) == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                return s.substring(i + 1, close);
            }
            i--;
        }
        return null;
    }

    private static String describe(char c) {
        if (c == 0) {
            return "(end of file)";
        }
        return c < 32 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
