package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The directory that receives finished outputs, and only finished ones. */
final class OutputDirectory {
    private OutputDirectory() {
    }

    /** Creates the directory if needed and proves it writable, before any long work starts. */
    static Path prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidRequestException("outputDir: '" + dir + "' is a file; give a directory.");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".podvm-write-check-", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidRequestException("outputDir: '" + dir + "' cannot be written (" + e.getMessage()
                    + "); give a directory this user can write.");
        }
        return dir;
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
