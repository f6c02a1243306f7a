package dev.podnet.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An execution backend: runs one command on a node, given as an argument vector (never a shell string), with
 * optional standard input, extra environment variables and a timeout. Implementations: {@link LocalRunner} (this
 * machine), {@link NetnsRunner} ({@code ip netns exec NAME ...}), {@link SshRunner} (OpenSSH server through Apache
 * MINA SSHD). Arguments are always passed as data: no implementation lets an argument be interpreted by a shell
 * unquoted.
 */
public interface CommandRunner extends AutoCloseable {

    /**
     * Runs {@code argv}.
     *
     * @param argv    program and arguments; argv[0] is looked up in PATH on the node
     * @param stdin   bytes written to standard input (empty for none)
     * @param env     extra environment variables (added to the node's environment); a {@code null} value removes that
     *                variable from the environment the command would otherwise inherit
     * @param timeout how long to wait before killing the command
     * @return the exit status and output (a non-zero status is a result, not an exception)
     * @throws ExecException when the command cannot be started or the node cannot be reached
     */
    ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout) throws ExecException;

    /** Runs with no input and no extra environment. */
    default ExecResult run(List<String> argv, Duration timeout) throws ExecException {
        return run(argv, new byte[0], Map.of(), timeout);
    }

    /** A short description for messages ({@code local}, {@code netns:pn-node}, {@code ssh://ops@host:22}). */
    String describe();

    @Override
    default void close() {
    }
}
