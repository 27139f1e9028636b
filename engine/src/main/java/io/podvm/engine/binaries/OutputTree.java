package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.OutputPlaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The output of a binaries run is replaced whole, so only a directory nobody else's files live in may be it:
 * a missing one, an empty one, or one that podvm made (it holds {@link #MARKER}). Everything else is refused
 * before any work, with the reason.
 */
public final class OutputTree {
    /**
     * Written into the root of every tree podvm makes. It says "podvm may replace this directory"; the image build
     * does not copy it into the image and the tree's digest leaves it out.
     */
    public static final String MARKER = ".podvm-binaries-tree";

    private static final String FIELD = "output";

    private OutputTree() {
    }

    /** Refuses an output that podvm must not replace, or that an overlay and the output would copy into each other. */
    static void check(Path output, Path base, List<Path> overlays) {
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidRequestException(FIELD + ": '" + output + "' is " + (Files.isSymbolicLink(output)
                    ? "a symbolic link" : "a file") + "; give a directory (it is replaced whole) or a path that"
                    + " does not exist yet.");
        }
        OutputPlaces.refusal(output, base).ifPresent(reason -> {
            throw new InvalidRequestException(FIELD + ": '" + output + "' " + reason + "; the output directory is"
                    + " replaced whole, so give a directory of its own, such as " + BinariesRequest.DEFAULT_OUTPUT + ".");
        });
        foreignEntry(output).ifPresent(name -> {
            throw new InvalidRequestException(FIELD + ": '" + output + "' holds files that podvm did not make (such"
                    + " as '" + name + "'), and the output directory is replaced whole; give an empty or new"
                    + " directory, or move those files away (a tree podvm made holds " + MARKER + ").");
        });
        for (Path overlay : overlays) {
            if (OutputPlaces.isInside(output, overlay)) {
                throw new InvalidRequestException(FIELD + ": '" + output + "' is inside the overlay '" + overlay
                        + "', which would be copied into itself; give an output outside every overlay.");
            }
            if (OutputPlaces.isInside(overlay, output)) {
                throw new InvalidRequestException("overlay: '" + overlay + "' is inside the output '" + output
                        + "', which is replaced whole, so the overlay would be deleted; move it out of there.");
            }
        }
    }

    /** Marks a finished tree as podvm's, so that the next run may replace it. */
    static void mark(Path tree) throws IOException {
        Files.writeString(tree.resolve(MARKER), "Made by podvm binaries; the next run replaces this whole directory.\n");
    }

    /** The first entry of an existing directory that podvm did not make, or empty if podvm may replace it. */
    private static Optional<String> foreignEntry(Path output) {
        if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(output.resolve(MARKER),
                LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(output)) {
            return entries.map(p -> p.getFileName().toString()).sorted().findFirst();
        } catch (IOException e) {
            throw new InvalidRequestException(FIELD + ": '" + output + "' cannot be read (" + e.getMessage()
                    + "), so podvm cannot tell whether it may replace it; give a directory this user can read.");
        }
    }
}
