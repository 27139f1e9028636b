package io.podvm.engine.binaries;

import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The podvm-binaries images that cloud-api-adaptor publishes do not hold the tree itself: their file system is
 * {@code /podvm-binaries.tar.gz} and {@code /pause-bundle.tar.gz}, which the image builds unpack at the root of
 * the guest. When a pulled image has that shape, the tree is the two archives unpacked; otherwise the image's
 * file system is the tree.
 */
final class PublishedPayload {
    static final String BINARIES = "podvm-binaries.tar.gz";
    static final List<String> ARCHIVES = List.of(BINARIES, "pause-bundle.tar.gz");

    private PublishedPayload() {
    }

    static boolean isIn(Path tree) {
        return Files.isRegularFile(tree.resolve(BINARIES), LinkOption.NOFOLLOW_LINKS);
    }

    /** Replaces the image's file system in {@code tree} with the contents of its archives. */
    static void unpack(Path tree, TarUnpacker tar, Path scratch, BuildLog log) throws IOException {
        log.info("The image holds " + BINARIES + " (the layout of the published podvm-binaries images);"
                + " the tree is its contents" + (Files.exists(tree.resolve(ARCHIVES.get(1))) ? " and those of "
                + ARCHIVES.get(1) : "") + ".");
        Path image = scratch.resolve("image-files");
        Files.move(tree, image, StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectory(tree);
        for (String archive : ARCHIVES) {
            Path file = image.resolve(archive);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                tar.unpack(file, tree);
            }
        }
        FileTrees.deleteRecursively(image);
    }
}
