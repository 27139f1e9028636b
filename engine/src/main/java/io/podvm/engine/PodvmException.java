package io.podvm.engine;

/**
 * A failure the user can act on. Its message is a whole sentence that says what went wrong and what to
 * do about it; callers print it as it is, without a stack trace.
 */
public class PodvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PodvmException(String message) {
        super(message);
    }

    public PodvmException(String message, Throwable cause) {
        super(message, cause);
    }
}
