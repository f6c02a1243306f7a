package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;

/** The language service over the small test schemas in test-schemas/cni (with an INDEX.json). */
class LanguageServiceTest {
    private final LanguageService svc = new LanguageService(
            dev.podnet.cni.schema.CniSchemas.Catalog.load(getClass().getClassLoader(), "test-schemas/cni/"));

    //  col:   0         1         2         3         4         5         6
    //         0123456789012345678901234567890123456789012345678901234567890123456
    static final String LIST = String.join("\n",
            "{",
            "  \"cniVersion\": \"1.0.0\",",
            "  \"name\": \"net\",",
            "  \"plugins\": [",
            "    {\"type\": \"tiny\", \"mode\": \"l2\", \"ipam\": {\"type\": \"tiny-ipam\"}}",
            "  ]",
            "}", "");

    private static Range range(int sl, int sc, int el, int ec) {
        return new Range(new Position(sl, sc), new Position(el, ec));
    }

    private static String markdown(Hover h) {
        return h.getContents().getRight().getValue();
    }

    @Test
    void hoverOnAPluginKeyShowsThePluginSchemaDescription() {
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, LIST);
        Hover h = svc.hover(d, new Position(4, 23)).orElseThrow();
        assertThat(h.getRange()).isEqualTo(range(4, 21, 4, 27));
        assertThat(markdown(h)).isEqualTo("**mode**\n\nTest: operating mode.");
    }

    @Test
    void hoverOnAValueDescribesItsKey() {
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, LIST);
        Hover h = svc.hover(d, new Position(2, 12)).orElseThrow();
        assertThat(h.getRange()).isEqualTo(range(2, 10, 2, 15));
        assertThat(markdown(h)).isEqualTo("**name** (`string`)\n\nTest: list name.");
    }

    @Test
    void hoverInsideIpamFallsBackToTheBaseDescriptionWhenTheIpamSchemaHasNone() {
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, LIST);
        Hover h = svc.hover(d, new Position(4, 46)).orElseThrow();
        assertThat(h.getRange()).isEqualTo(range(4, 44, 4, 50));
        assertThat(markdown(h)).isEqualTo("**type** (`string`)\n\nTest: IPAM binary.");
    }

    @Test
    void hoverFollowsSameFileRefs() {
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, LIST);
        assertThat(markdown(svc.hover(d, new Position(1, 4)).orElseThrow()))
                .isEqualTo("**cniVersion** (`string`)\n\nTest: spec version.");
    }

    @Test
    void noHoverOutsideCniConfigsOrOnUnknownKeys() {
        assertThat(svc.hover(new TextDocument("file:///w/np.yaml", 1, "apiVersion: v1\nkind: Pod\n"),
                new Position(0, 2))).isEmpty();
        assertThat(svc.hover(new TextDocument("file:///w/x.conflist", 1, "{\"plugins\": [{\"type\": \"tiny\", "
                + "\"bogus\": 1}]}"), new Position(0, 33))).isEmpty();
    }

    @Test
    void completesMissingKeysOfThePluginUnderTheCursorWhileTheTextIsBroken() {
        // half-typed: an unterminated key after the last member, no closing brackets
        String text = "{\"cniVersion\": \"1.0.0\", \"plugins\": [{\"type\": \"tiny\", \"ha";
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, text);
        List<CompletionItem> items = svc.completion(d, new Position(0, text.length()));
        assertThat(items).extracting(CompletionItem::getLabel).containsExactly("hairpinMode", "mode", "ipam");
        CompletionItem hairpin = items.get(0);
        TextEdit e = hairpin.getTextEdit().getLeft();
        assertThat(e.getRange()).isEqualTo(range(0, 53, 0, 56));
        assertThat(e.getNewText()).isEqualTo("\"hairpinMode\": ");
        assertThat(hairpin.getDetail()).isEqualTo("boolean");
        assertThat(hairpin.getDocumentation().getRight().getValue())
                .isEqualTo("Test: reflect traffic back to the sender.");
    }

    @Test
    void completesTopLevelKeysOfAList() {
        String text = "{\"name\": \"n\", }";
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, text);
        List<CompletionItem> items = svc.completion(d, new Position(0, 14));
        assertThat(items).extracting(CompletionItem::getLabel).containsExactly("cniVersion", "plugins");
        assertThat(items.get(0).getTextEdit().getLeft()).isEqualTo(new TextEdit(range(0, 14, 0, 14),
                "\"cniVersion\": "));
    }

    @Test
    void completesPluginTypesAndEnumValues() {
        String text = "{\"plugins\": [{\"type\": \"t\", \"mode\": }]}";
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, text);
        List<CompletionItem> types = svc.completion(d, new Position(0, 24));
        assertThat(types).extracting(CompletionItem::getLabel).containsExactly("tiny");
        assertThat(types.get(0).getTextEdit().getLeft()).isEqualTo(new TextEdit(range(0, 22, 0, 25), "\"tiny\""));
        assertThat(svc.completion(d, new Position(0, 35))).as("unknown plugin type: no schema for mode").isEmpty();
        String tiny = "{\"plugins\": [{\"type\": \"tiny\", \"mode\": }]}";
        List<CompletionItem> modes = svc.completion(new TextDocument("file:///w/10.conflist", 1, tiny),
                new Position(0, 38));
        assertThat(modes).extracting(CompletionItem::getLabel).containsExactly("l2", "l3");
        assertThat(modes.get(1).getTextEdit().getLeft()).isEqualTo(new TextEdit(range(0, 38, 0, 38), "\"l3\""));
    }

    @Test
    void symbolsOfAConflistNameTheNetworkAndPluginsByType() {
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, LIST);
        List<DocumentSymbol> s = svc.symbols(d);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).getName()).isEqualTo("net");
        assertThat(s.get(0).getKind()).isEqualTo(SymbolKind.Namespace);
        assertThat(s.get(0).getRange()).isEqualTo(range(0, 0, 6, 1));
        assertThat(s.get(0).getSelectionRange()).isEqualTo(range(2, 2, 2, 15));
        DocumentSymbol p = s.get(0).getChildren().get(0);
        assertThat(p.getName()).isEqualTo("tiny");
        assertThat(p.getRange()).isEqualTo(range(4, 4, 4, 65));
        assertThat(p.getSelectionRange()).isEqualTo(range(4, 5, 4, 19));
        assertThat(p.getChildren()).extracting(DocumentSymbol::getName).containsExactly("ipam: tiny-ipam");
    }

    @Test
    void symbolsOfAManifestStreamNameEachObject() {
        String yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n"
                + "  namespace: shop\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
        List<DocumentSymbol> s = svc.symbols(new TextDocument("file:///w/np.yaml", 1, yaml));
        assertThat(s).extracting(DocumentSymbol::getName).containsExactly("NetworkPolicy deny", "Namespace shop");
        assertThat(s.get(0).getSelectionRange()).isEqualTo(range(3, 2, 3, 6));
        assertThat(s.get(0).getDetail()).isEqualTo("namespace shop");
        assertThat(s.get(1).getRange().getStart()).isEqualTo(new Position(6, 0));
    }

    @Test
    void hairpinQuickFixAddsTheMemberOnItsOwnLine() {
        String text = "{\n  \"plugins\": [\n    {\n      \"type\": \"bridge\",\n      \"bridge\": \"cni0\"\n    }\n  ]\n}\n";
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, text);
        Diagnostic diag = new Diagnostic(range(3, 14, 3, 22), "bridge without hairpinMode: a pod cannot reach "
                + "itself through its Service; set \"hairpinMode\": true");
        List<CodeAction> actions = svc.codeActions(d, List.of(diag));
        assertThat(actions).hasSize(1);
        TextEdit e = actions.get(0).getEdit().getChanges().get("file:///w/10.conflist").get(0);
        assertThat(e).isEqualTo(new TextEdit(range(4, 22, 4, 22), ",\n      \"hairpinMode\": true"));
        TextDocument fixed = d.apply(2, List.of(new org.eclipse.lsp4j.TextDocumentContentChangeEvent(e.getRange(),
                e.getNewText())));
        assertThat(fixed.text()).contains("\"bridge\": \"cni0\",\n      \"hairpinMode\": true\n    }");
        assertThat(actions.get(0).getDiagnostics()).containsExactly(diag);
    }

    @Test
    void hairpinQuickFixReplacesAFalseValueAndFindsTheOnlyBridge() {
        String text = "{\"plugins\": [{\"type\": \"bridge\", \"hairpinMode\": false}, {\"type\": \"portmap\"}]}";
        TextDocument d = new TextDocument("file:///w/10.conflist", 1, text);
        Diagnostic atTop = new Diagnostic(range(0, 0, 0, 1), "hairpinMode is off on the bridge plugin");
        TextEdit e = svc.codeActions(d, List.of(atTop)).get(0).getEdit().getChanges().values().iterator().next()
                .get(0);
        assertThat(e).isEqualTo(new TextEdit(range(0, 47, 0, 52), "true"));
        Diagnostic other = new Diagnostic(range(0, 0, 0, 1), "something else");
        assertThat(svc.codeActions(d, List.of(other))).isEmpty();
    }

    @Test
    void theCatalogOfAnotherFolderReadsItsIndexAndAMissingFolderIsAClearError() {
        var c = dev.podnet.cni.schema.CniSchemas.Catalog.load(getClass().getClassLoader(), "test-schemas/cni/");
        assertThat(c.pluginTypes()).containsExactly("tiny");
        assertThat(c.ipamTypes()).containsExactly("tiny-ipam");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.podnet.cni.schema.CniSchemas.Catalog.load(
                getClass().getClassLoader(), "no-such-folder/"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-folder/INDEX.json");
    }

    /** The shipped schemas: hover on the bridge plugin's hairpinMode shows that schema file's description. */
    @Test
    void shippedBridgeSchemaDescribesHairpinMode() throws Exception {
        com.fasterxml.jackson.databind.JsonNode bridge;
        try (java.io.InputStream in = getClass().getClassLoader()
                .getResourceAsStream("schemas/cni/bridge.schema.json")) {
            bridge = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        String expected = bridge.path("properties").path("hairpinMode").path("description").asText();
        assertThat(expected).isNotEmpty();
        String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", "
                + "\"hairpinMode\": true}]}";
        Hover h = LanguageService.standard().hover(new TextDocument("file:///n/10.conflist", 1, text),
                new Position(0, text.indexOf("hairpinMode") + 2)).orElseThrow();
        assertThat(markdown(h)).isEqualTo("**hairpinMode** (`boolean`)\n\n" + expected);
    }
}
