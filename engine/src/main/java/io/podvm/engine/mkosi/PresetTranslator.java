package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Makes a staged tree in the old layout ({@code mkosi.presets/}, {@code [Preset]}, mkosi 15 to 18) build on
 * the mkosi that will run as its author meant it; a tree already in the {@code mkosi.images/} layout is left
 * as it is.
 *
 * <p>In 15 to 18 every preset was parsed on top of the whole top-level configuration: all its settings and
 * its implicit trees and scripts ({@code mkosi.skeleton/}, {@code mkosi.postinst}, ...). From 19 on a
 * subimage sees only the "universal" settings, refuses some of them, and the top level is built as an image
 * of its own. The translation, with what each mkosi version allows read from its own settings table:
 * <ul>
 * <li>the preset that nothing depends on (the system image) becomes the main image: the top level includes
 *     it last, from {@code mkosi.local.conf}, which only the top level reads, so no "default" image is
 *     built next to it;</li>
 * <li>every other preset becomes a subimage in {@code mkosi.images/} that starts with
 *     {@code Include=} of the top-level directory, which mkosi parses as a whole (settings, drop-ins,
 *     implicit trees and scripts) relative to the top level, as 15 to 18 did;</li>
 * <li>settings that only the main image may hold, or that reach subimages by themselves, move from the
 *     top-level files and from the subimages into {@code mkosi.podvm-main/}, included by
 *     {@code mkosi.local.conf} too, each under the {@code [Match]} of the file it came from.</li>
 * </ul>
 */
final class PresetTranslator {
    static final String PRESETS = "mkosi.presets";
    static final String IMAGES = "mkosi.images";
    static final String MAIN_ONLY = "mkosi.podvm-main";
    static final String LOCAL_CONF = "mkosi.local.conf";

    private final BuildLog log;

    PresetTranslator(BuildLog log) {
        this.log = log;
    }

    void translate(Path tree, MkosiSettings mkosi) throws IOException {
        MkosiVersion version = mkosi.version();
        Path presets = tree.resolve(PRESETS);
        Path images = tree.resolve(IMAGES);
        if (!version.atLeast(19)) {
            if (Files.isDirectory(images) && !Files.isDirectory(presets)) {
                throw new InvalidRequestException("dir: the tree uses " + IMAGES + "/, which mkosi " + version
                        + " cannot read; use mkosi 19 or newer, or the " + PRESETS + "/ layout.");
            }
            return;
        }
        if (!Files.isDirectory(presets)) {
            return; // a modern tree, or one without subimages: built exactly as written
        }
        if (Files.exists(images)) {
            throw new InvalidRequestException("dir: the tree has both " + PRESETS + "/ and " + IMAGES
                    + "/; keep one of them.");
        }
        new OldLayout(tree, mkosi).translate();
        for (MkosiSettings.LayoutChange change : MkosiSettings.LAYOUT_CHANGES) {
            // Directories renamed after 19 (the presets themselves are handled by OldLayout).
            if (change.since() > 19 && version.atLeast(change.since()) && change.before().startsWith("mkosi.")) {
                renameIfAbsent(tree.resolve(change.before()), tree.resolve(change.after()), change.why());
            }
        }
    }

    /** The translation of one old-layout tree. */
    private final class OldLayout {
        private final Path tree;
        private final MkosiSettings mkosi;
        private final Path mainOnlyDir;
        /** What mkosi.local.conf includes, in order. */
        private final List<String> mainIncludes = new ArrayList<>();
        private int counter = 10;

        OldLayout(Path tree, MkosiSettings mkosi) {
            this.tree = tree;
            this.mkosi = mkosi;
            this.mainOnlyDir = tree.resolve(MAIN_ONLY);
        }

