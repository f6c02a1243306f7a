package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code .pre-commit-hooks.yaml} run for real by the {@code pre-commit} on this machine (Debian 12:
 * 3.0.4): a temporary hook repository holding this worktree's manifest and {@code scripts/podnet} (committed, so
 * {@code rev} is its HEAD), a temporary project whose {@code .pre-commit-config.yaml} uses both hooks, a commit of a
 * broken CNI config that the hooks refuse and a commit of the fixed file that they let through. The launcher runs
 * podnet from this test's class path ({@code PODNET_CLASSPATH}), because the jar is built after the tests.
 * Skipped, with the reason, when {@code git} or {@code pre-commit} is not installed.
 */
class PreCommitHookTest {
    @TempDir
    Path tmp;

    private Map<String, String> env;

    @Test
    void brokenConfigIsRefusedAndFixedOnePasses() throws Exception {
        assumeTrue(onPath("git"), "git is not installed (apt-get install git)");
        assumeTrue(onPath("pre-commit"), "pre-commit is not installed (apt-get install pre-commit); "
                + "the pre-commit hook test needs it");
        Path project = projectRoot();
        Path hooks = Files.createDirectories(tmp.resolve("hook-repo"));
        Files.copy(project.resolve(".pre-commit-hooks.yaml"), hooks.resolve(".pre-commit-hooks.yaml"));
        Files.createDirectories(hooks.resolve("scripts"));
        Files.copy(project.resolve("scripts/podnet"), hooks.resolve("scripts/podnet"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("podnet"), hooks.resolve("scripts/podnet"));

        env = new java.util.HashMap<>();
        env.put("PRE_COMMIT_HOME", tmp.resolve("pre-commit-cache").toString());
        env.put("PODNET_CLASSPATH", System.getProperty("java.class.path"));
        env.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("GIT_AUTHOR_NAME", "podnet test");
        env.put("GIT_AUTHOR_EMAIL", "test@example.invalid");
        env.put("GIT_COMMITTER_NAME", "podnet test");
        env.put("GIT_COMMITTER_EMAIL", "test@example.invalid");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("PRE_COMMIT_COLOR", "never");

        ok(hooks, "git", "init", "-q");
        ok(hooks, "git", "add", "-A");
        ok(hooks, "git", "commit", "-q", "-m", "hooks");
        String rev = ok(hooks, "git", "rev-parse", "HEAD").strip();

        Path work = Files.createDirectories(tmp.resolve("work"));
        ok(work, "git", "init", "-q");
        Files.writeString(work.resolve(".pre-commit-config.yaml"), "repos:\n"
                + "  - repo: " + hooks.toAbsolutePath() + "\n"
                + "    rev: " + rev + "\n"
                + "    hooks:\n"
                + "      - id: podnet-lint\n"
                + "      - id: podnet-lint-system\n");
        ok(work, "git", "add", ".pre-commit-config.yaml");
        ok(work, "git", "commit", "-q", "-m", "pre-commit config");
        ok(work, "pre-commit", "install");

        Path netd = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(netd.resolve("10-bridge.conflist"), "{\n  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"bridge\"\n  \"plugins\": [{\"type\": \"bridge\"}]\n}\n");
        ok(work, "git", "add", "net.d");
        Result refused = run(work, "git", "commit", "-m", "broken CNI config");
        assertThat(refused.code()).as("the commit of a broken file is refused:\n" + refused.out()).isNotZero();
        assertThat(refused.out()).contains("podnet lint").contains("Failed")
                .contains("net.d/10-bridge.conflist:4:3: error:").contains("[SYN001]");
        assertThat(refused.out()).contains("podnet lint (podnet on PATH)");

        Files.writeString(netd.resolve("10-bridge.conflist"), "{\n  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"bridge\",\n  \"plugins\": [{\"type\": \"bridge\"}]\n}\n");
        ok(work, "git", "add", "net.d");
        Result passed = run(work, "git", "commit", "-m", "fixed CNI config");
        assertThat(passed.code()).as("the commit of the fixed file passes:\n" + passed.out()).isZero();
        assertThat(passed.out()).contains("Passed").doesNotContain("Failed");
        assertThat(ok(work, "git", "log", "--oneline")).contains("fixed CNI config").doesNotContain("broken");
    }

    /** The hooks' {@code files} regex (pre-commit applies it with Python's re.search to repo-relative paths). */
    @Test
    void filesRegexSelectsCniConfigsAndManifests() throws Exception {
        JsonNode hooks = new ObjectMapper(new YAMLFactory()).readTree(projectRoot().resolve(".pre-commit-hooks.yaml").toFile());
        assertThat(hooks.size()).isEqualTo(2);
        for (JsonNode hook : hooks) {
            Pattern files = Pattern.compile(hook.path("files").asText());
            for (String yes : List.of("net.d/10-bridge.conf", "etc/cni/net.d/99-loopback.conf", "10-calico.conflist",
                    "deploy/policy.yaml", "k8s/np.yml", "cni/flannel.json")) {
                assertThat(files.matcher(yes).find()).as(hook.path("id").asText() + " selects " + yes).isTrue();
            }
            for (String no : List.of("etc/nginx/nginx.conf", "net.d/sub/x.conf", "README.md", "net.d/10-x.conf.bak")) {
                assertThat(files.matcher(no).find()).as(hook.path("id").asText() + " skips " + no).isFalse();
            }
            assertThat(hook.path("require_serial").asBoolean()).isTrue();
        }
    }

    private static Path projectRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(".pre-commit-hooks.yaml"))) {
            p = p.getParent();
        }
        assertThat(p).as(".pre-commit-hooks.yaml above " + System.getProperty("user.dir")).isNotNull();
        return p;
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    record Result(int code, String out) {
    }

    private String ok(Path dir, String... cmd) throws Exception {
        Result r = run(dir, cmd);
        assertThat(r.code()).as(String.join(" ", cmd) + ":\n" + r.out()).isZero();
        return r.out();
    }

    private Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 180 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
