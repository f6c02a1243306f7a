package dev.podnet.exec;

/** A command could not be started at all (binary missing, connection refused, authentication failed). */
public class ExecException extends Exception {
    public ExecException(String message) {
        super(message);
    }

    public ExecException(String message, Throwable cause) {
        super(message, cause);
    }
}
