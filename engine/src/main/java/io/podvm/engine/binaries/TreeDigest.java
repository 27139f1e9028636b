package io.podvm.engine.binaries;

import io.podvm.engine.files.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts and fingerprints a tree. The digest covers what ends up in the image, and nothing that differs
 * between two builds of the same input: sorted relative paths, entry types, permission bits, file contents
 * and link targets; not times, owners or the tree's own directory.
 */
final class TreeDigest {
    private TreeDigest() {
    }

    /** What the result reports about a tree. */
    record Summary(long files, long bytes, String digest, List<String> symlinks) {
    }

    static Summary of(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !p.equals(root) && !p.equals(root.resolve(OutputTree.MARKER))).forEach(p -> paths.add(relative(root, p)));
        }
        // Byte order of the UTF-8 names: the same on every machine, whatever its locale.
        paths.sort(TreeDigest::compareUtf8);
        MessageDigest digest = Sha256.newDigest();
        long files = 0;
        long bytes = 0;
        List<String> symlinks = new ArrayList<>();
        for (String path : paths) {
            Path entry = root.resolve(path);
            PosixFileAttributes attrs = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = attrs.isSymbolicLink() ? "l" : attrs.isDirectory() ? "d" : attrs.isRegularFile() ? "f" : "o";
            update(digest, kind + " " + mode(entry) + " " + path + "\0");
            if (attrs.isRegularFile()) {
                files++;
                bytes += attrs.size();
                update(digest, contentDigest(entry) + "\n");
            } else if (attrs.isSymbolicLink()) {
                symlinks.add(path);
                update(digest, Files.readSymbolicLink(entry) + "\n");
            }
        }
        return new Summary(files, bytes, "sha256:" + HexFormat.of().formatHex(digest.digest()), symlinks);
    }

    private static String contentDigest(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Octal permission bits with setuid, setgid and sticky, which Java's permission set leaves out. */
    static String mode(Path entry) throws IOException {
        int mode = (Integer) Files.getAttribute(entry, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return String.format("%04o", mode & 07777);
    }
}