        void translate() throws IOException {
            Path presets = tree.resolve(PRESETS);
            List<Path> all = listSorted(presets).stream()
                    .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".conf")).toList();
            if (all.isEmpty()) {
                FileTrees.deleteRecursively(presets);
                return;
            }
            List<Path> files = new ArrayList<>(configFiles(tree));
            for (Path preset : all) {
                files.addAll(configFiles(preset));
            }
            for (Path file : files) {
                MkosiConfFile conf = MkosiConfFile.read(file);
                conf.renameSection("Preset", "Config");
                moveToTheirSections(conf, file);
                conf.write(file);
            }
            Path main = chooseMain(all);
            moveTopLevelMainOnlySettings();
            Path images = tree.resolve(IMAGES);
            List<String> subimages = new ArrayList<>();
            for (Path preset : all) {
                if (!preset.equals(main)) {
                    subimages.add(makeSubimage(preset, images));
                }
            }
            includeMain(main, subimages);
            writeLocalConf();
            log.info("Translated the " + PRESETS + "/ layout for mkosi " + mkosi.version() + ": " + presetName(main)
                    + " is the main image" + (subimages.isEmpty() ? "" : ", " + String.join(", ", subimages)
                    + " subimage(s) in " + IMAGES + "/")
                    + "; each is parsed on top of the whole top-level configuration, as mkosi 15 to 18 did.");
        }

        /** The section this mkosi reads {@code setting} in ([Config] Include= in 24, [Include] in 25 and newer). */
        private String section(String setting) {
            return mkosi.get(setting).map(MkosiSettings.Setting::section).orElse("Config");
        }

        /** Settings an older mkosi read in another section (Environment= in [Content]) go where this one reads them. */
        private void moveToTheirSections(MkosiConfFile conf, Path file) {
            List<MkosiConfFile.Setting> misplaced = conf.removeSettings(s -> !s.section().equals("Match")
                    && !s.section().equals("TriggerMatch")
                    && mkosi.get(s.key()).map(t -> !t.section().equals(s.section())).orElse(false));
            for (MkosiConfFile.Setting s : misplaced) {
                String section = mkosi.get(s.key()).orElseThrow().section();
                conf.appendLines(section, s.lines());
                log.info("Moved " + s.key() + "= from [" + s.section() + "] to [" + section + "] in "
                        + tree.relativize(file) + ", where mkosi " + mkosi.version() + " reads it.");
            }
        }

        /** The preset no other preset depends on, preferring a disk image, the last one in name order otherwise. */
        private Path chooseMain(List<Path> presets) throws IOException {
            Set<String> dependedOn = new LinkedHashSet<>();
            for (Path preset : presets) {
                for (MkosiConfFile.Setting s : settings(preset, "Dependencies")) {
                    for (String name : s.value().split("[,\\s]+")) {
                        dependedOn.add(name.trim());
                    }
                }
            }
            List<Path> finals = presets.stream().filter(p -> !dependedOn.contains(presetName(p))).toList();
            if (finals.isEmpty()) {
                throw new InvalidRequestException("dir: every preset in " + PRESETS + "/ is a dependency of another"
                        + " (" + String.join(", ", dependedOn) + "); the dependencies form a cycle.");
            }
            List<Path> disks = new ArrayList<>();
            for (Path p : finals) {
                if (settings(p, "Format").stream().anyMatch(s -> s.value().equals("disk"))) {
                    disks.add(p);
                }
            }
            List<Path> candidates = disks.isEmpty() ? finals : disks;
            return candidates.get(candidates.size() - 1);
        }

        private void moveTopLevelMainOnlySettings() throws IOException {
            List<Path> files = new ArrayList<>();
            files.add(tree.resolve("mkosi.conf"));
            Path dropIns = tree.resolve("mkosi.conf.d");
            if (Files.isDirectory(dropIns)) {
                listSorted(dropIns).stream().filter(p -> p.toString().endsWith(".conf")).forEach(files::add);
            }
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    moveSettings(file, tree, "top", mkosi::mainOnly,
                            "only the main image may hold them, or they reach the subimages by themselves");
                }
            }
        }

        /** A preset turned subimage: the whole top level first, then its own configuration. */
        private String makeSubimage(Path preset, Path images) throws IOException {
            String name = presetName(preset);
            boolean isDir = Files.isDirectory(preset);
            for (Path file : configFiles(preset)) {
                moveSettings(file, isDir ? preset : preset.getParent(), name, mkosi::refusedInSubimage,
                        "mkosi " + mkosi.version() + " refuses them in a subimage");
            }
            Path image = images.resolve(name);
            Files.createDirectories(images);
            String include = "[" + section("Include") + "]\nInclude=../..\n";
            if (isDir) {
                Files.move(preset, image);
            } else {
                // mkosi 15-18 read a preset file's paths from mkosi.presets/, mkosi 19+ read a subimage file's from
                // the top level: the file goes into a drop-in directory one level down, included as a directory.
                Path wrapper = tree.resolve("mkosi.podvm-preset-" + name);
                Files.createDirectories(wrapper.resolve("mkosi.conf.d"));
                Files.move(preset, wrapper.resolve("mkosi.conf.d").resolve(preset.getFileName()));
                Files.createDirectories(image);
                include += "Include=../../" + wrapper.getFileName() + "\n";
            }
            Path conf = image.resolve("mkosi.conf");
            String own = Files.isRegularFile(conf) ? Files.readString(conf) : "";
            Files.writeString(conf, "# Added by podvm: mkosi 15 to 18 parsed every preset on top of the whole"
                    + " top-level configuration.\n" + include + "\n" + own);
            return name;
        }

        /** The main preset, included last by the top level's mkosi.local.conf, with every other preset as dependency. */
        private void includeMain(Path main, List<String> subimages) throws IOException {
            if (Files.isDirectory(main)) {
                mainIncludes.add(tree.relativize(main).toString());
            } else {
                // A preset file's paths are relative to mkosi.presets/: include it from a directory there.
                Files.writeString(main.resolveSibling("mkosi.conf"), "# Added by podvm.\n[" + section("Include") + "]\nInclude="
                        + main.getFileName() + "\n");
                mainIncludes.add(PRESETS);
            }
            Set<String> missing = new LinkedHashSet<>(subimages);
            for (MkosiConfFile.Setting s : settings(main, "Dependencies")) {
                missing.removeAll(List.of(s.value().split("[,\\s]+")));
            }
            if (!missing.isEmpty()) {
                Path file = mainOnlyFile("dependencies");
                Files.writeString(file, "# Added by podvm: mkosi 15 to 18 built every preset.\n[" + section("Dependencies")
                        + "]\nDependencies="
                        + String.join(",", missing) + "\n");
                mainIncludes.add(tree.relativize(file).toString());
            }
        }

        private void writeLocalConf() throws IOException {
            Path local = tree.resolve(LOCAL_CONF);
            String own = Files.isRegularFile(local) ? "\n" + Files.readString(local) : "";
            StringBuilder out = new StringBuilder("# Written by podvm: what only the main image reads (mkosi reads"
                    + " this file at the top level only).\n[" + section("Include") + "]\n");
            mainIncludes.forEach(i -> out.append("Include=").append(i).append('\n'));
            Files.writeString(local, out + own);
        }

        /** Moves the settings {@code which} selects from {@code file} to a main-only file under the same [Match]. */
        private void moveSettings(Path file, Path cwd, String origin, Predicate<String> which, String why)
                throws IOException {
            MkosiConfFile conf = MkosiConfFile.read(file);
            List<MkosiConfFile.Setting> moved = conf.removeSettings(s -> !s.section().equals("Match")
                    && !s.section().equals("TriggerMatch") && which.test(s.key()));
            if (moved.isEmpty()) {
                return;
            }
            conf.write(file);
            Path target = mainOnlyFile(origin + "-" + file.getFileName().toString().replace(".conf", ""));
            Files.writeString(target, mainOnlyText(cwd, conf, moved, tree.relativize(file).toString()));
            mainIncludes.add(tree.relativize(target).toString());
            log.info("Moved " + keys(moved) + " from " + tree.relativize(file) + " to " + tree.relativize(target)
                    + " (" + why + ").");
        }

        private Path mainOnlyFile(String name) throws IOException {
            Files.createDirectories(mainOnlyDir);
            return mainOnlyDir.resolve((counter++) + "-" + name + ".conf");
        }

        /** The moved settings, under the file's own [Match] with its paths made relative to the top level. */
        private String mainOnlyText(Path cwd, MkosiConfFile conf, List<MkosiConfFile.Setting> moved, String from) {
            StringBuilder out = new StringBuilder("# Moved here by podvm from " + from + ".\n");
            List<MkosiConfFile.Setting> match = conf.settingsIn("Match");
            if (!match.isEmpty()) {
                out.append("[Match]\n");
                for (MkosiConfFile.Setting s : match) {
                    String value = s.key().equals("PathExists") ? rebase(tree, cwd, s.value()) : s.value();
                    out.append(s.key()).append('=').append(value).append('\n');
                }
            }
            Map<String, List<MkosiConfFile.Setting>> bySection = new LinkedHashMap<>();
            moved.forEach(s -> bySection.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s));
            bySection.forEach((section, settings) -> {
                out.append("\n[").append(section).append("]\n");
                settings.forEach(s -> out.append(String.join("\n", s.lines())).append('\n'));
            });
            return out.toString();
        }

        private List<MkosiConfFile.Setting> settings(Path preset, String key) throws IOException {
            List<MkosiConfFile.Setting> found = new ArrayList<>();
            for (Path file : configFiles(preset)) {
                MkosiConfFile.read(file).settings().stream().filter(s -> s.key().equals(key)).forEach(found::add);
            }
            return found;
        }
    }

    /** The configuration files of a preset or image: the file itself, or mkosi.conf and mkosi.conf.d/*.conf. */
    static List<Path> configFiles(Path preset) throws IOException {
        if (!Files.isDirectory(preset)) {
            return Files.isRegularFile(preset) ? List.of(preset) : List.of();
        }
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(preset.resolve("mkosi.conf"))) {
            files.add(preset.resolve("mkosi.conf"));
        }
        Path dropIns = preset.resolve("mkosi.conf.d");
        if (Files.isDirectory(dropIns)) {
            listSorted(dropIns).stream().filter(p -> p.toString().endsWith(".conf") && Files.isRegularFile(p))
                    .forEach(files::add);
        }
        return files;
    }

    static String presetName(Path preset) {
        return preset.getFileName().toString().replaceFirst("\\.conf$", "");
    }

    /** A PathExists= value relative to {@code cwd}, made relative to the top-level directory. */
    static String rebase(Path tree, Path cwd, String value) {
        String prefix = value.startsWith("|") || value.startsWith("!") ? value.substring(0, 1) : "";
        String path = value.substring(prefix.length());
        if (path.startsWith("/")) {
            return value;
        }
        String rebased = tree.relativize(cwd.resolve(path).normalize()).toString();
        return prefix + (rebased.isEmpty() ? "." : rebased);
    }

    private void renameIfAbsent(Path from, Path to, String why) throws IOException {
        if (Files.isDirectory(from) && !Files.exists(to)) {
            Files.move(from, to);
            log.info("mkosi 25 reads " + to.getFileName() + "/ instead of " + from.getFileName()
                    + "/ (" + why + "): renamed it in the staged tree.");
        }
    }

    private static String keys(List<MkosiConfFile.Setting> settings) {
        return String.join(", ", settings.stream().map(MkosiConfFile.Setting::key).distinct().toList());
    }

    static List<Path> listSorted(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
