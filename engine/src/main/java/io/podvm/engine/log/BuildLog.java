package io.podvm.engine.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The log the engine writes: one masked line at a time to the stream it was given (the Jenkins build log
 * or the CLI's standard error). Safe to use from the threads that pump a tool's output.
 */
public final class BuildLog {
    private final OutputStream out;
    private final SecretMasker masker;

    public BuildLog(OutputStream out, SecretMasker masker) {
        this.out = out;
        this.masker = masker;
    }

    public SecretMasker masker() {
        return masker;
    }

    public void info(String message) {
        line("[podvm] " + message);
    }

    public void warn(String message) {
        line("[podvm] WARNING: " + message);
    }

    /** A line of a tool's output, masked before it is written. */
    public synchronized void line(String text) {
        try {
            out.write((masker.mask(text) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the build log", e);
        }
    }
}
