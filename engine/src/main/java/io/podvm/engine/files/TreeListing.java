package io.podvm.engine.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a tree holds, entry by entry, as one line each ("f 0755 sha256:..." for a file, "l 0777 -> target" for a
 * link, "d 0755" for a directory), and one digest over all of them. Equal trees give equal listings on every
 * machine: paths are sorted by their UTF-8 bytes, and times and owners are left out.
 */
public record TreeListing(Map<String, String> entries) {
    public TreeListing {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Lists {@code root}, leaving out every relative path (and what is under it) that {@code skip} accepts. */
    public static TreeListing of(Path root, Predicate<String> skip) throws IOException {
        List<String> paths;
        try (Stream<Path> all = Files.walk(root)) {
            paths = all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(p -> !skipped(p, skip)).sorted(TreeListing::compareUtf8).toList();
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String path : paths) {
            entries.put(path, describe(root.resolve(path)));
        }
        return new TreeListing(entries);
    }

    public static TreeListing of(Path root) throws IOException {
        return of(root, p -> false);
    }

    /** "sha256:..." over every path and its description. */
    public String digest() {
        MessageDigest digest = Sha256.newDigest();
        entries.forEach((path, what) -> digest.update((path + "\0" + what + "\n").getBytes(StandardCharsets.UTF_8)));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static boolean skipped(String relative, Predicate<String> skip) {
        for (Path p = Path.of(relative); p != null; p = p.getParent()) {
            if (skip.test(p.toString())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Path entry) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(entry, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        String bits = String.format("%04o", mode);
        if (attrs.isSymbolicLink()) {
            return "l " + bits + " -> " + Files.readSymbolicLink(entry);
        }
        if (attrs.isDirectory()) {
            return "d " + bits;
        }
        if (attrs.isRegularFile()) {
            return "f " + bits + " sha256:" + Sha256.of(entry);
        }
        return "o " + bits;
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
