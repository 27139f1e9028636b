package io.podvm.library;

/** What the {@code error} step throws here (in Jenkins: an AbortException, a failed build without a stack trace). */
public final class PipelineError extends RuntimeException {
    public PipelineError(String message) {
        super(message);
    }
}
