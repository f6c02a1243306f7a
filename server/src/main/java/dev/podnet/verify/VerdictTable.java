package dev.podnet.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A reachability truth table in the conformance {@code expected.txt} format: one {@code [PORT/PROTOCOL]} section
 * per probe, then one line {@code from to verdict} per ordered pod pair ({@code namespace/name}, verdict
 * {@code allow} or {@code deny}); lines starting with {@code #} are comments. Used both for the kernel's verdicts
 * ({@link #format}) and as {@link ExpectedVerdicts} read from a file ({@link #parse}).
 */
public final class VerdictTable implements ExpectedVerdicts {
    /** Pods sorted by namespace, then name (the conformance tables' order). */
    public static final Comparator<String> POD_ORDER = Comparator
            .comparing((String k) -> k.substring(0, Math.max(0, k.indexOf('/'))))
            .thenComparing(k -> k.substring(k.indexOf('/') + 1));

    private final Map<Probe, Map<String, Map<String, Verdict>>> sections = new LinkedHashMap<>();
    private final Map<Probe, String> notProbed = new LinkedHashMap<>();
    private final String name;

    /** An empty table named for messages. */
    public VerdictTable(String name) {
        this.name = name;
    }

    /** Records one verdict; a probe's section is created on first use, in call order. */
    public synchronized void put(Probe probe, String fromKey, String toKey, Verdict v) {
        sections.computeIfAbsent(probe, p -> new LinkedHashMap<>()).computeIfAbsent(fromKey, f -> new LinkedHashMap<>())
                .put(toKey, v);
    }

    /** Marks a whole probe as not probed, with the reason (printed as a comment by {@link #format}). */
    public synchronized void markNotProbed(Probe probe, String reason) {
        sections.computeIfAbsent(probe, p -> new LinkedHashMap<>());
        notProbed.put(probe, reason);
    }

    /** The verdict recorded for a pair, or null. */
    public synchronized Verdict get(Probe probe, String fromKey, String toKey) {
        if (notProbed.containsKey(probe)) {
            return Verdict.NOT_PROBED;
        }
        Map<String, Map<String, Verdict>> s = sections.get(probe);
        Map<String, Verdict> row = s == null ? null : s.get(fromKey);
        return row == null ? null : row.get(toKey);
    }

    /** Why a probe was not probed, or null when it was. */
    public synchronized String notProbedReason(Probe probe) {
        return notProbed.get(probe);
    }

    @Override
    public Verdict expect(String fromKey, String toKey, int port, String protocol) {
        Verdict v = get(new Probe(port, protocol), fromKey, toKey);
        return v == Verdict.NOT_PROBED ? null : v;
    }

    @Override
    public synchronized List<Probe> probes() {
        return List.copyOf(sections.keySet());
    }

    /** Every pod key that appears as source or destination, in {@link #POD_ORDER}. */
    public synchronized List<String> pods() {
        TreeSet<String> out = new TreeSet<>(POD_ORDER);
        for (Map<String, Map<String, Verdict>> s : sections.values()) {
            s.forEach((from, row) -> {
                out.add(from);
                out.addAll(row.keySet());
            });
        }
        return new ArrayList<>(out);
    }

    @Override
    public String describe() {
        return name;
    }

    /**
     * The table in the conformance format: optional {@code #} header lines, then per probe a blank line, the
     * {@code [PORT/PROTOCOL]} header and one line per ordered pair of {@code pods} (in {@link #POD_ORDER}); a probe
     * that was not probed is one comment line {@code # [81/SCTP] not probed: REASON}.
     */
    public synchronized String format(List<String> header) {
        StringBuilder sb = new StringBuilder();
        header.forEach(h -> sb.append("# ").append(h).append('\n'));
        List<String> pods = pods();
        for (Probe p : sections.keySet()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (notProbed.containsKey(p)) {
                sb.append("# [").append(p).append("] not probed: ").append(notProbed.get(p)).append('\n');
                continue;
            }
            sb.append('[').append(p).append("]\n");
            for (String from : pods) {
                for (String to : pods) {
                    Verdict v = get(p, from, to);
                    if (v != null) {
                        sb.append(from).append(' ').append(to).append(' ').append(v.text()).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * Parses a table in the conformance format.
     *
     * @param name for messages (usually the file name)
     * @throws IllegalArgumentException {@code NAME:LINE: reason} for a line that is not a section header, a pair
     *                                  line or a comment
     */
    public static VerdictTable parse(String name, String text) {
        VerdictTable t = new VerdictTable(name);
        Probe current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            if (line.startsWith("[") && line.endsWith("]")) {
                try {
                    current = Probe.parse(line.substring(1, line.length() - 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + e.getMessage());
                }
                t.sections.computeIfAbsent(current, p -> new LinkedHashMap<>());
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3 || !f[0].contains("/") || !f[1].contains("/") || Verdict.parse(f[2]) == null) {
                throw new IllegalArgumentException(where + "expected 'namespace/pod namespace/pod allow|deny' or a "
                        + "[PORT/PROTOCOL] header, got '" + line + "'");
            }
            if (current == null) {
                throw new IllegalArgumentException(where + "a pair line before the first [PORT/PROTOCOL] header");
            }
            t.put(current, f[0], f[1], Verdict.parse(f[2]));
        }
        return t;
    }
}
