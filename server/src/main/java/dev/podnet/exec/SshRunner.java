package dev.podnet.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Runs commands on a node over SSH with Apache MINA SSHD: public-key authentication only (keys from
 * {@code identities}, default {@code ~/.ssh/id_ecdsa}, {@code id_ed25519}, {@code id_rsa}), the host key checked
 * against {@code known_hosts} (an unknown key is refused unless {@code acceptNewHostKey}, which then records it; a
 * changed key is always refused). Every argument is single-quoted for the remote POSIX shell, so a pod name such as
 * {@code x;touch /tmp/p} stays one argument. Passwords are never used or logged.
 */
public class SshRunner implements CommandRunner {
    private final String user;
    private final String host;
    private final int port;
    private final SshClient client;
    private final Duration connectTimeout;
    private ClientSession session;

    /**
     * @param user             remote user
     * @param host             host name or address
     * @param port             TCP port (22 by default)
     * @param identities       private key files (OpenSSH or PEM format, unencrypted)
     * @param knownHosts       the known_hosts file
     * @param acceptNewHostKey accept and record a host key that known_hosts does not list yet
     */
    public SshRunner(String user, String host, int port, List<Path> identities, Path knownHosts,
                     boolean acceptNewHostKey, Duration connectTimeout) {
        this.user = user;
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(
                acceptNewHostKey ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE,
                knownHosts));
        List<Path> keys = identities.stream().filter(Files::isReadable).toList();
        client.setKeyIdentityProvider(new FileKeyPairProvider(keys));
        client.setUserAuthFactoriesNames("publickey");
        client.start();
    }

    /** The default private keys of the current user that exist. */
    public static List<Path> defaultIdentities() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> out = new ArrayList<>();
        for (String n : List.of("id_ecdsa", "id_ed25519", "id_rsa")) {
            if (Files.isReadable(ssh.resolve(n))) {
                out.add(ssh.resolve(n));
            }
        }
        return out;
    }

    private synchronized ClientSession session() throws ExecException {
        if (session != null && session.isOpen()) {
            return session;
        }
        try {
            ClientSession s = client.connect(user, host, port).verify(connectTimeout).getSession();
            try {
                s.auth().verify(connectTimeout);
            } catch (IOException e) {
                s.close(true);
                if (hostKeyRejected(e)) {
                    throw hostKeyError(e);
                }
                throw new ExecException("ssh " + describe() + ": authentication failed (public key); add your key to "
                        + "the node's authorized_keys or pass --identity", e);
            }
            session = s;
            return s;
        } catch (ExecException e) {
            throw e;
        } catch (IOException e) {
            if (hostKeyRejected(e)) {
                throw hostKeyError(e);
            }
            throw new ExecException("ssh " + describe() + ": cannot connect: " + rootCause(e), e);
        }
    }

    /** The innermost cause's message ("Connection refused"), without the SSH library's future/state wrapping. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        // MINA wraps as "DefaultConnectFuture[user@/host:port]: Failed (ConnectException) to execute: <reason>"
        int i = m.lastIndexOf("to execute: ");
        return i >= 0 ? m.substring(i + "to execute: ".length()) : m;
    }

    private static boolean hostKeyRejected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Server key did not validate")) {
                return true;
            }
        }
        return false;
    }

    private ExecException hostKeyError(Throwable e) {
        return new ExecException("ssh " + describe() + ": the host key is not in known_hosts (or it changed); verify "
                + "it and add it to known_hosts, or pass --accept-new-host-key for a host never seen before", e);
    }

    /** Quotes one argument for a POSIX shell: {@code 'a'"'"'b'}. */
    public static String quote(String arg) {
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The remote command line for an argument vector and environment (each element quoted): {@code env -u NAME}
     * for a variable whose value is null, {@code env 'NAME=value'} for the others, then the arguments.
     */
    public static String commandLine(List<String> argv, Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        if (!env.isEmpty()) {
            sb.append("env");
            env.forEach((k, v) -> {
                if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("invalid environment variable name '" + k + "'");
                }
            });
            // env takes its options (-u) before the assignments.
            env.forEach((k, v) -> {
                if (v == null) {
                    sb.append(" -u ").append(quote(k));
                }
            });
            env.forEach((k, v) -> {
                if (v != null) {
                    sb.append(' ').append(quote(k + "=" + v));
                }
            });
            sb.append(' ');
        }
        for (int i = 0; i < argv.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(quote(argv.get(i)));
        }
        return sb.toString();
    }

    @Override
    public ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
            throws ExecException {
        ClientSession s = session();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec ch = s.createExecChannel(commandLine(argv, env))) {
            ch.setIn(new ByteArrayInputStream(stdin));
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(connectTimeout);
            Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS),
                    timeout);
            boolean timedOut = ev.contains(ClientChannelEvent.TIMEOUT);
            if (!timedOut && !ev.contains(ClientChannelEvent.CLOSED)) {
                ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
            }
            Integer status = ch.getExitStatus();
            return new ExecResult(timedOut || status == null ? -1 : status, out.toByteArray(), err.toByteArray(),
                    timedOut);
        } catch (IOException e) {
            throw new ExecException("ssh " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "ssh://" + user + "@" + host + ":" + port;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close(true);
            }
        } finally {
            client.stop();
        }
    }

}
