package dev.podnet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.ProjectLinks;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import dev.podnet.source.Range;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes a SARIF 2.1.0 log (OASIS SARIF v2.1.0, {@code sarif-schema-2.1.0.json}) with one run, shaped for GitHub
 * code scanning ("SARIF support for code scanning", docs.github.com):
 * <ul>
 *   <li>{@code runs[0].tool.driver}: {@code name}, {@code semanticVersion}, {@code informationUri} and
 *       {@code rules[]} with every rule of the {@link RuleRegistry} ({@code id}, {@code name},
 *       {@code shortDescription}, {@code fullDescription}, {@code help.text}/{@code help.markdown} carrying the
 *       fix, {@code helpUri}, {@code defaultConfiguration.level}, {@code properties.tags}).</li>
 *   <li>{@code results[]}: {@code ruleId}, {@code ruleIndex} (into {@code rules[]}), {@code level}
 *       (error, warning; info and hint become {@code note}), {@code message.text}, one location whose
 *       {@code artifactLocation.uri} is relative to the SARIF root (uriBaseId {@code %SRCROOT%}, declared in
 *       {@code originalUriBaseIds}) or an absolute {@code file:} URI for a file outside it, a 1-based
 *       {@code region} (columns in UTF-16 code units, {@code endColumn} one past the last character),
 *       {@code relatedLocations[]} for related places, and
 *       {@code partialFingerprints.primaryLocationLineHash}.</li>
 *   <li>{@code columnKind: utf16CodeUnits}, so columns match the language server and the text format.</li>
 * </ul>
 * The line hash is {@code <16 hex digits>:<n>}: the first 64 bits of SHA-256 over the rule id and the
 * reported line with all white space removed, and {@code n} counting earlier results in the same file with the
 * same hash. It survives edits elsewhere in the file and re-indentation, which is what GitHub uses it for
 * (tracking an alert across commits); it is not GitHub's own rolling hash.
 */
public final class SarifFormat {
    /** The schema URI written into {@code $schema} (the OASIS errata 01 location GitHub documents). */
    public static final String SCHEMA_URI =
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** The uriBaseId of relative artifact locations. */
    public static final String SRCROOT = "%SRCROOT%";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SarifFormat() {
    }

