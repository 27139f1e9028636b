package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.TreeListing;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * mkosi's incremental mode ({@code Incremental=yes}) for a staged tree. mkosi caches the tree it has installed
 * (skeleton trees and packages) and reuses it while its own cache manifest (distribution, release, mirror,
 * package lists, repositories, prepare scripts) is unchanged. Two things it does not check are handled here,
 * so that a rebuild holds what a cold build would:
 * <ul>
 * <li>skeleton trees are cached with the packages, so the binaries tree and root's keys, which change from
 * build to build, move from {@code SkeletonTrees=} to {@code ExtraTrees=} (copied after the cache, on every
 * build, with the same copy): nothing of an old binaries tree survives in a rebuild;</li>
 * <li>the rest of the staged definition (skeleton trees, repart definitions, scripts, the mkosi version) names
 * the cache directory, so a changed definition gets a fresh cache instead of a stale one.</li>
 * </ul>
 */
final class IncrementalBuild {
    /** Beside mkosi's own package cache, in the package cache directory. */
    static final String CACHE_ROOT = "podvm-incremental";
    /** Caches of definitions not built for this long are deleted: each holds a whole installed tree. */
    private static final Duration KEEP_UNUSED = Duration.ofDays(14);
    private static final Pattern SKELETON = Pattern.compile("^(\\s*)SkeletonTrees\\s*=\\s*(.*?)\\s*$");
    /** Sources that change between builds of one definition; relative to the staged tree. */
    private static final List<String> PER_BUILD = List.of(TreeStager.BINARIES_TREE, TreeStager.AUTHORIZED_KEYS);

    private final BuildLog log;

    IncrementalBuild(BuildLog log) {
        this.log = log;
    }

    /** Refuses before any work on an mkosi whose options differ (before 19, --cache-dir was the package cache). */
    static void requireSupported(MkosiVersion version) {
        if (!version.atLeast(19)) {
            throw new InvalidRequestException("incremental: mkosi " + version + " is too old for podvm's incremental"
                    + " builds; they need mkosi 19 or newer (24.3 and 25.3 tested). Drop incremental or install a newer"
                    + " mkosi.");
        }
    }

    /** Rewrites the staged tree for incremental builds and returns the mkosi options that turn them on. */
    List<String> prepare(Path tree, Path packageCache, MkosiVersion version) throws IOException {
        int moved = moveToExtraTrees(tree);
        String key = definitionKey(tree, version);
        Path cache = Files.createDirectories(packageCache.resolve(CACHE_ROOT).resolve(key));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now()));
        deleteUnused(cache.getParent(), cache);
        log.info("Incremental build: cache " + cache + (Files.list(cache).findAny().isPresent()
                ? " (reused when mkosi finds the package set unchanged)" : " (empty: this build fills it)")
                + "; " + moved + " per-build tree(s) copied after the cache.");
        return List.of("--incremental=yes", "--cache-dir=" + cache);
    }

    /** The digest of everything staged except the per-build trees: short, as a directory name. */
    private static String definitionKey(Path tree, MkosiVersion version) throws IOException {
        TreeListing definition = TreeListing.of(tree, PER_BUILD::contains);
        return "mkosi-" + version + "-" + definition.digest().substring("sha256:".length(), "sha256:".length() + 16);
    }

    private static int moveToExtraTrees(Path tree) throws IOException {
        List<Path> confs;
        try (Stream<Path> all = Files.walk(tree)) {
            confs = all.filter(p -> p.toString().endsWith(".conf") && Files.isRegularFile(p))
                    .filter(p -> !tree.relativize(p).startsWith(TreeStager.BINARIES_TREE)).toList();
        }
        int moved = 0;
        for (Path conf : confs) {
            moved += rewrite(conf);
        }
        return moved;
    }

    private static int rewrite(Path conf) throws IOException {
        List<String> out = new ArrayList<>();
        int moved = 0;
        for (String line : Files.readAllLines(conf)) {
            Matcher m = SKELETON.matcher(line);
            if (!m.matches()) {
                out.add(line);
                continue;
            }
            List<String> keep = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            for (String entry : m.group(2).split(",")) {
                if (!entry.isBlank()) {
                    (perBuild(entry.trim()) ? extra : keep).add(entry.trim());
                }
            }
            // An empty "SkeletonTrees=" would reset the list that earlier files built up.
            if (!keep.isEmpty() || extra.isEmpty()) {
                out.add(m.group(1) + "SkeletonTrees=" + String.join(",", keep));
            }
            if (!extra.isEmpty()) {
                out.add(m.group(1) + "ExtraTrees=" + String.join(",", extra));
                moved += extra.size();
            }
        }
        Files.write(conf, out);
        return moved;
    }

    /**
     * Whether an entry ("SOURCE[:TARGET]") is a per-build tree. By the end of its path: mkosi resolves a
     * drop-in's relative paths from the directory above mkosi.conf.d, not from the drop-in's own.
     */
    private static boolean perBuild(String entry) {
        Path source = Path.of(entry.split(":", 2)[0]).normalize();
        return PER_BUILD.stream().anyMatch(p -> source.endsWith(p));
    }

    private void deleteUnused(Path root, Path current) throws IOException {
        Instant limit = Instant.now().minus(KEEP_UNUSED);
        try (Stream<Path> caches = Files.list(root)) {
            for (Path cache : caches.filter(p -> !p.equals(current)).toList()) {
                if (Files.getLastModifiedTime(cache).toInstant().isBefore(limit)) {
                    log.info("Deleting the incremental cache " + cache + ", unused for " + KEEP_UNUSED.toDays() + " days.");
                    io.podvm.engine.files.FileTrees.deleteRecursively(cache);
                }
            }
        }
    }
}
