package io.podvm.engine.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Places that podvm never takes as an output directory, because it writes, replaces or sweeps what is there:
 * the root directory, the working directory (the workspace in Jenkins) or a directory holding it, the home
 * directory or a directory holding it. Paths are compared as real paths, so a symbolic link to one of them is
 * refused too.
 */
public final class OutputPlaces {
    private OutputPlaces() {
    }

    /** The real path: symbolic links resolved, also when the last parts of the path do not exist yet. */
    public static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = nearestExisting(absolute);
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why {@code path} may not be an output directory, as the end of a sentence ("is the root directory"), or
     * empty when it may.
     *
     * @param base the directory relative paths are resolved against: the working directory or the workspace
     */
    public static Optional<String> refusal(Path path, Path base) {
        Path real = real(path);
        String via = real.equals(path.toAbsolutePath().normalize()) ? "" : "resolves to '" + real + "', which ";
        if (real.getParent() == null) {
            return Optional.of(via + "is the root directory");
        }
        Path workDir = real(base);
        if (real.equals(workDir)) {
            return Optional.of(via + "is the working directory (the workspace in Jenkins)");
        }
        if (workDir.startsWith(real)) {
            return Optional.of(via + "holds the working directory '" + workDir + "'");
        }
        Path home = real(Path.of(System.getProperty("user.home")));
        if (real.equals(home)) {
            return Optional.of(via + "is the home directory");
        }
        if (home.startsWith(real)) {
            return Optional.of(via + "holds the home directory '" + home + "'");
        }
        return Optional.empty();
    }

    /** Whether {@code inner} is {@code outer} or below it, once both are real paths. */
    public static boolean isInside(Path inner, Path outer) {
        return real(inner).startsWith(real(outer));
    }

    /** The nearest directory that exists on the way up from {@code path}: what decides whether it can be made. */
    public static Path nearestExisting(Path path) {
        Path existing = path.toAbsolutePath().normalize();
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }
}
