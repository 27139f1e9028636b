package io.podvm.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Real key pairs made with ssh-keygen, as users make them. */
public final class SshKeyFiles {
    private SshKeyFiles() {
    }

    /** Writes {@code name} and {@code name.pub} into {@code dir}; an empty passphrase leaves the key unencrypted. */
    public static Path generate(Path dir, String name, String type, String passphrase) throws IOException {
        Path key = dir.resolve(name);
        TestCommands.run(Duration.ofSeconds(60), Map.of(), null, "ssh-keygen", "-q", "-t", type, "-N", passphrase,
                "-C", "test@podvm", "-f", key.toString());
        return key;
    }

    public static String publicKeyBody(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).split(" ")[1];
    }
}
