package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.OutputPlaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Free space, checked before mkosi runs and looked at again when it fails. What a build needs, per place
 * (measured on the bundled debian image: 723 MiB image, mkosi's workspace peaked at 1.17 GiB, the output
 * directory at 867 MiB with qcow2; a cold package cache took 230 MiB):
 * <ul>
 * <li>the output directory: the stage copy of the tree and binaries, the image, and as much again for qcow2;</li>
 * <li>mkosi's workspace, which podvm puts in the staging directory inside the output directory: 1.5 times the
 * image (the root tree and the image made from it);</li>
 * <li>the package cache, when it is empty: {@link #COLD_CACHE}.</li>
 * </ul>
 * Places on one file system add up; each file system needs its sum plus {@link #MARGIN_PERCENT}% and
 * {@link #MARGIN_BYTES}.
 */
final class DiskSpace {
    static final long MIB = 1024L * 1024;
    static final long COLD_CACHE = 512 * MIB;
    static final int MARGIN_PERCENT = 10;
    static final long MARGIN_BYTES = 64 * MIB;
    /** Below this a file system counts as full when mkosi has failed. */
    static final long FULL_BELOW = 32 * MIB;

    /** Bytes that one place needs, and what for (said in the refusal). */
    record Need(String field, Path place, long bytes, String why) {
    }

    private DiskSpace() {
    }

    /** What a build of an image of this estimate needs, per place. */
    static List<Need> forBuild(ImageSizeEstimate image, boolean qcow2, Path binaries, Path outputDir, Path cache)
            throws IOException {
        long stage = binaries == null ? 0 : treeBytes(binaries);
        long outputs = image.bytes() * (qcow2 ? 2 : 1);
        String estimate = "the image, " + size(image.bytes()) + " as estimated from " + image.partitions()
                + " partition definition(s)" + (qcow2 ? ", its qcow2 copy as much again" : "")
                + (stage > 0 ? ", the copy of the binaries tree " + size(stage) : "");
        List<Need> needs = new ArrayList<>(List.of(new Need("outputDir", outputDir, stage + outputs, estimate),
                new Need("outputDir", outputDir, image.bytes() * 3 / 2,
                        "mkosi's workspace in the staging directory, " + size(image.bytes() * 3 / 2))));
        if (isEmpty(cache)) {
            needs.add(new Need("packageCache", cache, COLD_CACHE, "the packages for the empty package cache, "
                    + size(COLD_CACHE)));
        }
        return needs;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static long treeBytes(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** Refuses the build, before anything is created, when a file system has too little space for it. */
    static void require(List<Need> needs) {
        Map<FileStore, List<Need>> byStore = new LinkedHashMap<>();
        for (Need need : needs) {
            byStore.computeIfAbsent(store(need.place()), s -> new ArrayList<>()).add(need);
        }
        byStore.forEach((store, onIt) -> {
            long sum = onIt.stream().mapToLong(Need::bytes).sum();
            long required = sum + sum * MARGIN_PERCENT / 100 + MARGIN_BYTES;
            long free = usable(store);
            if (free < required) {
                Need first = onIt.get(0);
                List<String> parts = onIt.stream().map(Need::why).toList();
                throw new InvalidRequestException(first.field() + ": '" + first.place() + "' is on a file system ("
                        + store + ") with " + size(free) + " free, and this build needs about " + size(required)
                        + " there (" + String.join("; ", parts) + "; plus " + MARGIN_PERCENT + "% and "
                        + size(MARGIN_BYTES) + " to spare); free some space there, or choose a place on a"
                        + " larger disk. Nothing was built.");
            }
        });
    }

    /**
     * After a failure: a sentence for each file system that is now full (or nearly), since that is then the
     * likely reason; empty when none is.
     */
    static Optional<String> fullNote(List<Path> places) {
        List<String> full = new ArrayList<>();
        Map<FileStore, Path> stores = new LinkedHashMap<>();
        for (Path place : places) {
            try {
                stores.putIfAbsent(store(place), place);
            } catch (UncheckedIOException e) {
                // A place that is gone cannot be full.
            }
        }
        stores.forEach((store, place) -> {
            long free = usable(store);
            if (free < FULL_BELOW) {
                full.add("the file system of " + place + " (" + store + ") is full (" + size(free) + " free)");
            }
        });
        return full.isEmpty() ? Optional.empty()
                : Optional.of(" The disk is full: " + String.join("; ", full) + "; free some space and build again.");
    }

    /** The file system of a place, also of one that does not exist yet. */
    static FileStore store(Path place) {
        try {
            return Files.getFileStore(OutputPlaces.nearestExisting(place));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long usable(FileStore store) {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sizes as people read them: MiB below 1 GiB, GiB with one decimal above. */
    static String size(long bytes) {
        if (bytes < 1024 * MIB) {
            return Math.max(0, bytes / MIB) + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * MIB));
    }
}
