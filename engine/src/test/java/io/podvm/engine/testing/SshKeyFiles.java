package io.podvm.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real key pairs made with ssh-keygen, as users make them. */
public final class SshKeyFiles {
    private SshKeyFiles() {
    }

    /** Writes {@code name} and {@code name.pub} into {@code dir}; an empty passphrase leaves the key unencrypted. */
    public static Path generate(Path dir, String name, String type, String passphrase) throws IOException {
        Path key = dir.resolve(name);
        List<String> command = List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test@podvm", "-f",
                key.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("ssh-keygen failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return key;
    }

    public static String publicKeyBody(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).split(" ")[1];
    }
}
