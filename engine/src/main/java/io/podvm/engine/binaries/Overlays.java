package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Extra files copied on top of the tree, in order (the seed's "custom image configuration"). */
final class Overlays {
    private Overlays() {
    }

    /** Checked before any long work: every overlay must be an existing directory. */
    static List<Path> check(List<Path> overlays) {
        for (Path overlay : overlays) {
            if (!Files.isDirectory(overlay)) {
                throw new InvalidRequestException("overlay: '" + overlay + "' " + (Files.exists(overlay)
                        ? "is a file" : "does not exist") + "; an overlay is a directory whose files are copied"
                        + " on top of the binaries tree (etc/..., usr/...).");
            }
        }
        return overlays;
    }

    static void copyOnto(List<Path> overlays, Path tree, BuildLog log) throws IOException {
        for (Path overlay : overlays) {
            log.info("Copying the overlay " + overlay + " on top of the tree.");
            FileTrees.copy(overlay, tree, relative -> false);
        }
    }
}
