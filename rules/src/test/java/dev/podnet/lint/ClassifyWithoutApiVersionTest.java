package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@link LintEngine#classify} reads a document without apiVersion as a manifest only when its kind is one podnet
 * reads (NetworkPolicy and the inventory kinds, reported NP020/INV005); a CNI config, node facts or another YAML
 * map that happens to have {@code kind} and {@code metadata} keys keeps its own kind.
 */
class ClassifyWithoutApiVersionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DocKind classify(String json) throws Exception {
        JsonNode n = JSON.readTree(json);
        return LintEngine.classify(n);
    }

    @Test
    void kindsPodnetReadsAreManifests() throws Exception {
        assertThat(classify("{\"kind\": \"NetworkPolicy\", \"metadata\": {\"name\": \"a\"}}"))
                .isEqualTo(DocKind.MANIFEST);
        assertThat(classify("{\"kind\": \"Deployment\", \"metadata\": {\"name\": \"a\"}}"))
                .isEqualTo(DocKind.MANIFEST);
    }

    @Test
    void otherDocumentsWithKindAndMetadataKeepTheirKind() throws Exception {
        assertThat(classify("{\"cniVersion\": \"1.0.0\", \"name\": \"x\", \"type\": \"bridge\", \"kind\": \"l2\", "
                + "\"metadata\": {}}")).isEqualTo(DocKind.CNI_CONF);
        assertThat(classify("{\"cniVersion\": \"1.0.0\", \"name\": \"x\", \"plugins\": [], \"kind\": \"l2\", "
                + "\"metadata\": {}}")).isEqualTo(DocKind.CNI_CONFLIST);
        assertThat(classify("{\"kind\": \"NodeFacts\", \"metadata\": {\"name\": \"a\"}, \"name\": \"node-a\", "
                + "\"podCIDR\": \"10.244.1.0/24\"}")).isEqualTo(DocKind.NODE_FACTS);
        assertThat(classify("{\"kind\": \"widget\", \"metadata\": {\"owner\": \"team-a\"}, \"settings\": {}}"))
                .isEqualTo(DocKind.OTHER);
    }
}
