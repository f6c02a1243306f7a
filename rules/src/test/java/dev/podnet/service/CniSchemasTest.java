package dev.podnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;

class CniSchemasTest {

    @Test
    void indexMapsTypesToFiles() {
        CniSchemas s = CniSchemas.load(getClass().getClassLoader(), "test-schemas/cni/");
        assertThat(s.pluginTypes()).containsOnlyKeys("tiny");
        assertThat(s.ipamTypes()).containsEntry("tiny-ipam", "tiny-ipam.schema.json");
    }

    @Test
    void withoutAnIndexTheFolderIsListedAndSchemasPlacedByContent() {
        CniSchemas s = CniSchemas.load(getClass().getClassLoader(), "test-schemas-noindex/cni");
        assertThat(s.pluginTypes()).containsExactly(java.util.Map.entry("tiny", "tiny.schema.json"));
        assertThat(s.ipamTypes()).containsExactly(java.util.Map.entry("tiny-ipam", "tiny-ipam.schema.json"));
        assertThat(s.properties(List.of(s.plugin("tiny").orElseThrow())).keySet())
                .containsExactly("type", "hairpinMode", "mode", "ipam");
    }

    @Test
    void missingFolderGivesNoSchemasAndNoErrors() {
        CniSchemas s = CniSchemas.load(getClass().getClassLoader(), "no-such-folder/");
        assertThat(s.pluginTypes()).isEmpty();
        assertThat(s.conflist()).isEmpty();
        LanguageService svc = new LanguageService(s);
        TextDocument d = new TextDocument("file:///x.conflist", 1, "{\"plugins\": [{\"type\": \"bridge\"}]}");
        assertThat(svc.hover(d, new Position(0, 16))).isEmpty();
        assertThat(svc.completion(d, new Position(0, 14))).isEmpty();
    }

    /** The shipped schemas: hover on the bridge plugin's hairpinMode shows that schema file's description. */
    @Test
    void shippedBridgeSchemaDescribesHairpinMode() throws Exception {
        JsonNode bridge;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/cni/bridge.schema.json")) {
            bridge = new ObjectMapper().readTree(in);
        }
        String expected = bridge.path("properties").path("hairpinMode").path("description").asText();
        assertThat(expected).isNotEmpty();
        CniSchemas s = CniSchemas.standard();
        assertThat(s.pluginTypes()).containsKeys("bridge", "ptp", "portmap");
        assertThat(s.ipamTypes()).containsKeys("host-local");
        String text = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", "
                + "\"hairpinMode\": true}]}";
        var h = LanguageService.standard().hover(new TextDocument("file:///n/10.conflist", 1, text),
                new Position(0, text.indexOf("hairpinMode") + 2)).orElseThrow();
        assertThat(h.getContents().getRight().getValue()).endsWith(expected);
    }
}
