package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code podnet lint -} reads standard input, as kube-linter and kubeconform do ({@code kustomize build | ...}). */
class StdinInputTest {

    @Test
    void dashReadsStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: p, namespace: shop}
                    spec:
                      podSelector: {}
                      policyTypes: [Ingres]
                    """.getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.run("lint", "--no-config", "--format", "json", "-");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.diagnostics()).extracting(d -> d.path("rule").asText()).contains("NP007");
            JsonNode d = r.diagnostics().stream().filter(x -> x.path("rule").asText().equals("NP007")).findFirst()
                    .orElseThrow();
            assertThat(d.path("file").asText()).isEqualTo("<stdin>");
            assertThat(d.path("line").asInt()).isEqualTo(6);
        } finally {
            System.setIn(saved);
        }
    }
}
