package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.OutputPlaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The directory that receives finished outputs, and only finished ones. */
final class OutputDirectory {
    private static final String FIELD = "outputDir";

    private OutputDirectory() {
    }

    /**
     * Checks the directory without creating anything: not a file, not a place podvm must not write (compared as
     * real paths, so through symbolic links too), not inside a tree that the stage copies (the stage lives in
     * the output directory, so the copy would copy itself), and creatable or writable.
     *
     * @param tree     the user's mkosi tree, or null for the bundled definition
     * @param binaries the binaries tree that is copied in, or null
     */
    static Path check(Path dir, Path base, Path tree, Path binaries) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidRequestException(FIELD + ": '" + dir + "' is a file; give a directory.");
        }
        OutputPlaces.refusal(dir, base).ifPresent(reason -> {
            throw new InvalidRequestException(FIELD + ": '" + dir + "' " + reason + "; podvm writes its stage and"
                    + " outputs there, so give a directory of its own, such as build.");
        });
        refuseInside(dir, tree, "dir");
        refuseInside(dir, binaries, "binariesTree");
        Path existing = OutputPlaces.nearestExisting(dir);
        if (!Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new InvalidRequestException(FIELD + ": '" + dir + "' cannot be written ('" + existing + "' is "
                    + (Files.isDirectory(existing) ? "not writable" : "not a directory")
                    + "); give a directory this user can write.");
        }
        return dir;
    }

    /** Creates the directory if needed and proves it writable; runs once every check has passed. */
    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".podvm-write-check-", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidRequestException(FIELD + ": '" + dir + "' cannot be written (" + e.getMessage()
                    + "); give a directory this user can write.");
        }
        return dir;
    }

    private static void refuseInside(Path dir, Path copied, String field) {
        if (copied != null && OutputPlaces.isInside(dir, copied)) {
            throw new InvalidRequestException(FIELD + ": '" + dir + "' is inside " + field + " '" + copied + "', which"
                    + " is copied into the stage in the output directory, so it would copy itself without end;"
                    + " give an output directory outside " + field + ".");
        }
    }

    /**
     * Renames a finished file into the directory under its own name. It comes from the staging directory
     * inside that directory, so the rename is atomic: a reader sees the old image or the new one, never half
     * of one.
     */
    static Path moveInto(Path file, Path dir) throws IOException {
        Path target = dir.resolve(file.getFileName().toString());
        return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
