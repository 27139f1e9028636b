package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A user's image version file ({@code imageVersionFile}: one line, X.Y.Z) and the private copy uplosi
 * reads instead. uplosi's {@code -i} rewrites the copy; the user's file is replaced, atomically, only
 * after the whole upload succeeded, so a failed or aborted upload never leaves it bumped.
 */
public record VersionFile(Path original, Path copy, String version) {

    /** Reads and checks the file before anything runs. */
    public static VersionFile read(Path original, Path copy, String field) {
        if (!Files.isRegularFile(original) || !Files.isReadable(original)) {
            throw InvalidRequestException.of(field, original, "the version file must be a readable file holding"
                    + " one line X.Y.Z, e.g. 1.2.3");
        }
        String text;
        try {
            text = ImageVersion.trimSpace(Files.readString(original, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw InvalidRequestException.of(field, original, "the version file cannot be read: " + e.getMessage());
        }
        if (!ImageVersion.FORMAT.matcher(text).matches()) {
            throw new InvalidRequestException(field + ": the version file " + original + " holds '" + abbreviate(text)
                    + "', not a version uplosi accepts; it must hold one line X.Y.Z with digits only, e.g. 1.2.3.");
        }
        return new VersionFile(original, copy, text);
    }

    public void writeCopy() throws IOException {
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, version + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Refuses, before the upload, a version that uplosi's --increment-version would refuse or garble after it.
     */
    public void checkIncrementable() {
        ImageVersion.checkIncrementable("imageVersionFile (" + original + ")", version);
    }

    /** The next patch version, as uplosi's incrementSemver computes it. */
    public String next() {
        return increment(version);
    }

    public static String increment(String version) {
        return ImageVersion.increment(version);
    }

    /** What uplosi left in the copy (its -i bumps it), or null when it left no version there. */
    public String copyVersion() throws IOException {
        String text = ImageVersion.trimSpace(Files.readString(copy, StandardCharsets.UTF_8));
        return ImageVersion.FORMAT.matcher(text).matches() ? text : null;
    }

    /** Replaces the user's file with the next version in one rename, keeping its trailing newline. */
    public void commitNext() {
        try {
            boolean newline = Files.readString(original, StandardCharsets.UTF_8).endsWith("\n");
            Path temp = Files.createTempFile(original.toAbsolutePath().getParent(), ".podvm-version-", ".tmp");
            try {
                Files.writeString(temp, next() + (newline ? "\n" : ""), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(original));
                move(temp, original);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new PodvmException("The upload succeeded, but the version file " + original + " could not be"
                    + " bumped from " + version + " to " + next() + ": " + e.getMessage() + "; bump it by hand.", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String abbreviate(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
