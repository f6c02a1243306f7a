package dev.podnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.lint.InputFile;
import dev.podnet.node.NodeFactsCollector;
import dev.podnet.node.NodeTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --node} options shared by commands that look at a node. */
public class NodeOptions {
    @Option(names = "--node", paramLabel = "URI",
            description = "The node: snapshot:FILE (node-facts YAML), local, netns:NAME, or ssh://user@host[:port].")
    String node;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (repeatable; default ~/.ssh/id_*).")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "SSH known_hosts file (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--accept-new-host-key",
            description = "Accept and record an SSH host key that known_hosts does not list yet (a changed key is always refused).")
    boolean acceptNewHostKey;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR", defaultValue = "/etc/cni/net.d",
            description = "CNI conf dir on the node. Default: ${DEFAULT-VALUE}.")
    String confDir;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR",
            description = "CNI plugin dir on the node (repeatable; default /opt/cni/bin, /usr/lib/cni, /usr/libexec/cni).")
    List<String> binDirs = new ArrayList<>();

    /** A node that could not be reached or read; the CLI exits with code 2. */
    public static final class NodeException extends Exception {
        NodeException(String m) {
            super(m);
        }
    }

    /** True when --node was given. */
    public boolean given() {
        return node != null;
    }

    Path knownHostsFile() {
        return knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** The parsed target. */
    public NodeTarget target() throws NodeException {
        try {
            return NodeTarget.parse(node);
        } catch (IllegalArgumentException e) {
            throw new NodeException("--node: " + e.getMessage());
        }
    }

    /** Opens the execution backend of a live node. */
    public CommandRunner open() throws NodeException {
        NodeTarget t = target();
        if (t.kind().equals("snapshot")) {
            throw new NodeException("--node " + node + " is a snapshot: this command needs a live node (local, "
                    + "netns:NAME or ssh://user@host)");
        }
        return t.open(identities, knownHostsFile(), acceptNewHostKey);
    }

    /** Collects facts from a live node. */
    public ObjectNode collect() throws NodeException {
        NodeTarget t = target();
        try (CommandRunner r = open()) {
            return new NodeFactsCollector(r, t.defaultName(), confDir, binDirs).collect();
        } catch (ExecException e) {
            throw new NodeException(e.getMessage());
        }
    }

    /**
     * The inputs the node contributes to a lint: its facts document, and (when {@code addConfigs}) the CNI configs
     * found in its conf dir, named {@code node:<uri>:<path>}.
     */
    public List<InputFile> inputs(boolean addConfigs) throws NodeException {
        NodeTarget t = target();
        List<InputFile> out = new ArrayList<>();
        if (t.kind().equals("snapshot")) {
            try {
                out.add(InputFile.read(t.snapshot(), t.snapshot().toString()));
            } catch (IOException e) {
                throw new NodeException("cannot read node facts '" + t.snapshot() + "': " + Inputs.reason(e));
            }
            return out;
        }
        ObjectNode facts = collect();
        JsonNode configs = facts.remove("cniConfigs");
        out.add(InputFile.of("node:" + node, NodeFactsCollector.toYaml(facts)));
        if (addConfigs && configs != null) {
            configs.fields().forEachRemaining(e -> out.add(InputFile.of("node:" + node + ":" + e.getKey(),
                    e.getValue().asText())));
        }
        return out;
    }
}
