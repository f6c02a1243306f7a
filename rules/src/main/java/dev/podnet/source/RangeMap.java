package dev.podnet.source;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A compact {@code Map<String, Range>} from JSON pointers to ranges, the form {@link SourceDoc} keeps its value and
 * key ranges in. A parsed manifest folder holds hundreds of thousands of ranges; in a {@code HashMap} each costs a
 * map node and a {@link Range} object (about 64 bytes before its key). Here each is four ints in one array plus
 * one slot of an open-addressing table, and a {@link Range} is created only when one is read, so parsing allocates
 * and keeps far less (the garbage collector copies what is kept).
 *
 * <p>Behaves as a {@link Map} (equals and hashCode as {@link AbstractMap} defines them, so it equals a
 * {@code HashMap} with the same entries); iteration is in insertion order. Null keys and null values are not
 * supported ({@link NullPointerException}). Not thread-safe while written; reading from several threads once
 * writes stopped is safe.
 */
public final class RangeMap extends AbstractMap<String, Range> {
    /** Entry i: key (null once removed) and its range in ints[4i..4i+3]. */
    private String[] keys;
    private int[] ints;
    /** Entries appended so far, removed ones included. */
    private int used;
    private int size;
    /** Open-addressing table of entry index + 1 (0: empty); its length is a power of two. */
    private int[] table;

    /** An empty map. */
    public RangeMap() {
        keys = new String[16];
        ints = new int[64];
        table = new int[32];
    }

    @Override
    public int size() {
        return size;
    }

    private int find(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        int mask = table.length - 1;
        for (int i = spread(s.hashCode()) & mask; ; i = (i + 1) & mask) {
            int e = table[i] - 1;
            if (e < 0) {
                return -1;
            }
            String k = keys[e];
            if (k != null && (k == s || k.equals(s))) {
                return e;
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private Range rangeAt(int e) {
        return new Range(ints[4 * e], ints[4 * e + 1], ints[4 * e + 2], ints[4 * e + 3]);
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public Range get(Object key) {
        int e = find(key);
        return e < 0 ? null : rangeAt(e);
    }

    @Override
    public Range put(String key, Range value) {
        return put(key, value.startLine(), value.startChar(), value.endLine(), value.endChar(), true);
    }

    @Override
    public Range putIfAbsent(String key, Range value) {
        return put(key, value.startLine(), value.startChar(), value.endLine(), value.endChar(), false);
    }

    /**
     * Sets the range of {@code key} (when {@code replace}, or when the key is absent) without creating a
     * {@link Range}; returns the previous range or null.
     */
    Range put(String key, int startLine, int startChar, int endLine, int endChar, boolean replace) {
        int e = find(key);
        if (e >= 0) {
            Range old = rangeAt(e);
            if (replace) {
                set(e, startLine, startChar, endLine, endChar);
            }
            return old;
        }
        if (key == null) {
            throw new NullPointerException("key");
        }
        if (2 * (used + 1) > table.length) {
            rehash(size + 1);
        }
        if (used == keys.length) {
            keys = Arrays.copyOf(keys, used * 2);
            ints = Arrays.copyOf(ints, used * 8);
        }
        e = used++;
        keys[e] = key;
        set(e, startLine, startChar, endLine, endChar);
        insert(key, e);
        size++;
        return null;
    }

    private void set(int e, int startLine, int startChar, int endLine, int endChar) {
        ints[4 * e] = startLine;
        ints[4 * e + 1] = startChar;
        ints[4 * e + 2] = endLine;
        ints[4 * e + 3] = endChar;
    }

    private void insert(String key, int e) {
        int mask = table.length - 1;
        int i = spread(key.hashCode()) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = e + 1;
    }

    /** Drops removed entries and sizes the table for at least {@code entries} entries at half load. */
    private void rehash(int entries) {
        int live = 0;
        for (int e = 0; e < used; e++) {
            if (keys[e] != null) {
                keys[live] = keys[e];
                System.arraycopy(ints, 4 * e, ints, 4 * live, 4);
                live++;
            }
        }
        Arrays.fill(keys, live, used, null);
        used = live;
        int n = table.length;
        while (n < 2 * Math.max(entries, 8)) {
            n <<= 1;
        }
        table = new int[n];
        for (int e = 0; e < used; e++) {
            insert(keys[e], e);
        }
    }

    @Override
    public Range remove(Object key) {
        int e = find(key);
        if (e < 0) {
            return null;
        }
        Range old = rangeAt(e);
        keys[e] = null; // its table slot stays taken (probes pass over it) until the next rehash
        size--;
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, used, null);
        Arrays.fill(table, 0);
        used = 0;
        size = 0;
    }

    @Override
    public Set<Map.Entry<String, Range>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Range>> iterator() {
                return new Iterator<>() {
                    private int next = skip(0);
                    private int last = -1;

                    private int skip(int e) {
                        while (e < used && keys[e] == null) {
                            e++;
                        }
                        return e;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < used;
                    }

                    @Override
                    public Map.Entry<String, Range> next() {
                        if (next >= used) {
                            throw new NoSuchElementException();
                        }
                        last = next;
                        next = skip(next + 1);
                        return new AbstractMap.SimpleImmutableEntry<>(keys[last], rangeAt(last));
                    }

                    @Override
                    public void remove() {
                        if (last < 0 || keys[last] == null) {
                            throw new IllegalStateException();
                        }
                        keys[last] = null;
                        size--;
                    }
                };
            }
        };
    }
}
