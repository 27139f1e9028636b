package io.podvm.engine.binaries;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A build log kept in memory, to assert on what the engine wrote. */
final class CapturedLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final BuildLog log = new BuildLog(bytes, new SecretMasker());

    BuildLog log() {
        return log;
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
