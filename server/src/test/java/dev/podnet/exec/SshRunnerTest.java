package dev.podnet.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podnet.cli.PodnetCli;
import dev.podnet.testing.Kernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSH backend against a real OpenSSH server started by the test on 127.0.0.1 with generated host and user keys.
 */
class SshRunnerTest {
    static Path dir;
    static Process sshd;
    static int port;
    static Path userKey;
    static Path knownHosts;
    static String user = System.getProperty("user.name");

    @BeforeAll
    static void startSshd() throws Exception {
        Kernel.require("/usr/sbin/sshd", "ssh-keygen");
        dir = Files.createTempDirectory("podnet-sshd");
        Kernel.sh("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", dir.resolve("host_key").toString());
        Kernel.sh("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", dir.resolve("user_key").toString());
        userKey = dir.resolve("user_key");
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "PermitRootLogin prohibit-password",
                "StrictModes no", "UsePAM no", "PidFile " + dir.resolve("sshd.pid"), "") );
        Files.createDirectories(Path.of("/run/sshd"));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > deadline || !sshd.isAlive()) {
                    throw new AssertionError("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        String[] hostPub = Files.readString(dir.resolve("host_key.pub")).trim().split(" ");
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hostPub[0] + " " + hostPub[1] + "\n");
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
        if (dir != null) {
            Kernel.quiet("rm", "-rf", dir.toString());
        }
    }

    SshRunner runner(Path kh, boolean acceptNew) {
        return new SshRunner(user, "127.0.0.1", port, List.of(userKey), kh, acceptNew, Duration.ofSeconds(10));
    }

    @Test
    void runsCommandsWithInputEnvironmentAndArgumentsAsData() throws Exception {
        Path marker = dir.resolve("podnet-pwned");
        try (SshRunner r = runner(knownHosts, false)) {
            ExecResult e = r.run(List.of("echo", "x;touch " + marker, "$(touch " + marker + ")", "`id`"),
                    Duration.ofSeconds(10));
            assertThat(e.ok()).isTrue();
            assertThat(e.out()).isEqualTo("x;touch " + marker + " $(touch " + marker + ") `id`\n");
            ExecResult cat = r.run(List.of("sh", "-c", "cat; echo \"$POD\""), "in".getBytes(),
                    Map.of("POD", "a;touch " + marker), Duration.ofSeconds(10));
            assertThat(cat.out()).isEqualTo("ina;touch " + marker + "\n");
            ExecResult fail = r.run(List.of("false"), Duration.ofSeconds(10));
            assertThat(fail.exitCode()).isEqualTo(1);
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesAnUnknownHostKeyUnlessAskedToAcceptIt() throws Exception {
        Path empty = dir.resolve("known_hosts_empty");
        Files.writeString(empty, "");
        try (SshRunner r = runner(empty, false)) {
            assertThatThrownBy(() -> r.run(List.of("true"), Duration.ofSeconds(10)))
                    .isInstanceOf(ExecException.class).hasMessageContaining("known_hosts");
        }
        Path fresh = dir.resolve("known_hosts_new");
        Files.writeString(fresh, "");
        try (SshRunner r = runner(fresh, true)) {
            assertThat(r.run(List.of("true"), Duration.ofSeconds(10)).ok()).isTrue();
        }
        assertThat(Files.readString(fresh)).contains("127.0.0.1");
    }

    @Test
    void nodeFactsOverSsh() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PodnetCli.run(new String[] {"node", "facts", "--node", "ssh://" + user + "@127.0.0.1:" + port,
                "--identity", userKey.toString(), "--known-hosts", knownHosts.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("kind: NodeFacts", "interfaces:", "sysctl:");
        assertThat(err.toString()).doesNotContain("password");
    }
}
