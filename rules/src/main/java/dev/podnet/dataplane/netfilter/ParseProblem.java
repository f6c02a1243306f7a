package dev.podnet.dataplane.netfilter;

/**
 * A line of {@code iptables-save} or {@code ipset save} text that could not be taken into the model.
 *
 * @param line    1-based line number
 * @param message what is wrong, naming the token
 */
public record ParseProblem(int line, String message) {
    @Override
    public String toString() {
        return "line " + line + ": " + message;
    }
}
