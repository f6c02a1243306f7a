package dev.podnet.verify;

/** {@code podnet verify} could not run (missing tool, no root, a CNI plugin failed, unusable addressing). */
public class VerifyException extends Exception {
    public VerifyException(String message) {
        super(message);
    }

    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
