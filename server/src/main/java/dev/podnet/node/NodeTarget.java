package dev.podnet.node;

import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.exec.SshRunner;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node named by a URI, as {@code --node} takes it:
 * <ul>
 *   <li>{@code snapshot:FILE} — a node-facts YAML file; nothing is executed;</li>
 *   <li>{@code local} — this machine;</li>
 *   <li>{@code netns:NAME} — the network namespace NAME of this machine ({@code ip netns exec NAME ...});</li>
 *   <li>{@code ssh://user@host[:port]} — over SSH (key authentication, host key checked against known_hosts).</li>
 * </ul>
 *
 * @param uri      the URI as given
 * @param kind     snapshot, local, netns or ssh
 * @param snapshot the facts file (snapshot only)
 * @param netns    the namespace name (netns only)
 * @param user     ssh user
 * @param host     ssh host
 * @param port     ssh port
 */
public record NodeTarget(String uri, String kind, Path snapshot, String netns, String user, String host, int port) {

    /**
     * Parses a node URI.
     *
     * @throws IllegalArgumentException with a message saying which forms are accepted
     */
    public static NodeTarget parse(String uri) {
        if (uri.equals("local")) {
            return new NodeTarget(uri, "local", null, null, null, null, 0);
        }
        if (uri.startsWith("snapshot:")) {
            String f = uri.substring("snapshot:".length());
            if (f.isEmpty()) {
                throw new IllegalArgumentException("snapshot: needs a file, e.g. snapshot:node.yaml");
            }
            return new NodeTarget(uri, "snapshot", Path.of(f), null, null, null, 0);
        }
        if (uri.startsWith("netns:")) {
            String n = uri.substring("netns:".length());
            if (!n.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                throw new IllegalArgumentException("netns: needs a namespace name, e.g. netns:node-a");
            }
            return new NodeTarget(uri, "netns", null, n, null, null, 0);
        }
        if (uri.startsWith("ssh://")) {
            try {
                URI u = new URI(uri);
                if (u.getHost() == null || u.getUserInfo() == null || u.getUserInfo().contains(":")) {
                    throw new IllegalArgumentException("ssh URIs look like ssh://user@host[:port] (no password: podnet "
                            + "uses key authentication)");
                }
                return new NodeTarget(uri, "ssh", null, null, u.getUserInfo(), u.getHost(),
                        u.getPort() < 0 ? 22 : u.getPort());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid ssh URI: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("unknown node '" + uri + "': use snapshot:FILE, local, netns:NAME or "
                + "ssh://user@host[:port]");
    }

    /** Opens an execution backend for a live node (not for snapshot). */
    public CommandRunner open(List<Path> identities, Path knownHosts, boolean acceptNewHostKey) {
        return switch (kind) {
            case "local" -> new LocalRunner();
            case "netns" -> new NetnsRunner(netns, new LocalRunner());
            case "ssh" -> new SshRunner(user, host, port, identities.isEmpty() ? SshRunner.defaultIdentities()
                    : identities, knownHosts, acceptNewHostKey, Duration.ofSeconds(15));
            default -> throw new IllegalStateException("a snapshot node has no execution backend");
        };
    }

    /** The node name to put in collected facts. */
    public String defaultName() {
        return switch (kind) {
            case "netns" -> netns;
            case "ssh" -> host;
            case "snapshot" -> snapshot.getFileName().toString();
            default -> "localhost";
        };
    }
}
