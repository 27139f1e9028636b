package io.podvm.engine;

/** The work was interrupted (build aborted, SIGINT/SIGTERM, timeout); every started process has been ended. */
public class AbortedException extends PodvmException {
    private static final long serialVersionUID = 1L;

    public AbortedException(String message) {
        super(message);
    }
}
