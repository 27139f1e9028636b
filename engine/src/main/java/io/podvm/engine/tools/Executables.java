package io.podvm.engine.tools;

import io.podvm.engine.process.HostEnvironment;

import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does, on this JVM's PATH; the engine itself uses a {@link HostEnvironment}. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String nameOrPath) {
        return HostEnvironment.current().findExecutable(nameOrPath);
    }
}
