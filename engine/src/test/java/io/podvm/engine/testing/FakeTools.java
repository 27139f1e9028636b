package io.podvm.engine.testing;

import io.podvm.engine.binaries.ToolFinder;
import io.podvm.engine.tools.Executables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** A directory of fake programs put in front of PATH, the way a test would prepend it to PATH. */
public final class FakeTools {
    private final Path dir;

    public FakeTools(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code script} as the executable program {@code name}. */
    public Path write(String name, String script) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The fakes first, then the real PATH. */
    public ToolFinder inFrontOfPath() {
        return name -> {
            Path fake = dir.resolve(name);
            return Files.isExecutable(fake) ? Optional.of(fake) : Executables.find(name);
        };
    }

    /** Only the fakes: a machine that has nothing else. */
    public ToolFinder only() {
        return name -> {
            Path fake = dir.resolve(name);
            return Files.isExecutable(fake) ? Optional.of(fake) : Optional.empty();
        };
    }
}
