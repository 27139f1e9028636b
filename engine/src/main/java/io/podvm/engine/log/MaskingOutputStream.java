package io.podvm.engine.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream that writes whole lines, each masked, to another one: for output that does not go through a
 * {@link BuildLog} (the CLI's closing line, picocli's messages, a stack trace). A line is held until its end,
 * so that a secret is never cut in two by a flush; {@link #close()} writes a last unfinished line.
 */
public final class MaskingOutputStream extends OutputStream {
    /** A longer line without an end is written out anyway, masked as it is. */
    private static final int MAX_LINE = 64 * 1024;

    private final OutputStream out;
    private final SecretMasker masker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public MaskingOutputStream(OutputStream out, SecretMasker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || line.size() >= MAX_LINE) {
            writeLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /** Passes on the finished lines; an unfinished one waits for its end. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Writes what is left of an unfinished line, masked, without closing the stream below. */
    public synchronized void finish() throws IOException {
        if (line.size() > 0) {
            writeLine();
        }
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        finish();
    }

    private void writeLine() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(masker.mask(text).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
