package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

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
     * Renames each file into the directory under its own name. The files come from the staging directory
     * inside it, so each rename is atomic: a reader sees the old image or the new one, never half of one.
     */
    static List<Path> moveInto(List<Path> files, Path dir) throws IOException {
        List<Path> placed = new ArrayList<>();
        for (Path file : files) {
            Path target = dir.resolve(file.getFileName().toString());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            placed.add(target);
        }
        return placed;
    }
}
