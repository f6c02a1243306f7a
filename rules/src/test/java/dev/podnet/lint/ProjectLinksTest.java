package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The documentation address has one source (the parent pom's {@code <url>}, filtered into
 * {@code podnet/project.properties}), is a valid absolute URI, and every rule's link lands on an anchor that
 * docs/rules.md has. Runs from the rules module, so the repository files are {@code ../pom.xml} and
 * {@code ../docs/rules.md}.
 */
class ProjectLinksTest {

    static String pomUrl() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element project = f.newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile()).getDocumentElement();
        var children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getLocalName().equals("url")) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("the parent pom has no <url>");
    }

    /** The anchors GitHub gives the headings of a Markdown file (lower case, punctuation dropped, spaces to '-'). */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
                out.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }

    @Test
    void homepageIsTheParentPomUrlAndAnAbsoluteUri() throws Exception {
        URI home = ProjectLinks.homepage();
        assertThat(home.isAbsolute()).isTrue();
        assertThat(home.getScheme()).isEqualTo("https");
        assertThat(home.getHost()).isNotBlank();
        assertThat(home.toString()).isEqualTo(pomUrl());
        assertThat(ProjectLinks.rulesDoc().toString()).startsWith(pomUrl() + "/").endsWith("/docs/rules.md");
    }

    @Test
    void everyRuleLinkIsAnAbsoluteUriToAnAnchorOfDocsRulesMd() throws Exception {
        Set<String> anchors = anchors(Files.readString(Path.of("..", "docs", "rules.md")));
        assertThat(RuleRegistry.get().all()).isNotEmpty();
        for (RuleInfo r : RuleRegistry.get().all()) {
            URI u = new URI(r.helpUri());
            assertThat(u.isAbsolute()).as(r.helpUri()).isTrue();
            assertThat(u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath())
                    .isEqualTo(ProjectLinks.rulesDoc().toString());
            assertThat(anchors).as("docs/rules.md has a heading for " + r.id() + " (regenerate it with "
                    + "'podnet rules --markdown')").contains(u.getFragment());
        }
    }

    @Test
    void anUnfilteredOrRelativeAddressIsRefused() {
        for (String bad : new String[] {"${project.url}/blob/main/docs/rules.md", "", "docs/rules.md",
                "ftp://example.org/x", "https://exa mple.org"}) {
            Properties p = new Properties();
            p.setProperty("homepage", bad);
            assertThatThrownBy(() -> ProjectLinks.absolute(p, "homepage")).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an absolute http(s) URI");
        }
        Properties ok = new Properties();
        ok.setProperty("homepage", "https://example.org/podnet");
        assertThat(ProjectLinks.absolute(ok, "homepage")).hasHost("example.org");
    }
}
