package dev.podnet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.lint.RuleInfo;
import dev.podnet.lint.RuleRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<Diagnostic> lint(String text) {
        return LintEngine.standard().lint(List.of(InputFile.of(".podnet.yaml", text))).diagnostics();
    }

    private static ProjectConfig.Parsed parse(String yaml, Path file) throws Exception {
        return ProjectConfig.parse(YAML.readTree(yaml), file);
    }

    @Test
    void fullFileParsesIntoSettingsGlobsExemptionsAndClusterFacts() throws Exception {
        ProjectConfig.Parsed p = parse("""
                rules: {SYN006: off, SYN002: error, SYN005: on, SYN001: false}
                include: ["net.d/**", "k8s/**"]
                exclude: ["k8s/generated/**"]
                exemptions:
                  - {file: "net.d/99-*.conf", rules: [SYN002], reason: "vendor file"}
                cluster:
                  podCIDR: "10.244.0.0/16,fd00:10:244::/56"
                  serviceCIDR: 10.96.0.0/12
                  dns: {namespace: kube-system, service: coredns}
                  policyEnforcement: Calico
                  kubernetesVersion: "v1.29"
                  ipBlockMatchesPodIPs: false
                """, Path.of("/repo/.podnet.yaml"));
        assertThat(p.findings()).isEmpty();
        ProjectConfig c = p.config();
        LintOptions o = c.lintOptions(() -> false);
        assertThat(o.disabled()).containsExactlyInAnyOrder("SYN006", "SYN001");
        assertThat(o.severityOverrides()).containsEntry("SYN002", Severity.ERROR).hasSize(1);
        assertThat(c.cluster().podCIDRs()).extracting(Object::toString)
                .containsExactly("10.244.0.0/16", "fd00:10:244::/56");
        assertThat(c.cluster().serviceCIDRs()).extracting(Object::toString).containsExactly("10.96.0.0/12");
        assertThat(c.cluster().dns()).isEqualTo(new ClusterFacts.Dns("kube-system", "coredns"));
        assertThat(c.cluster().policyEnforcement()).isEqualTo("calico");
        assertThat(c.cluster().kubernetesVersion()).isEqualTo("1.29");
        assertThat(c.cluster().ipBlockMatchesPodIPs()).isFalse();

        assertThat(c.includes(Path.of("/repo/net.d/10-calico.conflist"))).isTrue();
        assertThat(c.includes(Path.of("/repo/k8s/app/policy.yaml"))).isTrue();
        assertThat(c.includes(Path.of("/repo/k8s/generated/x.yaml"))).isFalse();
        assertThat(c.includes(Path.of("/repo/docs/x.yaml"))).as("not included").isFalse();
        assertThat(c.includes(Path.of("/elsewhere/x.yaml"))).as("outside the project").isTrue();
        assertThat(c.exempt(Path.of("/repo/net.d/99-legacy.conf"), "SYN002")).isTrue();
        assertThat(c.exempt(Path.of("/repo/net.d/99-legacy.conf"), "SYN001")).isFalse();
        assertThat(c.exempt(Path.of("/repo/net.d/10-calico.conflist"), "SYN002")).isFalse();
    }

    @Test
    void absentSectionsLeaveDefaults() throws Exception {
        ProjectConfig c = parse("{}", null).config();
        assertThat(c.cluster()).isEqualTo(ClusterFacts.UNKNOWN);
        assertThat(c.cluster().dns()).isEqualTo(new ClusterFacts.Dns("kube-system", "kube-dns"));
        assertThat(c.lintOptions(() -> false).disabled()).isEmpty();
        assertThat(parse("", null).findings()).isEmpty();
    }

    @Test
    void unknownKeyIsReportedAtItsLineAndColumnWithSuggestion() {
        List<Diagnostic> ds = lint("""
                rules:
                  SYN006: off
                cluster:
                  podCidr: 10.244.0.0/16
                """);
        assertThat(ds).hasSize(1);
        Diagnostic d = ds.get(0);
        assertThat(d.rule()).isEqualTo("CFG001");
        assertThat(d.range().startLine()).isEqualTo(3);
        assertThat(d.range().startChar()).isEqualTo(2);
        assertThat(d.range().endChar()).isEqualTo(9);
        assertThat(d.message()).contains("'podCidr'").contains("did you mean 'podCIDR'?");
    }

    @Test
    void unknownRuleIdSuggestsTheClosestId() {
        List<Diagnostic> ds = lint("rules:\n  SYN01: off\n");
        assertThat(ds).extracting(Diagnostic::rule).containsExactly("CFG003");
        assertThat(ds.get(0).message()).contains("did you mean 'SYN001'");
        assertThat(ds.get(0).range().startLine()).isEqualTo(1);
    }

    @Test
    void badValuesAreReportedAndLeftOut() throws Exception {
        ProjectConfig.Parsed p = parse("""
                rules: {SYN006: maybe}
                include: "net.d/**"
                exclude: ["a/{b"]
                exemptions:
                  - {rules: [SYN002]}
                cluster:
                  podCIDR: 10.244.1.0/16
                  serviceCIDR: 10.244.0.0/20
                  dns: {service: "CoreDNS"}
                  kubernetesVersion: 1.30
                  ipBlockMatchesPodIPs: "yes"
                """, null);
        assertThat(p.findings()).extracting(ProjectConfig.Finding::rule).containsExactlyInAnyOrder(
                "CFG004", "CFG002", "CFG005", "CFG007", "CFG006", "CFG009", "CFG010", "CFG012", "CFG011", "CFG002");
        ProjectConfig c = p.config();
        assertThat(c.rules()).isEmpty();
        assertThat(c.include()).isEmpty();
        assertThat(c.exclude()).isEmpty();
        assertThat(c.exemptions()).isEmpty();
        assertThat(c.cluster().podCIDRs()).extracting(Object::toString).containsExactly("10.244.0.0/16");
        assertThat(c.cluster().kubernetesVersion()).isNull();
        assertThat(c.cluster().ipBlockMatchesPodIPs()).as("a rejected value keeps the default").isTrue();
        assertThat(c.cluster().dns().service()).isEqualTo("kube-dns");
    }

    @Test
    void dualStackNeedsOneRangePerFamily() throws Exception {
        assertThat(parse("cluster: {podCIDR: \"10.244.0.0/16,10.245.0.0/16\"}", null).findings())
                .extracting(ProjectConfig.Finding::message).singleElement().asString().contains("one IPv4 and one IPv6");
        assertThat(parse("cluster: {serviceCIDR: \"10.96.0.0/12,fd00::/108,10.0.0.0/8\"}", null).findings())
                .extracting(ProjectConfig.Finding::rule).containsExactly("CFG008");
        ProjectConfig.Parsed ok = parse("cluster: {serviceCIDR: \"10.96.0.0/12, fd00:10:96::/108\"}", null);
        assertThat(ok.findings()).isEmpty();
        assertThat(ok.config().cluster().serviceCIDRs()).hasSize(2);
    }

    @Test
    void globsMatchAtTopLevelAndByFileName() {
        assertThat(new Glob("**/*.yaml").matches("a.yaml")).isTrue();
        assertThat(new Glob("**/*.yaml").matches("x/y/a.yaml")).isTrue();
        assertThat(new Glob("*.conf").matches("net.d/10-x.conf")).isTrue();
        assertThat(new Glob("net.d/*.conf").matches("other/net.d/10-x.conf")).isFalse();
        assertThat(new Glob("vendor/**").matches("vendor/a/b.yaml")).isTrue();
    }

    @Test
    void findStopsAtTheRepositoryRoot(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Path deep = repo.resolve("k8s/apps");
        Files.createDirectories(deep);
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(tmp.resolve(".podnet.yaml"), "rules: {SYN006: off}\n");
        assertThat(ProjectConfig.find(deep)).as("the file above .git is not used").isEmpty();
        Files.writeString(repo.resolve(".podnet.yaml"), "rules: {SYN006: off}\n");
        Files.writeString(deep.resolve("p.yaml"), "a: 1\n");
        assertThat(ProjectConfig.find(deep.resolve("p.yaml"))).contains(repo.resolve(".podnet.yaml"));
        ProjectConfig c = ProjectConfig.load(repo.resolve(".podnet.yaml"));
        assertThat(c.lintOptions(() -> false).disabled()).containsExactly("SYN006");
        assertThat(c.baseDir()).isEqualTo(repo.toAbsolutePath().normalize());
    }

    @Test
    void eitherNameIsAProjectFileButNotBothInOneDirectory(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Path deep = repo.resolve("k8s/apps");
        Files.createDirectories(deep);
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve("podnet.yaml"), "rules: {SYN006: off}\n");
        assertThat(ProjectConfig.find(deep)).contains(repo.resolve("podnet.yaml"));
        // the nearest directory wins: a .podnet.yaml further down is used, the podnet.yaml above is not
        Files.writeString(deep.resolve(".podnet.yaml"), "rules: {SYN005: off}\n");
        assertThat(ProjectConfig.find(deep)).contains(deep.resolve(".podnet.yaml"));
        Files.writeString(deep.resolve("podnet.yaml"), "rules: {SYN005: off}\n");
        assertThatThrownBy(() -> ProjectConfig.find(deep)).isInstanceOf(ProjectConfig.TwoProjectFiles.class)
                .hasMessage("two project files in " + deep.toAbsolutePath().normalize() + ": podnet.yaml and "
                        + ".podnet.yaml; keep one (or choose one with --config FILE)");
    }

    @Test
    void loadOfBrokenFileKeepsDefaults(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve(".podnet.yaml");
        Files.writeString(f, "rules: [\n");
        assertThat(ProjectConfig.load(f).rules()).isEmpty();
    }

    /** The schema and the parser must know the same keys, and accept/reject the documented examples alike. */
    @Test
    void jsonSchemaAgreesWithTheParser() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/podnet-config.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        assertThat(names(schema.path("properties"))).isEqualTo(new TreeSet<>(ProjectConfigParser.TOP));
        JsonNode cluster = schema.path("properties").path("cluster").path("properties");
        assertThat(names(cluster)).isEqualTo(new TreeSet<>(ProjectConfigParser.CLUSTER));
        assertThat(names(cluster.path("dns").path("properties"))).isEqualTo(new TreeSet<>(ProjectConfigParser.DNS));
        assertThat(names(schema.path("properties").path("exemptions").path("items").path("properties")))
                .isEqualTo(new TreeSet<>(ProjectConfigParser.EXEMPTION));

        JsonSchema js = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        Set<String> structural = Set.of("CFG001", "CFG002", "CFG004", "CFG006", "CFG007", "CFG008", "CFG011",
                "CFG012");
        List<String> problems = new ArrayList<>();
        for (RuleInfo r : RuleRegistry.get().all()) {
            if (!r.family().equals("CFG")) {
                continue;
            }
            for (String good : r.good().values()) {
                Set<ValidationMessage> v = js.validate(YAML.readTree(good));
                if (!v.isEmpty()) {
                    problems.add(r.id() + " good example rejected by the schema: " + v);
                }
            }
            if (structural.contains(r.id())) {
                for (String bad : r.bad().values()) {
                    if (js.validate(YAML.readTree(bad)).isEmpty()) {
                        problems.add(r.id() + " bad example accepted by the schema");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Set<String> names(JsonNode obj) {
        Set<String> s = new TreeSet<>();
        obj.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
