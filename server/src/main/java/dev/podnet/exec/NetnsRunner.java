package dev.podnet.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs commands inside a named network namespace of this machine: {@code ip netns exec NAME argv...}
 * (iproute2; needs root). The namespace name is validated so it can never be read as an option.
 */
public class NetnsRunner implements CommandRunner {
    private final String name;
    private final CommandRunner host;

    /**
     * @param name namespace name as {@code ip netns list} shows it
     * @throws IllegalArgumentException when the name is not a plain namespace name
     */
    public NetnsRunner(String name, CommandRunner host) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("invalid network namespace name '" + name + "'");
        }
        this.name = name;
        this.host = host;
    }

    public String name() {
        return name;
    }

    @Override
    public ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
            throws ExecException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        return host.run(full, stdin, env, timeout);
    }

    @Override
    public String describe() {
        return "netns:" + name;
    }
}
