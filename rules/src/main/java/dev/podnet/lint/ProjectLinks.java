package dev.podnet.lint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Properties;

/**
 * The project's addresses, from one place: the {@code <url>} of the parent {@code pom.xml}, which Maven filters into
 * the classpath resource {@code podnet/project.properties} ({@code homepage}, {@code rules-doc}). Read once, at first
 * use. {@link RuleInfo#helpUri()} (SARIF {@code helpUri}, LSP {@code codeDescription.href}) and SARIF
 * {@code informationUri} are built from it.
 */
public final class ProjectLinks {
    /** The classpath resource holding the filtered addresses. */
    public static final String RESOURCE = "/podnet/project.properties";

    private static final ProjectLinks INSTANCE = load();

    private final URI homepage;
    private final URI rulesDoc;

    private ProjectLinks(URI homepage, URI rulesDoc) {
        this.homepage = homepage;
        this.rulesDoc = rulesDoc;
    }

    /** The project's home page ({@code https://...}, the parent pom's {@code <url>}). */
    public static URI homepage() {
        return INSTANCE.homepage;
    }

    /** The rule documentation page (docs/rules.md as published); rule anchors are appended as fragments. */
    public static URI rulesDoc() {
        return INSTANCE.rulesDoc;
    }

    /**
     * The link to one rule's documentation: {@link #rulesDoc()} with the fragment {@code id} in lower case (the
     * anchor GitHub gives the {@code ### ID} heading of docs/rules.md).
     */
    public static String rule(String id) {
        return INSTANCE.rulesDoc + "#" + id.toLowerCase(java.util.Locale.ROOT);
    }

    private static ProjectLinks load() {
        Properties p = new Properties();
        try (InputStream in = ProjectLinks.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (a build problem)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProjectLinks(absolute(p, "homepage"), absolute(p, "rules-doc"));
    }

    /**
     * The property as an absolute http(s) URI.
     *
     * @throws IllegalStateException when it is missing, unfiltered ({@code ${project.url}}) or not such a URI
     */
    static URI absolute(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        try {
            URI u = new URI(v);
            if (u.isAbsolute() && (u.getScheme().equals("https") || u.getScheme().equals("http"))
                    && u.getHost() != null && !v.contains("${")) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalStateException(RESOURCE + ": " + key + " is '" + v + "', not an absolute http(s) URI; "
                + "the resource is filtered by Maven from the parent pom's <url>");
    }
}
