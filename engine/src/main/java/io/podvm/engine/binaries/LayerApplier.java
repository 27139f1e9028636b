package io.podvm.engine.binaries;

import io.podvm.engine.files.FileTrees;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies one unpacked image layer on top of the tree, as the OCI image spec says a runtime does:
 * {@code .wh.NAME} deletes NAME of the lower layers, {@code .wh..wh..opq} empties its directory of the lower
 * layers' entries, and every other entry replaces what was there (a directory merges with a directory).
 * Whiteout files themselves never reach the tree.
 */
final class LayerApplier {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    private LayerApplier() {
    }

    /** Moves the layer's entries into the tree; the layer directory is consumed. */
    static void apply(Path layer, Path tree) throws IOException {
        Files.createDirectories(tree);
        // Whiteouts name lower-layer entries only, so they all apply before this layer's own entries land.
        for (Path whiteout : whiteouts(layer)) {
            applyWhiteout(layer, whiteout, tree);
        }
        mergeInto(layer, tree);
    }

    private static List<Path> whiteouts(Path layer) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(layer)) {
            all.filter(p -> p.getFileName().toString().startsWith(WHITEOUT)).forEach(found::add);
        }
        return found;
    }

    private static void applyWhiteout(Path layer, Path whiteout, Path tree) throws IOException {
        Path dirInTree = tree.resolve(layer.relativize(whiteout.getParent()).toString());
        if (!isRealDirectoryWithin(tree, dirInTree)) {
            return; // Nothing below to hide; and never follow a link out of the tree.
        }
        String name = whiteout.getFileName().toString();
        if (name.equals(OPAQUE)) {
            try (Stream<Path> children = Files.list(dirInTree)) {
                for (Path child : children.toList()) {
                    FileTrees.deleteRecursively(child);
                }
            }
        } else {
            FileTrees.deleteRecursively(dirInTree.resolve(name.substring(WHITEOUT.length())));
        }
    }

    /** Whether every component from the tree's root down to {@code dir} is a directory and not a link. */
    private static boolean isRealDirectoryWithin(Path tree, Path dir) {
        Path current = tree;
        for (Path part : tree.relativize(dir)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part.toString());
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private static void mergeInto(Path layer, Path tree) throws IOException {
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = tree.resolve(layer.relativize(dir).toString());
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.deleteRecursively(target);
                    Files.createDirectory(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().startsWith(WHITEOUT)) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = tree.resolve(layer.relativize(file).toString());
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.deleteRecursively(target);
                }
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                // The layer's directory carries the mode and owner the image means; the tree's copy takes them.
                Path target = tree.resolve(layer.relativize(dir).toString());
                copyOwnerAndMode(dir, target);
                Files.setLastModifiedTime(target, lastModified(dir));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Owner first: changing it clears set-id bits, which the mode (with set-id and sticky bits) then restores. */
    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        try {
            Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | SecurityException notRoot) {
            // Only root can give files away; a user's tree keeps the user's ownership, as tar would.
        }
        Files.setAttribute(to, "unix:mode", Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    private static FileTime lastModified(Path dir) throws IOException {
        return Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
    }
}
