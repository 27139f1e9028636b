package io.podvm.engine.testing;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Build logs for tests: discarded, or kept to assert on. */
public final class TestLogs {
    private TestLogs() {
    }

    public static BuildLog discard() {
        return new BuildLog(OutputStream.nullOutputStream(), new SecretMasker());
    }

    /** A log that keeps what was written; {@link #text()} (and {@link #toString()}) returns it. */
    public static final class Captured {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final SecretMasker masker = new SecretMasker();
        private final BuildLog log = new BuildLog(bytes, masker);

        public BuildLog log() {
            return log;
        }

        public SecretMasker masker() {
            return masker;
        }

        /** What was written so far, also while the engine still writes. */
        public String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
