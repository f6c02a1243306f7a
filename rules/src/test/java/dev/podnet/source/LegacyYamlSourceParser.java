package dev.podnet.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A frozen copy of {@code YamlSourceParser} as it was before it read parser events directly (commit 1b72313):
 * snakeyaml-engine's {@code Composer} builds the node tree, then {@code convert} walks it. Kept in the test sources
 * only as the oracle of {@code YamlParserEquivalenceTest} and for before/after figures in
 * {@code dev.podnet.bench.YamlParseBenchmark}. One behaviour was changed in both parsers since: a key written after
 * a merge key ({@code <<}) that brought the same key overrides the merged value without a duplicate-key finding
 * (YAML merge key type). Otherwise never change its behaviour.
 */
public final class LegacyYamlSourceParser {
    private final SourceText src;
    private final boolean hasSurrogates;
    private final List<Diagnostic> diags = new ArrayList<>();
    private Map<String, Range> values;
    private Map<String, Range> keys;
    private int nodeBudget;
    private final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();

    private LegacyYamlSourceParser(SourceText src) {
        this.src = src;
        String t = src.text();
        boolean s = false;
        for (int i = 0; i < t.length() && !s; i++) {
            s = Character.isSurrogate(t.charAt(i));
        }
        this.hasSurrogates = s;
    }

    /** Parses the whole stream; see the class comment for the findings. */
    public static ParseResult parse(SourceText src) {
        return new LegacyYamlSourceParser(src).run();
    }

    private static final class LimitExceeded extends RuntimeException {
        final Node node;

        LimitExceeded(String msg, Node node) {
            super(msg, null, false, false);
            this.node = node;
        }
    }

