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
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses a YAML stream (one or more {@code ---}-separated documents, YAML 1.2 core schema) with snakeyaml-engine,
 * keeping the range of every value and key. Each document becomes one {@link SourceDoc}: a Jackson tree (ints as
 * {@code IntNode}, {@code LongNode} or {@code BigIntegerNode} by size, floats as {@code DecimalNode}, infinities and
 * NaN as text, merge keys {@code <<} applied) plus JSON pointer to range maps.
 *
 * <p>How: a pre-scan of the text refuses flow nesting ({@code [}, {@code {}) deeper than {@link Limits#MAX_DEPTH}.
 * Then the tree and the range maps are built straight from snakeyaml-engine's parser events ({@code ParserImpl}),
 * with no node tree: each scalar's tag is the one snakeyaml-engine's {@code Composer} would give it (explicit tag,
 * else the core schema's resolver, whose regular expressions run only for plain values whose first character one
 * of them accepts). A stream holding an anchor, an alias or a non-scalar key, or a document deeper or larger than
 * {@link Limits}, is read again with the {@code Composer}, whose node tree the alias-bomb, recursion and size checks
 * walk. Both ways give the same documents, ranges and findings (see {@code YamlParserEquivalenceTest}).
 *
 * <p>Findings: {@code SYN001} (error) for a syntax error (tab indentation, bad indentation, unclosed quote or
 * bracket) at the parser's mark with a plain message; {@code SYN002} (warning) for a duplicate key (the API server
 * rejects duplicate keys in strict decoding; kubectl keeps the last), reported once its document was read to the
 * end; {@code SYN004} (error) when the stream exceeds {@link Limits} (aliases, expanded size, nesting). Documents
 * before an error are kept; never throws for bad input.
 */
public final class YamlSourceParser {
    private final SourceText src;
    private final boolean hasSurrogates;
    /** True when the text opens with a byte order mark (U+FEFF), which the parser skips. */
    private final boolean bom;
    private final List<Diagnostic> diags = new ArrayList<>();
    private Map<String, Range> values;
    private Map<String, Range> keys;
    private int nodeBudget;
    private final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();
    /** Core-schema tags of the plain values resolved so far (see {@link #tag}). */
    private final Map<String, Tag> resolved = new HashMap<>();

    private YamlSourceParser(SourceText src, boolean hasSurrogates) {
        this.src = src;
        this.hasSurrogates = hasSurrogates;
        this.bom = src.text().startsWith("\uFEFF");
    }

    /** Parses the whole stream; see the class comment for the findings. */
    public static ParseResult parse(SourceText src) {
        // One copy of the text for the two pre-scans: loops over a char[] cost a fraction of String.charAt loops
        // when the JIT stops at C1, as the CLI launcher has it.
        char[] chars = src.text().toCharArray();
        int flowDepthAt = flowDepthExceeded(chars);
        if (flowDepthAt >= 0) {
            return new ParseResult(src, new ArrayList<>(), new ArrayList<>(List.of(new Diagnostic(src.path(),
                    src.range(flowDepthAt, flowDepthAt + 1), Severity.ERROR, "SYN004", "nesting deeper than "
                    + Limits.MAX_DEPTH + " levels; podnet stops reading this file (no manifest nests this deep)"))));
        }
        boolean surrogates = hasSurrogates(chars);
        ParseResult fromEvents = new YamlSourceParser(src, surrogates).fromEvents();
        return fromEvents != null ? fromEvents : new YamlSourceParser(src, surrogates).fromNodes();
    }

    /** True when {@link #parse} reads this text from parser events, false when it falls back to the Composer. */
    static boolean readsEvents(SourceText src) {
        char[] chars = src.text().toCharArray();
        return flowDepthExceeded(chars) < 0 && new YamlSourceParser(src, hasSurrogates(chars)).fromEvents() != null;
    }

    private static boolean hasSurrogates(char[] t) {
        for (char c : t) {
            if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static final class LimitExceeded extends RuntimeException {
        final Node node;

        LimitExceeded(String msg, Node node) {
            super(msg, null, false, false);
            this.node = node;
        }
    }

    /** The YAML 1.2 core schema; its scalar resolver is read-only once built, so all parses share one. */
    private static final CoreSchema SCHEMA = new CoreSchema();

    private static LoadSettings settings(SourceText src) {
        return LoadSettings.builder()
                .setLabel(src.path())
                .setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(Limits.MAX_YAML_ALIASES)
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Limits.MAX_FILE_BYTES))
                .setUseMarks(true)
                // A buffer the size of the text: snakeyaml-engine's StreamReader copies its window on every refill,
                // which is quadratic for one very long scalar (a 10 MB annotation) with the 1 KiB default.
                .setBufferSize(Math.max(1024, Math.min(src.text().length() + 1, 16 * 1024 * 1024)))
                .setSchema(SCHEMA)
                .build();
    }

    /** Read position inside an open collection while reading events. */
    private static final class Frame {
        final boolean map;
        final ObjectNode object;
        final ArrayNode array;
        final String pointer;
        final int depth;
        final Optional<Mark> start;
        /** True when this collection put the value range at {@link #pointer} (it was absent when it started). */
        final boolean ownsRange;
        final Frame parent;
        int index;
        /** Mapping: a key was read and its value comes next. */
        boolean expectValue;
        /** Mapping: the key just read is a plain {@code <<} (merge key). */
        boolean merge;
        String name;
        String childPointer;
        /** Mapping: keys that only merges ({@code <<}) set so far (a key written later overrides them), or null. */
        java.util.Set<String> mergedOnly;
        /** The pointers of this collection's members (shared by collections at the same pointer), or null. */
        Children children;

        Frame(boolean map, String pointer, int depth, Optional<Mark> start, boolean ownsRange, Frame parent) {
            this.map = map;
            this.object = map ? JsonNodeFactory.instance.objectNode() : null;
            this.array = map ? null : JsonNodeFactory.instance.arrayNode();
            this.pointer = pointer;
            this.depth = depth;
            this.start = start;
            this.ownsRange = ownsRange;
            this.parent = parent;
        }
    }

    /**
     * Gives up on a stream the heap cannot hold. The event path keeps less per value than a node tree does, so on a
     * heap too small for the file the JVM (serial collector: no GC overhead limit) can run back-to-back full
     * collections for many minutes instead of failing with OutOfMemoryError (each event then waits for a full
     * collection). Every 64 events this looks at the
     * time spent in collections: when over 90% of a window of at least two seconds went to them, it throws
     * OutOfMemoryError at once, which callers handle as for any other (LintEngine reports SYN004). The first window
     * opens once a document has been read for one second, so the collector beans (about 45 ms to set up in a cold
     * JVM) are only asked about documents that take that long. Collection time alone is wall time, which a loaded
     * machine stretches, and a heap that is still growing towards its maximum collects often too: so it gives up
     * only when the heap in use is also over 80% of the maximum ({@link #outOfHeap}).
     */
    static final class HeapGuard {
        /** The collector beans, set up on first use. */
        private static final class Beans {
            static final List<java.lang.management.GarbageCollectorMXBean> GCS =
                    java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
        }

        private long windowStart = System.nanoTime();
        /** Collection time when the window opened; negative until it opens. */
        private long gcAtStart = -1;

        private static long gcMillis() {
            long t = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : Beans.GCS) {
                t += Math.max(0, gc.getCollectionTime());
            }
            return t;
        }

        void check() {
            long now = System.nanoTime();
            long elapsedMillis = (now - windowStart) / 1_000_000;
            if (gcAtStart < 0) {
                if (elapsedMillis >= 1000) {
                    windowStart = now;
                    gcAtStart = gcMillis();
                }
                return;
            }
            if (elapsedMillis < 2000) {
                return;
            }
            long gc = gcMillis();
            Runtime rt = Runtime.getRuntime();
            if (outOfHeap(gc - gcAtStart, elapsedMillis, rt.totalMemory() - rt.freeMemory(), rt.maxMemory())) {
                throw new OutOfMemoryError("over 90% of the last " + elapsedMillis + " ms went to garbage collection");
            }
            windowStart = now;
            gcAtStart = gc;
        }

        /**
         * True when a window of {@code elapsedMillis} spent over 90% of it in collections ({@code gcMillis}) and the
         * heap in use ({@code usedBytes}) is over 80% of the maximum ({@code maxBytes}): the heap cannot hold the
         * stream. Under 80% the heap can still grow, and the collections are the growth or a loaded machine.
         */
        static boolean outOfHeap(long gcMillis, long elapsedMillis, long usedBytes, long maxBytes) {
            return gcMillis > elapsedMillis * 9 / 10 && usedBytes > maxBytes / 10 * 8;
        }
    }

    /**
     * The member pointers of the collections at one pointer, made once per file: the documents of a file repeat the
     * same paths ({@code /metadata/name}, {@code /spec/containers/0/ports}), so their range maps share one string
     * per path, and their trees one string per key, instead of building their own.
     */
    private static final class Children {
        private final Map<String, Member> byName = new HashMap<>();
        private String[] byIndex = new String[0];

        /** The member {@code name}: its key string as first read (documents share it too) and its pointer. */
        Member named(String parent, String name) {
            Member m = byName.get(name);
            if (m == null) {
                m = new Member(name, SourceDoc.child(parent, name));
                byName.put(name, m);
            }
            return m;
        }

        String indexed(String parent, int index) {
            if (index >= byIndex.length) {
                byIndex = java.util.Arrays.copyOf(byIndex, Math.max(4, index * 2));
            }
            String p = byIndex[index];
            if (p == null) {
                p = SourceDoc.child(parent, index);
                byIndex[index] = p;
            }
            return p;
        }
    }

    /** A mapping member's key and pointer, as {@link Children} shares them. */
    private record Member(String name, String pointer) {
    }

    /** {@link Children} by the pointer of their collection (the pointers are themselves made by a Children). */
    private final Map<String, Children> pointers = new HashMap<>();
    /**
     * Collections whose member pointers are shared, per file. Past it (a {@code List} of many items, whose paths
     * hold the item index and do not repeat) pointers are made for each member as they come, so the sharing never
     * costs more memory than it saves.
     */
    private static final int MAX_SHARED_COLLECTIONS = 4096;

    /** Placeholder value range of a collection whose end has not been read yet. */
    private static final Range OPEN = new Range(-1, -1, -1, -1);

    /**
     * Reads the stream from parser events, without a node tree, or returns null when the stream holds something
     * only {@link #fromNodes} reads (an anchor, an alias, a non-scalar key, a document deeper or larger than
     * {@link Limits}): the caller then parses the whole stream again that way. Every map update, diagnostic and
     * document happens in the order {@link #fromNodes} does it, so both give the same result.
     */
    private ParseResult fromEvents() {
        List<SourceDoc> docs = new ArrayList<>();
        LoadSettings settings = settings(src);
        List<Diagnostic> docDiags = new ArrayList<>();
        try {
            Parser parser = new ParserImpl(settings, new StreamReader(settings, src.text()));
            int index = 0;
            while (true) {
                // as Composer.hasNext / next: drop STREAM-START, stop at STREAM-END, drop DOCUMENT-START
                if (parser.checkEvent(Event.ID.StreamStart)) {
                    parser.next();
                }
                if (parser.checkEvent(Event.ID.StreamEnd)) {
                    break;
                }
                parser.next();
                SourceDoc doc = document(parser, index, docDiags);
                if (doc == null) {
                    return null;
                }
                parser.next(); // DOCUMENT-END
                // Composer-based reading converts (and so reports duplicate keys) only once DOCUMENT-END was read
                diags.addAll(docDiags);
                docDiags.clear();
                docs.add(doc);
                index++;
            }
        } catch (MarkedYamlEngineException e) {
            diags.add(syntaxError(e));
        } catch (YamlEngineException e) {
            diags.add(engineError(e));
        } catch (NumberFormatException e) {
            diags.add(escapeCutShort());
        } catch (StackOverflowError e) {
            diags.add(tooDeep());
        }
        return new ParseResult(src, docs, diags);
    }

    /** Reads one document's events up to (not including) DOCUMENT-END; null to fall back (see fromEvents). */
    private SourceDoc document(Parser parser, int index, List<Diagnostic> docDiags) {
        values = new RangeMap();
        keys = new RangeMap();
        // Values once aliases are followed, as expandedSize counts them: every value plus one per mapping entry.
        // It is at least the number of values convert() counts against its budget.
        long expanded = 0;
        Frame top = null;
        int events = 0;
        HeapGuard guard = new HeapGuard();
        while (true) {
            Event ev = parser.next();
            Event.ID id = ev.getEventId();
            if ((++events & 63) == 0) {
                guard.check();
            }
            if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                // the open collection ends (the parser ends a mapping only where a key could come)
                JsonNode done = top.map ? top.object : top.array;
                Range r = range(top.start, ev.getEndMark());
                if (top.ownsRange) {
                    values.put(top.pointer, r);
                }
                top = top.parent;
                if (top == null) {
                    return new SourceDoc(src, index, done, values, keys, r);
                }
                attach(top, done);
                continue;
            }
            if (top != null && top.map && !top.expectValue) {
                if (id != Event.ID.Scalar || ((ScalarEvent) ev).getAnchor().isPresent()) {
                    return null; // an alias, anchor or collection as key
                }
                ScalarEvent k = (ScalarEvent) ev;
                String name = k.getValue();
                top.expectValue = true;
                if ("<<".equals(name) && k.isPlain()) {
                    top.merge = true;
                    continue;
                }
                String childPtr;
                if (top.children == null) {
                    childPtr = SourceDoc.child(top.pointer, name);
                } else {
                    Member m = top.children.named(top.pointer, name);
                    name = m.name();
                    childPtr = m.pointer();
                }
                Range keyRange = range(k.getStartMark(), k.getEndMark());
                boolean overridesMerge = top.mergedOnly != null && top.mergedOnly.remove(name);
                if (top.object.has(name) && !overridesMerge) {
                    docDiags.add(duplicateKey(name, keyRange, keys.get(childPtr)));
                }
                keys.put(childPtr, keyRange);
                values.remove(childPtr);
                top.name = name;
                top.childPointer = childPtr;
                continue;
            }
            // a value: the document's root, a sequence item or a mapping value
            if (id == Event.ID.Alias || ((NodeEvent) ev).getAnchor().isPresent()) {
                return null;
            }
            String pointer;
            int depth;
            if (top == null) {
                pointer = "";
                depth = 0;
            } else if (top.map) {
                pointer = top.merge ? top.pointer : top.childPointer;
                depth = top.depth + 1;
                expanded++;
            } else {
                pointer = top.children == null ? SourceDoc.child(top.pointer, top.index)
                        : top.children.indexed(top.pointer, top.index);
                depth = top.depth + 1;
            }
            if (++expanded > Limits.MAX_YAML_NODES || depth > Limits.MAX_DEPTH) {
                return null;
            }
            if (id == Event.ID.Scalar) {
                ScalarEvent s = (ScalarEvent) ev;
                Tag tag = tag(s);
                Range r = range(s.getStartMark(), s.getEndMark());
                if (top == null && tag.equals(Tag.NULL)) {
                    values.put("", r);
                    return new SourceDoc(src, index, MissingNode.getInstance(), values, keys, r);
                }
                values.putIfAbsent(pointer, r);
                JsonNode v = scalar(s.getValue(), tag);
                if (top == null) {
                    return new SourceDoc(src, index, v, values, keys, r);
                }
                attach(top, v);
            } else {
                boolean owns = values.putIfAbsent(pointer, OPEN) == null;
                top = new Frame(id == Event.ID.MappingStart, pointer, depth, ev.getStartMark(), owns, top);
                top.children = pointers.get(pointer);
                if (top.children == null && pointers.size() < MAX_SHARED_COLLECTIONS) {
                    top.children = new Children();
                    pointers.put(pointer, top.children);
                }
            }
        }
    }

    private static void attach(Frame parent, JsonNode value) {
        if (!parent.map) {
            parent.array.add(value);
            parent.index++;
            return;
        }
        if (parent.merge) {
            parent.mergedOnly = mergeInto(parent.object, value, parent.mergedOnly);
        } else {
            parent.object.set(parent.name, value);
        }
        parent.expectValue = false;
        parent.merge = false;
    }

    /**
     * The scalar's tag exactly as snakeyaml-engine's {@code Composer.composeScalarNode} assigns it: its explicit tag,
     * else the core schema's resolution ({@code !!str} unless it is a plain scalar).
     */
    private Tag tag(ScalarEvent s) {
        Optional<String> tag = s.getTag();
        if (tag.isEmpty() || tag.get().equals("!")) {
            if (!s.getImplicit().canOmitTagInPlainScalar()) {
                return Tag.STR;
            }
            String v = s.getValue();
            if (!RESOLVER.mayMatch(v)) {
                return Tag.STR;
            }
            // Plain values a core-schema expression may match repeat within a file (TCP, 8080, an API group):
            // resolve each distinct one once.
            Tag t = resolved.get(v);
            if (t == null) {
                t = RESOLVER.resolve(v, true);
                if (resolved.size() < 4096) {
                    resolved.put(v, t);
                }
            }
            return t;
        }
        return new Tag(tag.get());
    }

    private static final CoreResolver RESOLVER = new CoreResolver();

    /**
     * snakeyaml-engine's core schema resolver (its regular expressions and tables unchanged) that skips the regular
     * expressions when none can match. The library keeps them per first character, plus a list tried for every
     * scalar: here {@code ^$} and the null expression {@code ^(?:~|null|Null|NULL| )$}, which only match the empty
     * string or a scalar starting with one of {@code ~nN } and a space. When the library registers anything else for
     * every scalar, {@link #resolvePlain} always asks the regular expressions.
     */
    static final class CoreResolver extends CoreScalarResolver {
        private static final String NULL_PATTERN = "^(?:~|null|Null|NULL| )$";
        // No initializers: the super constructor fills these through addImplicitResolver before they would run.
        private boolean[] asciiFirst;
        private java.util.Set<Character> otherFirst;
        private boolean unknownForAnyFirst;

        @Override
        public void addImplicitResolver(Tag tag, java.util.regex.Pattern regexp, String first) {
            super.addImplicitResolver(tag, regexp, first);
            if (asciiFirst == null) {
                asciiFirst = new boolean[128];
                otherFirst = new java.util.HashSet<>();
            }
            // as BaseScalarResolver.addImplicitResolver: no first characters, or the character 0, means "any"
            boolean any = first == null || first.indexOf('\0') >= 0;
            if (first != null) {
                for (char c : first.toCharArray()) {
                    mayStart(c);
                }
            }
            if (any) {
                if (regexp == CoreScalarResolver.NULL && NULL_PATTERN.equals(regexp.pattern())) {
                    "~nN ".chars().forEach(c -> mayStart((char) c));
                } else if (regexp != EMPTY) {
                    unknownForAnyFirst = true;
                }
            }
        }

        private void mayStart(char c) {
            if (c < 128) {
                asciiFirst[c] = true;
            } else {
                otherFirst.add(c);
            }
        }

        /** False when {@code resolve(value, true)} is {@code !!str} without trying an expression. */
        boolean mayMatch(String value) {
            if (value.isEmpty() || unknownForAnyFirst) {
                return true;
            }
            char c = value.charAt(0);
            return c < 128 ? asciiFirst[c] : otherFirst.contains(c);
        }

        /** Same as {@code resolve(value, true)}. */
        Tag resolvePlain(String value) {
            return mayMatch(value) ? resolve(value, true) : Tag.STR;
        }
    }

    private ParseResult fromNodes() {
        List<SourceDoc> docs = new ArrayList<>();
        LoadSettings settings = settings(src);
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings,
                    src.text())));
            int index = 0;
            boolean anchors = src.text().indexOf('&') >= 0;
            while (composer.hasNext()) {
                Node node = composer.next();
                values = new RangeMap();
                keys = new RangeMap();
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
            diags.add(engineError(e));
        } catch (NumberFormatException e) {
            diags.add(escapeCutShort());
        } catch (StackOverflowError e) {
            diags.add(tooDeep());
        }
        return new ParseResult(src, docs, diags);
    }

    private Diagnostic engineError(YamlEngineException e) {
        String m = String.valueOf(e.getMessage());
        boolean aliases = m.contains("aliases") || m.contains("alias");
        return new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, aliases ? "SYN004" : "SYN001",
                aliases ? "too many YAML aliases (more than " + Limits.MAX_YAML_ALIASES + "): podnet refuses "
                        + "alias bombs; expand the aliases or split the file"
                        : "invalid YAML: " + firstLine(m));
    }

    /**
     * snakeyaml-engine 2.9's scanner throws a bare NumberFormatException (no mark) when the text ends right after
     * a hexadecimal escape's letter (x, u or U after a backslash) in a double-quoted string: reported as the unclosed
     * string it is, at the end of the text (where the scanner reports a string that ends after one hex digit).
     */
    private Diagnostic escapeCutShort() {
        int line = src.lineCount() - 1;
        int column = src.line(line).length();
        return new Diagnostic(src.path(), new Range(line, column, line, column + 1), Severity.ERROR, "SYN001",
                "invalid YAML: a quoted string is never closed; add the closing quote");
    }

    private Diagnostic tooDeep() {
        return new Diagnostic(src.path(), Range.FILE_START, Severity.ERROR, "SYN004",
                "nesting too deep to read; podnet stops reading this file");
    }

    private Diagnostic duplicateKey(String name, Range keyRange, Range first) {
        return new Diagnostic(src.path(), keyRange, Severity.WARNING, "SYN002",
                "duplicate key \"" + name + "\": kubectl refuses the file (strict validation, its default) and "
                        + "tools that accept it keep only the last value; remove one of the two",
                first == null ? List.of()
                        : List.of(new Diagnostic.Related(src.path(), first, "first \"" + name + "\" here")));
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
    static int flowDepthExceeded(char[] t) {
        // Fewer openers than the limit in the whole text (every manifest): no need to follow quotes and comments.
        int openers = 0;
        for (char c : t) {
            if (c == '[' || c == '{') {
                openers++;
            }
        }
        if (openers <= Limits.MAX_DEPTH) {
            return -1;
        }
        int depth = 0;
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < t.length; i++) {
            char c = t[i];
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
                case '#' -> comment = i == 0 || Character.isWhitespace(t[i - 1]);
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
            return scalar(s.getValue(), s.getTag());
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
            java.util.Set<String> mergedOnly = null;
            for (NodeTuple t : map.getValue()) {
                Node k = t.getKeyNode();
                String name = k instanceof ScalarNode ks ? ks.getValue() : "?";
                if ("<<".equals(name) && k instanceof ScalarNode ks && ks.isPlain()) {
                    JsonNode merged = convert(t.getValueNode(), pointer, depth + 1);
                    mergedOnly = mergeInto(o, merged, mergedOnly);
                    continue;
                }
                String childPtr = SourceDoc.child(pointer, name);
                Range keyRange = range(k);
                boolean overridesMerge = mergedOnly != null && mergedOnly.remove(name);
                if (o.has(name) && !overridesMerge) {
                    diags.add(duplicateKey(name, keyRange, keys.get(childPtr)));
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

    /**
     * Adds the members of a merged mapping (or of each mapping of a merged sequence, earlier ones first) that the
     * target lacks: keys written in the mapping itself, and keys an earlier merge brought, win (YAML merge key type,
     * https://yaml.org/type/merge.html). Returns {@code added} (created when null and needed) holding the keys this
     * and earlier merges added, so a key written after the merge overrides its merged value without being reported
     * as a duplicate.
     */
    private static java.util.Set<String> mergeInto(ObjectNode target, JsonNode merged, java.util.Set<String> added) {
        java.util.Set<String> out = added;
        if (merged instanceof ObjectNode m) {
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!target.has(e.getKey())) {
                    target.set(e.getKey(), e.getValue());
                    if (out == null) {
                        out = new java.util.HashSet<>();
                    }
                    out.add(e.getKey());
                }
            }
        } else if (merged instanceof ArrayNode arr) {
            for (JsonNode item : arr) {
                out = mergeInto(target, item, out);
            }
        }
        return out;
    }

    private static JsonNode scalar(String v, Tag tag) {
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
        return range(n.getStartMark(), n.getEndMark());
    }

    private Range range(Optional<Mark> s, Optional<Mark> e) {
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

    /**
     * The UTF-16 column of a parser mark. The parser skips a byte order mark that opens the stream without counting
     * it in the first line's columns; the source text keeps it, so that line's columns are one further.
     */
    private int col(int line, int cpCol) {
        if (line == 0 && bom) {
            cpCol++;
        }
        return hasSurrogates ? src.codePointColumnToUtf16(line, cpCol) : cpCol;
    }

    private Diagnostic syntaxError(MarkedYamlEngineException e) {
        return syntaxError(src, e, this::col);
    }

    /**
     * SYN001 for a snakeyaml-engine parse error: the message names the likely slip (tab indentation, bad
     * indentation, a missing ':', an unclosed quote or flow collection, ...) and the fix; an unclosed quote or
     * bracket is reported at its opening character (the exception's context mark) with the place the parser gave up.
     *
     * @param col the UTF-16 column of a parser mark's (line, code-point column)
     */
    static Diagnostic syntaxError(SourceText src, MarkedYamlEngineException e,
                                  java.util.function.IntBinaryOperator col) {
        Optional<Mark> mark = e.getProblemMark();
        int line = mark.map(Mark::getLine).orElse(0);
        int column = mark.map(m -> col.applyAsInt(m.getLine(), m.getColumn())).orElse(0);
        String problem = String.valueOf(e.getProblem());
        String context = String.valueOf(e.getContext());
        String lineText = src.line(line);
        String msg;
        Optional<Mark> opener = Optional.empty();
        if (problem.contains("'\\t'") || problem.contains("tab") || (column < lineText.length()
                && lineText.charAt(column) == '\t') || lineText.startsWith("\t")) {
            msg = "invalid YAML: a tab character is used for indentation; YAML allows only spaces, "
                    + "replace the tab with spaces";
        } else if (problem.contains("mapping values are not allowed")) {
            msg = "invalid YAML: a ':' where a value was expected (missing space after ':' on the line above, "
                    + "a wrong indentation, or an unquoted value containing ': '); fix the indentation or quote the value";
        } else if (problem.contains("could not find expected ':'")) {
            msg = "invalid YAML: a key without ':' (or an unclosed quote on the line above); add the colon or close the "
                    + "quote";
        } else if (problem.contains("found unexpected end of stream") || context.contains("quoted scalar")) {
            msg = "invalid YAML: a quoted string is never closed; add the closing quote";
            opener = e.getContextMark();
        } else if (problem.contains("expected <block end>") || problem.contains("did not find expected key")
                || problem.contains("expected <document start>")) {
            msg = "invalid YAML: bad indentation (this line does not line up with its siblings); indent it like the "
                    + "keys around it";
        } else if (problem.contains("expected ',' or ']'") || problem.contains("expected ',' or '}'")) {
            msg = "invalid YAML: an unclosed '[' or '{' flow collection; close it or separate items with ','";
            opener = e.getContextMark();
        } else if (problem.contains("found undefined alias")) {
            msg = "invalid YAML: " + problem + "; define the anchor (&name) before using it";
        } else {
            msg = "invalid YAML: " + problem + (e.getContext() == null ? "" : " (" + context + ")");
        }
        // An unclosed quote or bracket is found where the parser gives up, often lines (or the whole rest of the
        // file) later: the finding goes to the opening quote or bracket, which the context mark points at.
        if (opener.isPresent() && (opener.get().getLine() < line || (opener.get().getLine() == line
                && opener.get().getColumn() < mark.get().getColumn()))) {
            String where = " (the parser gave up at line " + (line + 1) + ", column " + (column + 1) + ")";
            line = opener.get().getLine();
            column = col.applyAsInt(line, opener.get().getColumn());
            lineText = src.line(line);
            char open = column < lineText.length() ? lineText.charAt(column) : ' ';
            if (open == '[' || open == '{') {
                msg = "invalid YAML: this '" + open + "' is never closed" + where + "; close it with '"
                        + (open == '[' ? ']' : '}') + "' or separate the items with ','";
            } else if (open == '"' || open == '\'') {
                msg = "invalid YAML: this quoted string is never closed" + where + "; add the closing " + open;
            } else {
                int semi = msg.indexOf(';');
                msg = msg.substring(0, semi) + where + msg.substring(semi);
            }
        }
        return new Diagnostic(src.path(), new Range(line, column, line, Math.max(column + 1, Math.min(
                lineText.length(), column + 1))), Severity.ERROR, "SYN001", msg);
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
