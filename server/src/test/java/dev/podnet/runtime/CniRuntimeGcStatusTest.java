package dev.podnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GC and STATUS (CNI spec 1.1.0, SPEC.md §"GC: Clean up any stale resources" and §"STATUS: Check plugin status";
 * libcni {@code GCNetworkList} and {@code GetStatusNetworkList}; the GC key as renamed by containernetworking/cni
 * PR #1103)
 * against a test plugin written by the test: a POSIX shell script that speaks CNI 1.1.0 (VERSION reports
 * supportedVersions up to 1.1.0), records the CNI_* environment and the stdin of every call, and fails STATUS with
 * error code 50 while a marker file exists (and GC with code 11 while another marker exists). Debian's reference
 * plugins (1.1.1) predate GC and STATUS, so they cannot exercise these commands. No root needed.
 */
class CniRuntimeGcStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Variables a node's own environment might carry; the runtime must not pass them on to GC, STATUS, VERSION. */
    private static final Map<String, String> NODE_ENV = Map.of("CNI_CONTAINERID", "leaked", "CNI_NETNS",
            "/var/run/netns/leaked", "CNI_IFNAME", "leak0", "CNI_ARGS", "LEAKED=1");

    Path dir;
    Path bin;
    Path calls;
    CniRuntime rt;

    static final String PLUGIN = """
            #!/bin/sh
            # podnet test plugin (CNI 1.1.0): records each call and answers VERSION, GC and STATUS.
            dir='%s'
            me=$(basename "$0")
            n=$(ls "$dir/calls" | wc -l)
            f="$dir/calls/$(printf %%03d "$n")-$me-$CNI_COMMAND"
            env | grep '^CNI_' | sort > "$f.env"
            cat > "$f.json"
            case "$CNI_COMMAND" in
            VERSION)
              printf '{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\\n' ;;
            GC)
              if [ -e "$dir/gc-fail-$me" ]; then
                printf '{"cniVersion":"1.1.0","code":11,"msg":"try again later","details":"%%s is busy"}\\n' "$me"
                exit 1
              fi ;;
            STATUS)
              if [ -e "$dir/not-ready" ]; then
                printf '{"cniVersion":"1.1.0","code":50,"msg":"plugin not available","details":"marker not-ready exists"}\\n'
                exit 1
              fi ;;
            *)
              printf '{"cniVersion":"1.1.0","code":4,"msg":"unexpected CNI_COMMAND %%s"}\\n' "$CNI_COMMAND"
              exit 1 ;;
            esac
            """;

    /** A runner whose node environment already holds attachment variables (as a shell inside a CNI call would). */
    static final class NodeWithEnv implements CommandRunner {
        final LocalRunner local = new LocalRunner();

        @Override
        public ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
                throws ExecException {
            Map<String, String> merged = new HashMap<>(NODE_ENV);
            merged.putAll(env);
            return local.run(argv, stdin, merged, timeout);
        }

        @Override
        public String describe() {
            return "local with CNI_* set";
        }
    }

    @BeforeEach
    void plugins() throws IOException {
        dir = Files.createTempDirectory("podnet-cni11");
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = Files.createDirectories(dir.resolve("calls"));
        for (String name : List.of("pn-test-a", "pn-test-b")) {
            Path p = bin.resolve(name);
            Files.writeString(p, PLUGIN.formatted(dir));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        rt = new CniRuntime(new NodeWithEnv(), List.of(dir.resolve("empty").toString(), bin.toString()),
                Duration.ofSeconds(20));
    }

    @AfterEach
    void cleanup() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The recorded calls in order: file stem ("000-pn-test-a-GC") to {env map, stdin JSON}. */
    record Call(String plugin, String command, Map<String, String> env, JsonNode stdin) {
    }

    List<Call> calls() throws IOException {
        try (Stream<Path> s = Files.list(calls)) {
            List<Path> envs = s.filter(p -> p.toString().endsWith(".env")).sorted().toList();
            List<Call> out = new java.util.ArrayList<>();
            for (Path e : envs) {
                String stem = e.getFileName().toString().replaceFirst("\\.env$", "");
                Map<String, String> env = new LinkedHashMap<>();
                for (String l : Files.readAllLines(e)) {
                    env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
                }
                String[] f = stem.split("-");
                out.add(new Call(f[1] + "-" + f[2] + "-" + f[3], f[4], env,
                        JSON.readTree(Files.readString(e.resolveSibling(stem + ".json")))));
            }
            return out;
        }
    }

    JsonNode conf(String version, String extra) throws IOException {
        return JSON.readTree("""
                {"cniVersion": "%s", "name": "gc-net", %s "plugins": [
                  {"type": "pn-test-a", "mode": "alpha", "capabilities": {"portMappings": true}},
                  {"type": "pn-test-b", "mode": "beta"}]}
                """.formatted(version, extra));
    }

    void assertNoAttachmentVariables(Call c) {
        assertThat(c.env()).as(c.command() + " must not carry attachment parameters")
                .doesNotContainKeys("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS");
    }

    @Test
    void versionReportsCni110() throws Exception {
        assertThat(rt.version("pn-test-a")).contains("1.0.0", "1.1.0");
        Call c = calls().get(0);
        assertThat(c.command()).isEqualTo("VERSION");
        assertThat(c.env()).containsEntry("CNI_COMMAND", "VERSION");
        assertNoAttachmentVariables(c);
    }

    @Test
    void gcSendsTheValidAttachmentsToEveryPluginWithOnlyCommandAndPath() throws Exception {
        List<CniRuntime.Attachment> valid = List.of(
                new CniRuntime.Attachment("c-1", "/var/run/netns/p1", "eth0", "IgnoreUnknown=1", Map.of()),
                new CniRuntime.Attachment("c-2", "/var/run/netns/p2", "net1", "", Map.of()));
        rt.gc(conf("1.1.0", ""), valid);

        List<Call> cs = calls();
        assertThat(cs).extracting(Call::plugin).containsExactly("pn-test-a", "pn-test-b");
        for (Call c : cs) {
            assertThat(c.command()).isEqualTo("GC");
            assertThat(c.env()).containsEntry("CNI_COMMAND", "GC")
                    .containsEntry("CNI_PATH", dir.resolve("empty") + ":" + bin);
            assertNoAttachmentVariables(c);
        }
        // Each plugin gets its own object with the list's name and cniVersion, and the valid attachments (container
        // ID and interface name only; also under the key the first 1.1.0 spec text used, as libcni sends it); no
        // prevResult, no runtimeConfig.
        assertThat(cs.get(0).stdin()).isEqualTo(JSON.readTree("""
                {"type": "pn-test-a", "mode": "alpha", "capabilities": {"portMappings": true},
                 "name": "gc-net", "cniVersion": "1.1.0",
                 "cni.dev/valid-attachments": [{"containerID": "c-1", "ifname": "eth0"},
                                               {"containerID": "c-2", "ifname": "net1"}],
                 "cni.dev/attachments": [{"containerID": "c-1", "ifname": "eth0"},
                                         {"containerID": "c-2", "ifname": "net1"}]}
                """));
        assertThat(cs.get(1).stdin()).isEqualTo(JSON.readTree("""
                {"type": "pn-test-b", "mode": "beta", "name": "gc-net", "cniVersion": "1.1.0",
                 "cni.dev/valid-attachments": [{"containerID": "c-1", "ifname": "eth0"},
                                               {"containerID": "c-2", "ifname": "net1"}],
                 "cni.dev/attachments": [{"containerID": "c-1", "ifname": "eth0"},
                                         {"containerID": "c-2", "ifname": "net1"}]}
                """));

        // An empty list of valid attachments is still sent (every attachment is stale).
        rt.gc(conf("1.1.0", ""), List.of());
        assertThat(calls().get(2).stdin().path("cni.dev/valid-attachments").isArray()).isTrue();
        assertThat(calls().get(2).stdin().path("cni.dev/valid-attachments")).isEmpty();
    }

    @Test
    void gcRunsEveryPluginAndReportsTheErrors() throws Exception {
        Files.createFile(dir.resolve("gc-fail-pn-test-a"));
        assertThatThrownBy(() -> rt.gc(conf("1.1.0", ""), List.of()))
                .isInstanceOf(CniRuntime.CniException.class)
                .hasMessageContaining("plugin type=\"pn-test-a\" name=\"gc-net\" failed (gc)")
                .hasMessageContaining("try again later: pn-test-a is busy (code 11)")
                .satisfies(e -> {
                    var err = ((CniRuntime.CniException) e).error();
                    assertThat(err.code()).isEqualTo(11);
                    assertThat(err.msg()).isEqualTo("try again later");
                    assertThat(err.details()).isEqualTo("pn-test-a is busy");
                });
        assertThat(calls()).extracting(Call::plugin).containsExactly("pn-test-a", "pn-test-b");
    }

    @Test
    void gcIsNotRunWhenDisabled() throws Exception {
        rt.gc(conf("1.1.0", "\"disableGC\": true,"), List.of());
        assertThat(calls()).isEmpty();
    }

    @Test
    void statusSucceedsWhenReadyAndParsesTheErrorWhenNot() throws Exception {
        rt.status(conf("1.1.0", ""));
        List<Call> cs = calls();
        assertThat(cs).extracting(Call::plugin).containsExactly("pn-test-a", "pn-test-b");
        for (Call c : cs) {
            assertThat(c.command()).isEqualTo("STATUS");
            assertThat(c.env()).containsEntry("CNI_COMMAND", "STATUS").containsKey("CNI_PATH");
            assertNoAttachmentVariables(c);
            assertThat(c.stdin().path("name").asText()).isEqualTo("gc-net");
            assertThat(c.stdin().path("cniVersion").asText()).isEqualTo("1.1.0");
            assertThat(c.stdin().has("cni.dev/valid-attachments")).isFalse();
            assertThat(c.stdin().has("cni.dev/attachments")).isFalse();
            assertThat(c.stdin().has("prevResult")).isFalse();
        }
        assertThat(cs.get(1).stdin()).isEqualTo(JSON.readTree(
                "{\"type\": \"pn-test-b\", \"mode\": \"beta\", \"name\": \"gc-net\", \"cniVersion\": \"1.1.0\"}"));

        Files.createFile(dir.resolve("not-ready"));
        assertThatThrownBy(() -> rt.status(conf("1.1.0", "")))
                .isInstanceOf(CniRuntime.CniException.class)
                .hasMessageContaining("failed (status): plugin not available: marker not-ready exists (code 50)")
                .satisfies(e -> {
                    var err = ((CniRuntime.CniException) e).error();
                    assertThat(err.code()).isEqualTo(50);
                    assertThat(err.msg()).isEqualTo("plugin not available");
                    assertThat(err.details()).isEqualTo("marker not-ready exists");
                });
        // STATUS stops at the first plugin that is not ready.
        assertThat(calls()).hasSize(3);
    }

    @Test
    void gcAndStatusAreRefusedBelow110() throws Exception {
        for (String v : List.of("1.0.0", "0.4.0", "0.3.1")) {
            assertThatThrownBy(() -> rt.gc(conf(v, ""), List.of())).isInstanceOf(CniRuntime.CniException.class)
                    .hasMessage("configuration \"gc-net\" has cniVersion \"" + v + "\", which does not support the GC "
                            + "command (it needs 1.1.0 or later)");
            assertThatThrownBy(() -> rt.status(conf(v, ""))).isInstanceOf(CniRuntime.CniException.class)
                    .hasMessageContaining("does not support the STATUS command (it needs 1.1.0 or later)");
        }
        assertThat(calls()).as("no plugin is run for a refused command").isEmpty();
    }

    @Test
    void cniVersionsPicksTheHighestVersionTheRuntimeImplements() throws Exception {
        JsonNode c = conf("1.0.0", "\"cniVersions\": [\"1.0.0\", \"1.1.0\", \"9.0.0\"],");
        assertThat(CniRuntime.effectiveVersion(c)).isEqualTo("1.1.0");
        rt.status(c);
        assertThat(calls()).allSatisfy(call -> assertThat(call.stdin().path("cniVersion").asText())
                .isEqualTo("1.1.0"));
        JsonNode old = conf("1.1.0", "\"cniVersions\": [\"0.4.0\", \"1.0.0\"],");
        assertThat(CniRuntime.effectiveVersion(old)).isEqualTo("1.0.0");
        assertThatThrownBy(() -> rt.gc(old, List.of())).hasMessageContaining("has cniVersion \"1.0.0\"");
    }
}