    private ParseResult run() {
        List<SourceDoc> docs = new ArrayList<>();
        int flowDepthAt = flowDepthExceeded(src.text());
        if (flowDepthAt >= 0) {
            diags.add(new Diagnostic(src.path(), src.range(flowDepthAt, flowDepthAt + 1), Severity.ERROR, "SYN004",
                    "nesting deeper than " + Limits.MAX_DEPTH + " levels; podnet stops reading this file "
                            + "(no manifest nests this deep)"));
            return new ParseResult(src, docs, diags);
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(src.path())
                .setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(Limits.MAX_YAML_ALIASES)
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Limits.MAX_FILE_BYTES))
                .setUseMarks(true)
                // A buffer the size of the text: snakeyaml-engine's StreamReader copies its window on every refill,
                // which is quadratic for one very long scalar (a 10 MB annotation) with the 1 KiB default.
                .setBufferSize(Math.max(1024, Math.min(src.text().length() + 1, 16 * 1024 * 1024)))
                .setSchema(new CoreSchema())
                .build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings,
                    src.text())));
            int index = 0;
            boolean anchors = src.text().indexOf('&') >= 0;
            while (composer.hasNext()) {
                Node node = composer.next();
                values = new HashMap<>();
                keys = new HashMap<>();
                nodeBudget = Limits.MAX_YAML_NODES;
                // Without an anchor ('&') in the text there is no alias, so nothing can expand: skip both walks.
                long unique = anchors ? uniqueNodes(node, new IdentityHashMap<>()) : 0;
                long expanded = anchors ? expandedSize(node, new IdentityHashMap<>()) : 0;
                if (anchors && expanded > Limits.MAX_YAML_NODES || expanded > 10 * unique + 100_000) {
                    throw new LimitExceeded("this document expands to " + (expanded >= Long.MAX_VALUE / 4 ? "billions of"
                            : String.valueOf(expanded)) + " values once YAML aliases are followed (an alias bomb?); "
                            + "podnet stops reading it", node);
                }
                JsonNode root;
                if (node instanceof ScalarNode sn && sn.getTag().equals(Tag.NULL)) {
                    root = MissingNode.getInstance();
                    values.put("", range(node));
                } else {
                    root = convert(node, "", 0);
                }
                docs.add(new SourceDoc(src, index++, root, values, keys, range(node)));
            }
        } catch (LimitExceeded e) {
            diags.add(new Diagnostic(src.path(), e.node == null ? Range.FILE_START : startOnly(e.node),
                    Severity.ERROR, "SYN004", e.getMessage()));
        } catch (MarkedYamlEngineException e) {
            diags.add(syntaxError(e));
        } catch (YamlEngineException e) {
            String m = String.valueOf(e.getMessage());
            boolean aliases = m.contains("aliases") || m.contains("alias");
            diags.add(new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, aliases ? "SYN004" : "SYN001",
                    aliases ? "too many YAML aliases (more than " + Limits.MAX_YAML_ALIASES + "): podnet refuses "
                            + "alias bombs; expand the aliases or split the file"
                            : "invalid YAML: " + firstLine(m)));
        } catch (StackOverflowError e) {
            diags.add(new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, "SYN004",
                    "nesting too deep to read; podnet stops reading this file"));
        }
        return new ParseResult(src, docs, diags);
    }

    /** Number of distinct nodes (aliases counted once). */
    private static long uniqueNodes(Node node, IdentityHashMap<Node, Boolean> seen) {
        if (seen.put(node, Boolean.TRUE) != null) {
            return 0;
        }
        long n = 1;
        if (node instanceof SequenceNode seq) {
            for (Node c : seq.getValue()) {
                n += uniqueNodes(c, seen);
            }
        } else if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                n += uniqueNodes(t.getKeyNode(), seen) + uniqueNodes(t.getValueNode(), seen);
            }
        }
        return n;
    }

    /** Number of values once aliases are followed, saturating; a recursive alias counts as unbounded. */
    private static long expandedSize(Node node, IdentityHashMap<Node, Long> memo) {
        Long known = memo.get(node);
        if (known != null) {
            return known < 0 ? Long.MAX_VALUE / 2 : known;
        }
        if (node instanceof ScalarNode) {
            return 1;
        }
        memo.put(node, -1L);
        long n = 1;
        if (node instanceof SequenceNode seq) {
            for (Node c : seq.getValue()) {
                n = Math.min(Long.MAX_VALUE / 2, n + expandedSize(c, memo));
            }
        } else if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                n = Math.min(Long.MAX_VALUE / 2, n + 1 + expandedSize(t.getValueNode(), memo));
            }
        }
        memo.put(node, n);
        return n;
    }

    /** Offset where flow-collection nesting ({@code [} / {@code {}) first exceeds the limit, or -1. */
    static int flowDepthExceeded(String t) {
        int depth = 0;
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (comment) {
                if (c == '\n') {
                    comment = false;
                }
                continue;
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
                continue;
            }
            switch (c) {
                case '"', '\'' -> quote = c;
                case '#' -> comment = i == 0 || Character.isWhitespace(t.charAt(i - 1));
                case '[', '{' -> {
                    if (++depth > Limits.MAX_DEPTH) {
                        return i;
                    }
                }
                case ']', '}' -> depth = Math.max(0, depth - 1);
                default -> {
                }
            }
        }
        return -1;
    }

    private JsonNode convert(Node node, String pointer, int depth) {
        if (--nodeBudget < 0) {
            throw new LimitExceeded("this document expands to more than " + Limits.MAX_YAML_NODES
                    + " values once YAML aliases are followed (an alias bomb?); podnet stops reading it", node);
        }
        if (depth > Limits.MAX_DEPTH) {
            throw new LimitExceeded("nesting deeper than " + Limits.MAX_DEPTH + " levels; podnet stops reading this "
                    + "file", node);
        }
        values.putIfAbsent(pointer, range(node));
        if (node instanceof ScalarNode s) {
            return scalar(s);
        }
        if (inProgress.put(node, Boolean.TRUE) != null) {
            throw new LimitExceeded("recursive YAML alias (a collection that contains itself); remove the alias",
                    node);
        }
        try {
            if (node instanceof SequenceNode seq) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                for (Node item : seq.getValue()) {
                    a.add(convert(item, SourceDoc.child(pointer, i++), depth + 1));
                }
                return a;
            }
            MappingNode map = (MappingNode) node;
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            java.util.Set<String> mergedOnly = new java.util.HashSet<>();
            for (NodeTuple t : map.getValue()) {
                Node k = t.getKeyNode();
                String name = k instanceof ScalarNode ks ? ks.getValue() : "?";
                if ("<<".equals(name) && k instanceof ScalarNode ks && ks.isPlain()) {
                    JsonNode merged = convert(t.getValueNode(), pointer, depth + 1);
                    mergeInto(o, merged, mergedOnly);
                    continue;
                }
                String childPtr = SourceDoc.child(pointer, name);
                Range keyRange = range(k);
                if (o.has(name) && !mergedOnly.remove(name)) {
                    Range first = keys.get(childPtr);
                    diags.add(new Diagnostic(src.path(), keyRange, Severity.WARNING, "SYN002",
                            "duplicate key \"" + name + "\": kubectl refuses the file (strict validation, its default) and "
                        + "tools that accept it keep only the last value; remove one of the two",
                            first == null ? List.of()
                                    : List.of(new Diagnostic.Related(src.path(), first, "first \"" + name + "\" here"))));
                }
                keys.put(childPtr, keyRange);
                values.remove(childPtr);
                o.set(name, convert(t.getValueNode(), childPtr, depth + 1));
            }
            return o;
        } finally {
            inProgress.remove(node);
        }
    }

    private static void mergeInto(ObjectNode target, JsonNode merged, java.util.Set<String> added) {
        if (merged instanceof ObjectNode m) {
            m.fields().forEachRemaining(e -> {
                if (!target.has(e.getKey())) {
                    target.set(e.getKey(), e.getValue());
                    added.add(e.getKey());
                }
            });
        } else if (merged instanceof ArrayNode arr) {
            arr.forEach(item -> mergeInto(target, item, added));
        }
    }

    private JsonNode scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            if (tag.equals(Tag.NULL)) {
                return f.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return f.booleanNode(v.toLowerCase(Locale.ROOT).equals("true"));
            }
            if (tag.equals(Tag.INT)) {
                String t = v.replace("_", "");
                boolean neg = t.startsWith("-");
                String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
                BigInteger n = body.startsWith("0x") ? new BigInteger(body.substring(2), 16)
                        : body.startsWith("0o") ? new BigInteger(body.substring(2), 8) : new BigInteger(body);
                n = neg ? n.negate() : n;
                // int-sized values become IntNode, as Jackson's own tree reader does (fabric8's IntOrString and
                // other int-typed model fields only accept those)
                return n.bitLength() < 32 ? f.numberNode(n.intValue())
                        : n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
            }
            if (tag.equals(Tag.FLOAT)) {
                String t = v.toLowerCase(Locale.ROOT);
                if (t.contains("inf") || t.contains("nan")) {
                    return f.textNode(v);
                }
                return f.numberNode(new BigDecimal(v));
            }
        } catch (NumberFormatException e) {
            return f.textNode(v);
        }
        return f.textNode(v);
    }

    private Range range(Node n) {
        Optional<Mark> s = n.getStartMark();
        Optional<Mark> e = n.getEndMark();
        if (s.isEmpty()) {
            return Range.FILE_START;
        }
        int sl = s.get().getLine();
        int sc = col(sl, s.get().getColumn());
        if (e.isEmpty()) {
            return new Range(sl, sc, sl, sc);
        }
        int el = e.get().getLine();
        int ec = col(el, e.get().getColumn());
        // Block collections end at the start of the next line; pull the end back to the last content character.
        if (el > sl && ec == 0) {
            int line = el - 1;
            while (line > sl && src.line(line).isBlank()) {
                line--;
            }
            el = line;
            ec = src.line(line).length();
        }
        return new Range(sl, sc, el, ec);
    }

    private Range startOnly(Node n) {
        Range r = range(n);
        return new Range(r.startLine(), r.startChar(), r.startLine(), src.line(r.startLine()).length());
    }

    private int col(int line, int cpCol) {
        return hasSurrogates ? src.codePointColumnToUtf16(line, cpCol) : cpCol;
    }

    private Diagnostic syntaxError(MarkedYamlEngineException e) {
        return YamlSourceParser.syntaxError(src, e, this::col); // the message mapping is not what this oracle checks
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