    /** Builds the SARIF log as a JSON tree. */
    public static ObjectNode build(Report report) {
        ObjectNode log = JSON.createObjectNode();
        log.put("$schema", SCHEMA_URI);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "podnet");
        String version = PodnetCli.version();
        driver.put("semanticVersion", version);
        driver.put("version", version);
        driver.put("informationUri", ProjectLinks.homepage().toString());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (RuleInfo r : RuleRegistry.get().all()) {
            ruleIndex.put(r.id(), rules.size());
            rule(rules.addObject(), r);
        }
        Path root = report.sarifRoot().toAbsolutePath().normalize();
        ObjectNode base = run.putObject("originalUriBaseIds").putObject(SRCROOT);
        base.put("uri", directoryUri(root));
        run.putArray("invocations").addObject().put("executionSuccessful", true)
                .putObject("workingDirectory").put("uri", directoryUri(root));
        run.put("columnKind", "utf16CodeUnits");
        ArrayNode results = run.putArray("results");
        Map<String, String> texts = report.texts();
        Map<String, Integer> seen = new HashMap<>();
        for (Diagnostic d : report.diagnostics()) {
            ObjectNode res = results.addObject();
            res.put("ruleId", d.rule());
            Integer idx = ruleIndex.get(d.rule());
            if (idx != null) {
                res.put("ruleIndex", idx);
            }
            res.put("level", level(d.severity()));
            res.putObject("message").put("text", d.message());
            ObjectNode loc = res.putArray("locations").addObject();
            physical(loc.putObject("physicalLocation"), d.file(), d.range(), root);
            if (!d.related().isEmpty()) {
                ArrayNode rel = res.putArray("relatedLocations");
                int id = 1;
                for (Diagnostic.Related r : d.related()) {
                    ObjectNode rl = rel.addObject();
                    rl.put("id", id++);
                    physical(rl.putObject("physicalLocation"), r.file(), r.range(), root);
                    rl.putObject("message").put("text", r.message());
                }
            }
            String hash = lineHash(d.rule(), lineText(texts.get(d.file()), d.range().startLine()));
            int n = seen.merge(d.file() + "\u0000" + hash, 1, Integer::sum);
            res.putObject("partialFingerprints").put("primaryLocationLineHash", hash + ":" + n);
        }
        return log;
    }

    /** Writes the SARIF log. */
    public static void write(Report report, PrintWriter out) throws IOException {
        out.println(JSON.writeValueAsString(build(report)));
        out.flush();
    }

    private static void rule(ObjectNode o, RuleInfo r) {
        o.put("id", r.id());
        o.put("name", name(r.title()));
        o.putObject("shortDescription").put("text", clip(r.title(), 1024));
        o.putObject("fullDescription").put("text", clip(r.description().replace('\n', ' ').strip(), 1024));
        String help = r.id() + ": " + r.title() + "\n\n" + r.description() + "\n\nFix: " + r.fix()
                + (r.source().isEmpty() ? "" : "\n\nSource: " + r.source());
        String md = "**" + r.id() + "**: " + r.title() + "\n\n" + r.description() + "\n\n**Fix:** " + r.fix()
                + (r.source().isEmpty() ? "" : "\n\n*Source:* " + r.source())
                + "\n\n[Documentation](" + r.helpUri() + ")";
        ObjectNode h = o.putObject("help");
        h.put("text", help);
        h.put("markdown", md);
        o.put("helpUri", r.helpUri());
        o.putObject("defaultConfiguration").put("level", level(r.severity()));
        ObjectNode props = o.putObject("properties");
        ArrayNode tags = props.putArray("tags");
        tags.add("podnet");
        tags.add(r.family());
        props.put("problem.severity", r.severity() == Severity.ERROR ? "error"
                : r.severity() == Severity.WARNING ? "warning" : "recommendation");
    }

    private static void physical(ObjectNode pl, String file, Range range, Path root) {
        ObjectNode art = pl.putObject("artifactLocation");
        String rel = relativeUri(file, root);
        if (rel != null) {
            art.put("uri", rel);
            art.put("uriBaseId", SRCROOT);
        } else {
            art.put("uri", absoluteUri(file));
        }
        ObjectNode region = pl.putObject("region");
        region.put("startLine", range.startLine() + 1);
        region.put("startColumn", range.startChar() + 1);
        region.put("endLine", range.endLine() + 1);
        region.put("endColumn", range.endChar() + 1);
    }

    /** SARIF result level for a severity: error, warning, or note (info and hint). */
    public static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO, HINT -> "note";
        };
    }

    /**
     * The path of {@code file} relative to {@code root} as a relative URI reference with {@code /} separators
     * and percent-encoding, or null when the file lies outside {@code root} (or is not a file-system path).
     * Symbolic links are resolved on both sides when the files exist, so the URI names the file as the
     * repository holds it.
     */
    static String relativeUri(String file, Path root) {
        Path p;
        try {
            p = Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        Path abs = real(p.toAbsolutePath().normalize());
        Path r = real(root);
        if (!abs.startsWith(r) || abs.equals(r)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Path part : r.relativize(abs)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        try {
            String s = new URI(null, null, sb.toString(), null).toASCIIString();
            int slash = s.indexOf('/');
            int colon = s.indexOf(':');
            if (colon >= 0 && (slash < 0 || colon < slash)) {
                s = "./" + s; // "a:b" would read as a URI scheme
            }
            return s;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** A {@code file:} URI for a path outside the SARIF root; a display name that is no path is percent-encoded. */
    private static String absoluteUri(String file) {
        try {
            return Path.of(file).toAbsolutePath().normalize().toUri().toString();
        } catch (java.nio.file.InvalidPathException e) {
            try {
                return new URI(null, null, file, null).toASCIIString();
            } catch (URISyntaxException e2) {
                return "unknown";
            }
        }
    }

    private static Path real(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    private static String directoryUri(Path dir) {
        String u = real(dir).toUri().toString();
        return u.endsWith("/") ? u : u + "/";
    }

    private static String lineText(String text, int line) {
        if (text == null) {
            return "";
        }
        int start = 0;
        for (int i = 0; i < line; i++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return "";
            }
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The first 64 bits (16 hex digits) of SHA-256 over the rule id and the line without white space. */
    static String lineHash(String rule, String line) {
        StringBuilder sb = new StringBuilder(rule).append('\u0000');
        line.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(sb::appendCodePoint);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** A rule name in PascalCase from its title ("A key appears twice" becomes "AKeyAppearsTwice"). */
    static String name(String title) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : title.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            } else {
                up = true;
            }
        }
        return clip(sb.toString(), 255);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
