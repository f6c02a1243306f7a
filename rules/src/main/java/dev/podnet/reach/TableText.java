package dev.podnet.reach;

import java.io.PrintWriter;

/**
 * Text renderings of a {@link Table}.
 * <ul>
 *   <li>{@link #table}: the format of the conformance corpus {@code expected.txt}: a {@code [PORT/PROTOCOL]}
 *       line per probe, then {@code ns/pod ns/pod allow|deny} for every ordered pair, self pairs included, pods
 *       sorted by namespace then name; a blank line between probes.</li>
 *   <li>{@link #summary}: one line per probe, {@code PORT/PROTOCOL allowed=N denied=M}.</li>
 * </ul>
 */
public final class TableText {
    private TableText() {
    }

    /** Writes the truth table. */
    public static void table(Table t, PrintWriter out) {
        int n = t.pods().size();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = t.pods().get(i).label();
        }
        for (int p = 0; p < t.probes().size(); p++) {
            if (p > 0) {
                out.print('\n');
            }
            out.print("[" + t.probes().get(p) + "]\n");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.setLength(0);
                for (int j = 0; j < n; j++) {
                    sb.append(names[i]).append(' ').append(names[j]).append(' ')
                            .append(t.allowed(p, i, j) ? "allow" : "deny").append('\n');
                }
                out.print(sb);
            }
        }
        out.flush();
    }

    /** Writes the per-probe summary. */
    public static void summary(Table t, PrintWriter out) {
        for (int p = 0; p < t.probes().size(); p++) {
            out.print(t.probes().get(p) + " allowed=" + t.allowedCount(p) + " denied=" + t.deniedCount(p) + "\n");
        }
        out.flush();
    }
}
