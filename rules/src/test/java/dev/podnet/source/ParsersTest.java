package dev.podnet.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {

    private static ParseResult json(String text) {
        return JsonSourceParser.parse(new SourceText("t.json", text));
    }

    private static ParseResult yaml(String text) {
        return YamlSourceParser.parse(new SourceText("t.yaml", text));
    }

    @Test
    void jsonRangesOfValuesAndKeys() {
        ParseResult r = json("{\n  \"name\": \"net\",\n  \"plugins\": [ {\"type\": \"bridge\"} ]\n}\n");
        assertThat(r.diagnostics()).isEmpty();
        SourceDoc d = r.docs().get(0);
        assertThat(d.rangeOf("/name")).isEqualTo(new Range(1, 10, 1, 15));
        assertThat(d.keyRangeOf("/name")).isEqualTo(new Range(1, 2, 1, 8));
        assertThat(d.rangeOf("/plugins/0/type")).isEqualTo(new Range(2, 24, 2, 32));
        assertThat(d.at("/plugins/0/type").asText()).isEqualTo("bridge");
        // a missing pointer falls back to the nearest existing ancestor's key
        assertThat(d.rangeOf("/plugins/0/ipam/subnet")).isEqualTo(new Range(2, 15, 2, 33));
    }

    @Test
    void jsonMissingClosingQuoteOfKeyIsReportedAtTheValue() {
        String text = "{\n  \"ipam\": {\n    \"assign_ipv4\": \"true\",\n    \"assign_ipv6: \"true\"\n  }\n}\n";
        Diagnostic d = json(text).diagnostics().get(0);
        assertThat(d.rule()).isEqualTo("SYN001");
        assertThat(d.range().startLine()).isEqualTo(3);
        assertThat(d.range().startChar()).isEqualTo(19);
        assertThat(d.message()).contains("\"assign_ipv6 is missing its closing quote");
    }

    @Test
    void jsonTrailingCommaAndDuplicateKeyAndDepth() {
        assertThat(json("{\"a\": [1, 2,]}").diagnostics().get(0).message()).contains("trailing comma");
        ParseResult dup = json("{\"a\": 1, \"a\": 2}");
        assertThat(dup.diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN002");
        assertThat(dup.docs().get(0).at("/a").asInt()).isEqualTo(2);
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(json(deep).diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN004");
        assertThat(json("{\"a\": 1").diagnostics().get(0).message()).contains("ends before");
    }

    @Test
    void yamlMultiDocumentRangesAndUtf16Columns() {
        ParseResult r = yaml("a: 1\n---\nkind: Pod\nmetadata:\n  name: \"\uD83D\uDE00x\"\n  labels: {app: web}\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.docs()).hasSize(2);
        SourceDoc pod = r.docs().get(1);
        assertThat(pod.keyRangeOf("/metadata/name")).isEqualTo(new Range(4, 2, 4, 6));
        assertThat(pod.rangeOf("/metadata/name")).isEqualTo(new Range(4, 8, 4, 13));
        assertThat(pod.rangeOf("/metadata/labels/app")).isEqualTo(new Range(5, 16, 5, 19));
    }

    @Test
    void yamlTabsAliasBombsAndFlowDepth() {
        assertThat(yaml("a:\n\tb: 1\n").diagnostics().get(0).message()).contains("tab");
        assertThat(yaml(RandomYaml.aliasBomb()).diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN004");
        StringBuilder small = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            small.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        assertThat(yaml(small.toString()).diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN004");
        assertThat(yaml("[".repeat(10_000)).diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN004");
        assertThat(yaml("a: &x\n  b: *x\n").diagnostics()).isNotEmpty();
    }

    @Test
    void yamlDuplicateKeys() {
        ParseResult r = yaml("metadata:\n  name: a\n  name: b\n");
        assertThat(r.diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN002");
        assertThat(r.diagnostics().get(0).range().startLine()).isEqualTo(2);
    }

    @Test
    void aKeyWrittenAfterAMergeOverridesTheMergedValueWithoutADuplicateFinding() {
        // inline merge (read from parser events) and merge through an alias (read through the Composer)
        for (String text : List.of("port:\n  <<: {port: 53, protocol: UDP}\n  port: 54\n",
                "base: &b {port: 53, protocol: UDP}\nport:\n  <<: *b\n  port: 54\n")) {
            ParseResult r = yaml(text);
            assertThat(r.diagnostics()).as(text).isEmpty();
            SourceDoc d = r.docs().get(0);
            assertThat(d.at("/port/port").asInt()).as(text).isEqualTo(54);
            assertThat(d.at("/port/protocol").asText()).as(text).isEqualTo("UDP");
            assertThat(d.keyRangeOf("/port/port").startLine()).as(text).isEqualTo(text.startsWith("base") ? 3 : 2);
        }
        // written twice after the merge: the second one is a duplicate of the first
        ParseResult twice = yaml("p:\n  <<: {a: 1}\n  a: 2\n  a: 3\n");
        assertThat(twice.diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN002");
        assertThat(twice.diagnostics().get(0).range().startLine()).isEqualTo(3);
        // written before the merge: the written value stays, and nothing is reported
        ParseResult before = yaml("p:\n  a: 2\n  <<: {a: 1, b: 1}\n");
        assertThat(before.diagnostics()).isEmpty();
        assertThat(before.docs().get(0).at("/p/a").asInt()).isEqualTo(2);
    }

    @Test
    void yamlEscapeCutOffByTheEndOfTheTextIsAnUnclosedString() {
        for (String text : List.of("a: \"\\u", "a: 1\n---\nb: \"\\x", "a: \"\\U")) {
            ParseResult r = yaml(text);
            assertThat(r.diagnostics()).extracting(Diagnostic::rule).containsExactly("SYN001");
            Diagnostic d = r.diagnostics().get(0);
            assertThat(d.message()).isEqualTo("invalid YAML: a quoted string is never closed; add the closing quote");
            String last = text.substring(text.lastIndexOf('\n') + 1);
            assertThat(d.range()).isEqualTo(new Range(text.split("\n").length - 1, last.length(),
                    text.split("\n").length - 1, last.length() + 1));
        }
        assertThat(yaml("a: 1\n---\nb: \"\\x").docs()).hasSize(1);
    }

    @Test
    void anUnclosedQuoteOrBracketIsReportedWhereItOpens() {
        // the parser only notices at the next line (or at the end of the file): the finding goes to the opener
        String[][] cases = {
            {"metadata:\n  name: [web\n  namespace: shop\n", "1:8", "this '[' is never closed (the parser gave up "
                    + "at line 3, column 12); close it with ']' or separate the items with ','"},
            {"metadata:\n  labels: {app: web\n  namespace: shop\n", "1:10", "this '{' is never closed (the parser "
                    + "gave up at line 3, column 12); close it with '}' or separate the items with ','"},
            {"a: 1\nb: \"x\nc: 2\nd: 3\n", "1:3", "this quoted string is never closed (the parser gave up at line 5, "
                    + "column 1); add the closing \""},
            {"a: 'x\nb: 1\n", "0:3", "this quoted string is never closed (the parser gave up at line 3, column 1); "
                    + "add the closing '"},
        };
        for (String[] c : cases) {
            ParseResult r = yaml(c[0]);
            assertThat(r.diagnostics()).as(c[0]).extracting(Diagnostic::rule).containsExactly("SYN001");
            Diagnostic d = r.diagnostics().get(0);
            assertThat(d.range().startLine() + ":" + d.range().startChar()).as(c[0]).isEqualTo(c[1]);
            assertThat(d.message()).as(c[0]).isEqualTo("invalid YAML: " + c[2]);
        }
    }
}
