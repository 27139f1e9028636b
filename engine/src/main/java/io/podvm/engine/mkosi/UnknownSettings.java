package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Finds, before mkosi runs, a setting the mkosi that will run does not know: 24 and 25 stop at the first with
 * "Unknown setting", 26 and newer only warn and build without it. Either way the user should hear which setting
 * in which file, and that the tree was written for a newer mkosi.
 */
final class UnknownSettings {
    private static final Set<String> NOT_SETTINGS = Set.of("Match", "TriggerMatch");
    private static final List<String> SUBDIRECTORIES = List.of("mkosi.conf.d", PresetTranslator.PRESETS,
            PresetTranslator.IMAGES, "mkosi.profiles");

    private UnknownSettings() {
    }

    /** Throws naming the first unknown setting of {@code tree}, whose files are shown relative to {@code shownAs}. */
    static void check(Path tree, MkosiSettings mkosi, String shownAs) throws IOException {
        if (mkosi.all().isEmpty()) {
            return; // an mkosi before 19, whose table podvm does not read
        }
        check(tree, tree, mkosi, shownAs);
    }

    private static void check(Path tree, Path dir, MkosiSettings mkosi, String shownAs) throws IOException {
        for (String name : List.of("mkosi.conf", "mkosi.local.conf")) {
            checkFile(tree, dir.resolve(name), mkosi, shownAs);
        }
        for (String sub : SUBDIRECTORIES) {
            Path subdir = dir.resolve(sub);
            if (!Files.isDirectory(subdir)) {
                continue;
            }
            for (Path entry : PresetTranslator.listSorted(subdir)) {
                if (Files.isDirectory(entry)) {
                    check(tree, entry, mkosi, shownAs);
                } else if (entry.toString().endsWith(".conf")) {
                    checkFile(tree, entry, mkosi, shownAs);
                }
            }
        }
    }

    private static void checkFile(Path tree, Path file, MkosiSettings mkosi, String shownAs) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        for (MkosiConfFile.Setting s : MkosiConfFile.read(file).settings()) {
            String key = s.key().startsWith("@") ? s.key().substring(1) : s.key();
            if (!NOT_SETTINGS.contains(s.section()) && mkosi.get(key).isEmpty()) {
                throw new InvalidRequestException("dir: " + shownAs + tree.relativize(file) + " sets " + key
                        + "=, which mkosi " + mkosi.version() + " does not know: this tree may need a newer mkosi than "
                        + mkosi.version() + " (for example 27.1 from Debian sid, installed as mkosi-27 by"
                        + " scripts/install-tools.sh; choose it with --mkosi). Nothing was built.");
            }
        }
    }
}
