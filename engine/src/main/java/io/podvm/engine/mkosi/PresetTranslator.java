package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes a staged tree in the seed's layout ({@code mkosi.presets/}, {@code [Preset]}) readable by the mkosi
 * that will build it. mkosi 15 to 18 read it as it is. From 19 on the subimages live in
 * {@code mkosi.images/} with {@code [Config] Dependencies=}, and "universal" settings such as
 * {@code Distribution=} may only be set at the top level, so they move there, each under the
 * {@code [Match]} of the file it came from. mkosi 25 renamed {@code mkosi.pkgmngr/} to {@code mkosi.sandbox/}.
 */
final class PresetTranslator {
    static final String PRESETS = "mkosi.presets";
    static final String IMAGES = "mkosi.images";

    /** mkosi 24/25's universal settings that hold one value (list-valued ones may stay in a subimage). */
    static final Set<String> UNIVERSAL_SCALARS = Set.of("Distribution", "Release", "Architecture", "ImageId",
            "ImageVersion", "OutputDirectory", "CacheDirectory", "PackageCacheDirectory", "BuildDirectory",
            "WorkspaceDirectory", "Mirror", "LocalMirror", "ToolsTree", "ToolsTreeCertificates", "CacheOnly",
            "RepositoryKeyCheck", "SourceDateEpoch", "Incremental", "SectorSize", "UseSubvolumes", "RepartOffline",
            "WithNetwork", "WithTests", "Acl", "Profile", "ProxyUrl", "ProxyPeerCertificate", "ProxyClientCertificate",
            "ProxyClientKey", "VerityKey", "VerityKeySource", "VerityCertificate");

    private final BuildLog log;

    PresetTranslator(BuildLog log) {
        this.log = log;
    }

    void translate(Path tree, MkosiVersion version) throws IOException {
        Path presets = tree.resolve(PRESETS);
        Path images = tree.resolve(IMAGES);
        if (!version.atLeast(19)) {
            if (Files.isDirectory(images) && !Files.isDirectory(presets)) {
                throw new InvalidRequestException("dir: the tree uses " + IMAGES + "/, which mkosi " + version
                        + " cannot read; use mkosi 19 or newer, or the " + PRESETS + "/ layout.");
            }
            return;
        }
        if (Files.isDirectory(presets)) {
            if (Files.exists(images)) {
                throw new InvalidRequestException("dir: the tree has both " + PRESETS + "/ and " + IMAGES
                        + "/; keep one of them.");
            }
            Files.move(presets, images);
            log.info("mkosi " + version + " reads " + IMAGES + "/, not " + PRESETS + "/: translated the staged tree.");
        }
        if (Files.isDirectory(images)) {
            for (Path image : listSorted(images)) {
                if (Files.isDirectory(image)) {
                    translateImage(tree, image);
                }
            }
            stopDefaultImage(tree);
        }
        if (version.atLeast(25)) {
            renameIfAbsent(tree.resolve("mkosi.pkgmngr"), tree.resolve("mkosi.sandbox"));
        }
    }

    private void translateImage(Path tree, Path image) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(image.resolve("mkosi.conf"));
        Path dropIns = image.resolve("mkosi.conf.d");
        if (Files.isDirectory(dropIns)) {
            listSorted(dropIns).stream().filter(p -> p.toString().endsWith(".conf")).forEach(files::add);
        }
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                translateFile(tree, image, file);
            }
        }
    }

    private void translateFile(Path tree, Path image, Path file) throws IOException {
        MkosiConfFile conf = MkosiConfFile.read(file);
        conf.renameSection("Preset", "Config");
        List<MkosiConfFile.Setting> moved = conf.removeSettings(
                s -> UNIVERSAL_SCALARS.contains(s.key()) && !s.section().equals("Match"));
        conf.write(file);
        if (moved.isEmpty()) {
            return;
        }
        Path target = tree.resolve("mkosi.conf.d").resolve(
                "90-podvm-" + image.getFileName() + "-" + file.getFileName().toString().replace(".conf", "") + ".conf");
        Files.createDirectories(target.getParent());
        Files.writeString(target, topLevelFile(tree, image, conf, moved));
        log.info("Moved " + keys(moved) + " from " + tree.relativize(file) + " to " + tree.relativize(target)
                + " (mkosi >= 19 allows them only at the top level).");
    }

    /** The moved settings, under the file's own [Match] with its paths made relative to the top level. */
    private static String topLevelFile(Path tree, Path image, MkosiConfFile conf, List<MkosiConfFile.Setting> moved) {
        StringBuilder out = new StringBuilder("# Moved here by podvm from " + tree.relativize(image) + ".\n");
        List<MkosiConfFile.Setting> match = conf.settingsIn("Match");
        if (!match.isEmpty()) {
            out.append("[Match]\n");
            for (MkosiConfFile.Setting s : match) {
                String value = s.key().equals("PathExists") ? rebase(tree, image, s.value()) : s.value();
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

    /** A PathExists= value relative to the subimage, made relative to the top-level directory. */
    static String rebase(Path tree, Path image, String value) {
        String prefix = value.startsWith("|") || value.startsWith("!") ? value.substring(0, 1) : "";
        String path = value.substring(prefix.length());
        if (path.startsWith("/")) {
            return value;
        }
        String rebased = tree.relativize(image.resolve(path).normalize()).toString();
        return prefix + (rebased.isEmpty() ? "." : rebased);
    }

    /** mkosi >= 19 also builds the top-level config as an image called "default" unless told not to. */
    private void stopDefaultImage(Path tree) throws IOException {
        Path top = tree.resolve("mkosi.conf");
        MkosiConfFile conf = Files.isRegularFile(top) ? MkosiConfFile.read(top) : MkosiConfFile.of("");
        if (!conf.hasSetting("Format")) {
            conf.append("Output", "Format", "none");
            conf.write(top);
        }
    }

    private void renameIfAbsent(Path from, Path to) throws IOException {
        if (Files.isDirectory(from) && !Files.exists(to)) {
            Files.move(from, to);
            log.info("mkosi 25 reads " + to.getFileName() + "/ instead of " + from.getFileName()
                    + "/: renamed it in the staged tree.");
        }
    }

    private static String keys(List<MkosiConfFile.Setting> settings) {
        return String.join(", ", settings.stream().map(MkosiConfFile.Setting::key).distinct().toList());
    }

    private static List<Path> listSorted(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
