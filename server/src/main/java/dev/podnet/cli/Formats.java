package dev.podnet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes findings in the CLI's output formats. Lines and columns are 1-based; columns count UTF-16 code units
 * (the same as the language server and SARIF {@code utf16CodeUnits}).
 * <ul>
 *   <li>{@code text}: {@code file:line:col: severity: message [ID]}, one finding per line (the gcc/shellcheck
 *       form that editors and CI problem matchers read).</li>
 *   <li>{@code json}: {@code {"diagnostics":[{file,line,column,endLine,endColumn,severity,rule,message}],
 *       "summary":{files,error,warning,info,hint}}}.</li>
 * </ul>
 * SARIF is written by {@link SarifFormat}, JUnit and checkstyle XML by {@link XmlFormats}.
 */
public final class Formats {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Formats() {
    }

    /** Counts findings per severity. */
    public static Map<Severity, Integer> counts(List<Diagnostic> ds) {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        ds.forEach(d -> m.merge(d.severity(), 1, Integer::sum));
        return m;
    }

    /** The text format. */
    public static void text(List<Diagnostic> ds, PrintWriter out) {
        for (Diagnostic d : ds) {
            out.printf("%s:%d:%d: %s: %s [%s]%n", printable(d.file()), d.range().startLine() + 1,
                    d.range().startChar() + 1, d.severity().word(), printable(d.message()), d.rule());
        }
        out.flush();
    }

    /**
     * Text safe for a terminal: control characters that came from the input files (ESC, BEL, line breaks inside a
     * key...) are written as {@code \\uXXXX}, so a file cannot move the cursor or retitle the terminal.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** The one-line summary printed on stderr after the text format. */
    public static String summaryLine(List<Diagnostic> ds, int files) {
        Map<Severity, Integer> c = counts(ds);
        return String.format("%d error%s, %d warning%s, %d info in %d file%s", c.get(Severity.ERROR),
                c.get(Severity.ERROR) == 1 ? "" : "s", c.get(Severity.WARNING), c.get(Severity.WARNING) == 1 ? "" : "s",
                c.get(Severity.INFO) + c.get(Severity.HINT), files, files == 1 ? "" : "s");
    }

    /** The JSON format. */
    public static void json(List<Diagnostic> ds, int files, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("diagnostics");
        for (Diagnostic d : ds) {
            ObjectNode o = arr.addObject();
            o.put("file", d.file());
            o.put("line", d.range().startLine() + 1);
            o.put("column", d.range().startChar() + 1);
            o.put("endLine", d.range().endLine() + 1);
            o.put("endColumn", d.range().endChar() + 1);
            o.put("severity", d.severity().word());
            o.put("rule", d.rule());
            o.put("message", d.message());
            if (!d.related().isEmpty()) {
                ArrayNode rel = o.putArray("related");
                for (Diagnostic.Related r : d.related()) {
                    ObjectNode ro = rel.addObject();
                    ro.put("file", r.file());
                    ro.put("line", r.range().startLine() + 1);
                    ro.put("column", r.range().startChar() + 1);
                    ro.put("message", r.message());
                }
            }
        }
        ObjectNode sum = root.putObject("summary");
        sum.put("files", files);
        counts(ds).forEach((s, n) -> sum.put(s.word(), n));
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
