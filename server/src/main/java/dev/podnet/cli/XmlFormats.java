package dev.podnet.cli;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The two XML report formats CI servers read, written with StAX (so every attribute and text is escaped):
 * <ul>
 *   <li><b>junit</b> (the JUnit XML that Jenkins, GitLab {@code artifacts:reports:junit} and most CI systems
 *       read; kubeconform's layout): {@code <testsuites name="podnet" tests failures errors="0">}, one
 *       {@code <testsuite name=FILE tests failures errors="0" skipped="0">} per input file, and one
 *       {@code <testcase classname=FILE name="RULE line:col">} per finding. A finding at or above
 *       {@code --fail-on} carries {@code <failure message type=SEVERITY>} with the text-format line; a finding
 *       below it passes and carries that line in {@code <system-out>}. A file without findings gets one passing
 *       test case named {@code podnet lint}, so every file read shows up in the report.</li>
 *   <li><b>checkstyle</b> (Checkstyle 4.3 report, as shellcheck and hadolint write it):
 *       {@code <checkstyle version="4.3"><file name=FILE><error line column severity message
 *       source="podnet.RULE"/></file></checkstyle>}, severity {@code error|warning|info} (hint becomes info),
 *       every input file listed even when it has no finding.</li>
 * </ul>
 * Lines and columns are 1-based, columns in UTF-16 code units. Characters XML 1.0 cannot carry (control
 * characters from a binary file name or message) are replaced by U+FFFD.
 */
public final class XmlFormats {

    private XmlFormats() {
    }

    /** Writes the JUnit XML report. */
    public static void junit(Report report, Writer out) throws IOException {
        Map<String, List<Diagnostic>> byFile = byFile(report);
        int tests = 0;
        int failures = 0;
        for (List<Diagnostic> ds : byFile.values()) {
            tests += Math.max(1, ds.size());
            failures += (int) ds.stream().filter(d -> d.severity().atLeast(report.failOn())).count();
        }
        try {
            XMLStreamWriter w = start(out);
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "podnet");
            w.writeAttribute("tests", Integer.toString(tests));
            w.writeAttribute("failures", Integer.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("time", "0");
            int id = 0;
            for (Map.Entry<String, List<Diagnostic>> e : byFile.entrySet()) {
                List<Diagnostic> ds = e.getValue();
                long fails = ds.stream().filter(d -> d.severity().atLeast(report.failOn())).count();
                w.writeStartElement("testsuite");
                w.writeAttribute("name", clean(e.getKey()));
                w.writeAttribute("id", Integer.toString(id++));
                w.writeAttribute("tests", Integer.toString(Math.max(1, ds.size())));
                w.writeAttribute("failures", Long.toString(fails));
                w.writeAttribute("errors", "0");
                w.writeAttribute("skipped", "0");
                w.writeAttribute("time", "0");
                if (ds.isEmpty()) {
                    w.writeEmptyElement("testcase");
                    w.writeAttribute("classname", clean(e.getKey()));
                    w.writeAttribute("name", "podnet lint");
                    w.writeAttribute("time", "0");
                }
                for (Diagnostic d : ds) {
                    w.writeStartElement("testcase");
                    w.writeAttribute("classname", clean(e.getKey()));
                    w.writeAttribute("name", d.rule() + " " + (d.range().startLine() + 1) + ":"
                            + (d.range().startChar() + 1));
                    w.writeAttribute("time", "0");
                    String line = textLine(d);
                    if (d.severity().atLeast(report.failOn())) {
                        w.writeStartElement("failure");
                        w.writeAttribute("message", clean(d.message()));
                        w.writeAttribute("type", d.severity().word());
                        w.writeCharacters(clean(line));
                        w.writeEndElement();
                    } else {
                        w.writeStartElement("system-out");
                        w.writeCharacters(clean(line));
                        w.writeEndElement();
                    }
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
            end(w, out);
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
        }
    }

    /** Writes the checkstyle XML report. */
    public static void checkstyle(Report report, Writer out) throws IOException {
        try {
            XMLStreamWriter w = start(out);
            w.writeStartElement("checkstyle");
            w.writeAttribute("version", "4.3");
            for (Map.Entry<String, List<Diagnostic>> e : byFile(report).entrySet()) {
                w.writeStartElement("file");
                w.writeAttribute("name", clean(e.getKey()));
                for (Diagnostic d : e.getValue()) {
                    w.writeEmptyElement("error");
                    w.writeAttribute("line", Integer.toString(d.range().startLine() + 1));
                    w.writeAttribute("column", Integer.toString(d.range().startChar() + 1));
                    w.writeAttribute("severity", d.severity() == Severity.HINT ? "info" : d.severity().word());
                    w.writeAttribute("message", clean(d.message() + " [" + d.rule() + "]"));
                    w.writeAttribute("source", "podnet." + d.rule());
                }
                w.writeEndElement();
            }
            w.writeEndElement();
            end(w, out);
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the checkstyle report: " + e.getMessage(), e);
        }
    }

    /** Findings grouped by file: every input in input order (possibly with no finding), then other files. */
    private static Map<String, List<Diagnostic>> byFile(Report report) {
        Map<String, List<Diagnostic>> m = new LinkedHashMap<>();
        report.inputs().forEach(in -> m.putIfAbsent(in.path(), new ArrayList<>()));
        for (Diagnostic d : report.diagnostics()) {
            m.computeIfAbsent(d.file(), k -> new ArrayList<>()).add(d);
        }
        return m;
    }

    private static String textLine(Diagnostic d) {
        return String.format("%s:%d:%d: %s: %s [%s]", d.file(), d.range().startLine() + 1,
                d.range().startChar() + 1, d.severity().word(), d.message(), d.rule());
    }

    private static XMLStreamWriter start(Writer out) throws XMLStreamException {
        XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        return w;
    }

    private static void end(XMLStreamWriter w, Writer out) throws XMLStreamException, IOException {
        w.writeEndDocument();
        w.flush();
        w.close();
        out.write(System.lineSeparator());
        out.flush();
    }

    /** Replaces characters XML 1.0 cannot represent (section 2.2, production [2] Char) by U+FFFD. */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
