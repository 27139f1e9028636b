package io.podvm.engine.secret;

import io.podvm.engine.files.FileTrees;
import io.podvm.engine.files.OwnerTag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A fresh directory (mode 0700) outside the working tree for the credential files a tool reads, each
 * written 0400 under a random name with a fixed extension. {@link #close()} deletes it all; use it in
 * try-with-resources so that success, failure and abort all clean up. Its name carries the owner's pid and
 * start time, and creating one removes those of runs that were killed before they could delete theirs.
 */
public final class SecretDirectory implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "podvm-secrets-";

    private final Path dir;

    private SecretDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * @param parent where to create it (Jenkins: {@code WorkspaceList.tempDir(workspace)}), or null for
     *               the system's temporary directory
     */
    public static SecretDirectory create(Path parent) {
        try {
            var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            Path where = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(where);
            // A run killed with -9 could not delete its credentials; its directory is marked with its pid.
            OwnerTag.sweep(where, PREFIX);
            return new SecretDirectory(Files.createTempDirectory(where, OwnerTag.prefix(PREFIX), mode));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a private directory for credentials", e);
        }
    }

    public Path path() {
        return dir;
    }

    /** Writes a secret to a new 0400 file with a random name ending in {@code extension} (".json", ".yaml"). */
    public Path write(String content, String extension) {
        byte[] name = new byte[12];
        RANDOM.nextBytes(name);
        Path file = dir.resolve(HexFormat.of().formatHex(name) + extension);
        try {
            // Created 0400 and written through the descriptor that created it: the file is never writable, not
            // even for the moment between writing and a chmod.
            try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")))) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a credential file in " + dir, e);
        }
    }

    @Override
    public void close() {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the credential directory " + dir
                    + "; delete it by hand, it holds secrets", e);
        }
    }
}
