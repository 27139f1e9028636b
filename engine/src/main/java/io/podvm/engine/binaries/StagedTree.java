package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.files.OwnerTag;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A work directory next to the output, on the same file system, so that the new tree replaces the old one by
 * renames: the previous tree stays untouched until the new one is complete, and a failed run leaves it as it
 * was (the seed's {@code make binaries} deleted it first). {@link #close()} removes whatever is left.
 */
final class StagedTree implements AutoCloseable {
    private final Path output;
    private final Path work;
    private final BuildLog log;

    private StagedTree(Path output, Path work, BuildLog log) {
        this.output = output;
        this.work = work;
        this.log = log;
    }

    /** Creates the work directory beside the output, which {@link OutputTree#check} has accepted. */
    static StagedTree beside(Path output, BuildLog log) {
        Path parent = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            String prefix = "." + output.getFileName() + ".podvm-";
            // A run killed with -9 could not remove its work directory; the name carries its owner's pid.
            for (Path left : OwnerTag.sweep(parent, prefix)) {
                log.info("Removed " + left + ", left by a podvm run that is no longer running.");
            }
            return new StagedTree(output, Files.createTempDirectory(parent, OwnerTag.prefix(prefix)), log);
        } catch (IOException e) {
            throw new InvalidRequestException("output: cannot create a work directory in '" + parent + "' ("
                    + e.getMessage() + "); give an output path in a directory this user can write.");
        }
    }

    /** Where the new tree is to be made; it does not exist until a builder or puller makes it. */
    Path tree() {
        return work.resolve("tree");
    }

    /** Scratch space for downloads and layers, removed with the work directory. */
    Path scratch(String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    /** Puts the new tree in place of the output: old tree aside, new tree in, old tree deleted. */
    void commit() throws IOException {
        Path tree = tree();
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the tool finished but wrote no tree to " + tree);
        }
        // A temporary directory is 0700; the tree's root becomes part of the image's file system.
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        OutputTree.mark(tree);
        Path previous = work.resolve("previous");
        boolean hadPrevious = Files.exists(output, LinkOption.NOFOLLOW_LINKS);
        if (hadPrevious) {
            Files.move(output, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tree, output, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (hadPrevious) {
                Files.move(previous, output, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            FileTrees.deleteRecursively(work);
        } catch (IOException e) {
            log.warn("Could not delete the work directory " + work + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            log.warn("Could not delete the work directory " + work + ": " + e.getMessage());
        }
    }
}
