package io.podvm.engine.tools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: a name with a slash is a path, anything else is looked up on PATH. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path path = Path.of(nameOrPath);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path.toAbsolutePath())
                    : Optional.empty();
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, nameOrPath);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
