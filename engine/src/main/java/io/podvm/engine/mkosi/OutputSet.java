package io.podvm.engine.mkosi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files one build delivers into the output directory, replacing the previous build's set as a whole: after
 * a build the directory holds exactly the new set, never a mix (a {@code system.qcow2} of an earlier build next
 * to a new {@code system.raw}). {@link #RECORD} names the set, so that the next build knows what to remove;
 * the names the previous set may have had without a record (an output directory of an older podvm) are the
 * image's own name with podvm's extensions. Runs under the {@link OutputLock}.
 */
final class OutputSet {
    static final String RECORD = ".podvm-outputs";
    private static final List<String> EXTENSIONS = List.of(".raw", ".qcow2", ".manifest", ".podvm.json");

    private OutputSet() {
    }

    /**
     * Moves the finished files into {@code dir} and removes what is left of the previous set.
     *
     * @param files the new set, in the stage inside {@code dir}, so that each move is an atomic rename
     * @return the new files' final paths, in the order given
     */
    static List<Path> publish(List<Path> files, Path dir) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        files.forEach(f -> names.add(f.getFileName().toString()));
        Set<String> previous = previous(dir, names);
        // The record first names both sets: if this run dies half way, the next one still removes them all.
        Set<String> both = new LinkedHashSet<>(previous);
        both.addAll(names);
        record(dir, both);
        List<Path> placed = new ArrayList<>();
        for (Path file : files) {
            placed.add(OutputDirectory.moveInto(file, dir));
        }
        for (String stale : previous) {
            Path file = dir.resolve(stale);
            if (!names.contains(stale) && (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file))) {
                Files.delete(file);
            }
        }
        record(dir, names);
        return placed;
    }

    /** The previous set's names: the record's, and podvm's names for an image of the same name. */
    private static Set<String> previous(Path dir, Set<String> names) throws IOException {
        Set<String> previous = new LinkedHashSet<>();
        Path record = dir.resolve(RECORD);
        if (Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                // Only plain names: a record must not make podvm delete anything outside the directory.
                if (!line.isBlank() && !line.contains("/") && !line.startsWith(".")) {
                    previous.add(line.trim());
                }
            }
        }
        for (String name : names) {
            if (name.endsWith(".raw")) {
                String stem = name.substring(0, name.length() - ".raw".length());
                EXTENSIONS.forEach(ext -> previous.add(stem + ext));
            }
        }
        return previous;
    }

    private static void record(Path dir, Set<String> names) throws IOException {
        Path temporary = Files.createTempFile(dir, RECORD, ".new");
        Files.writeString(temporary, String.join("\n", names) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, dir.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
