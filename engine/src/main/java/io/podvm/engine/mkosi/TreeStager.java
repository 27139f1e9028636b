package io.podvm.engine.mkosi;

import io.podvm.engine.binaries.OutputTree;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Lays out the tree mkosi will build, in a fresh directory, so that the user's own tree is never modified:
 * the definition itself, the variant marker, root's SSH keys, the extra packages and the binaries tree.
 * The seed's conventions decide the names: {@code resources/buildDebugImage} selects the debug variant,
 * {@code resources/authorized_keys} root's keys, {@code resources/binaries-tree} the podvm binaries.
 * The bundled definition's verity root is a directory swap plus a marker: mkosi reads the image's
 * {@code mkosi.repart/} whatever the configuration says ({@code RepartDirectories=} only adds directories), so
 * no {@code [Match]} drop-in can take the ext4 root away; the stager puts {@code mkosi.repart-verity/} in its
 * place, which works the same on every mkosi version, and the marker selects the drop-ins that go with it.
 */
final class TreeStager {
    static final String DEBUG_MARKER = "resources/buildDebugImage";
    static final String AUTHORIZED_KEYS = "resources/authorized_keys";
    static final String BINARIES_TREE = "resources/binaries-tree";
    /** Selects the verity root's drop-ins ({@code [Match] PathExists=}), as the debug marker selects the variant's. */
    static final String VERITY_MARKER = "resources/verityRoot";
    /** The bundled system image's partitions: mkosi.repart/ (ext4 root) or mkosi.repart-verity/. */
    static final String SYSTEM_IMAGE = PresetTranslator.PRESETS + "/system";
    static final String REPART = "mkosi.repart";
    static final String REPART_VERITY = "mkosi.repart-verity";

    /** Build outputs and caches of a previous run that must not be copied into the stage. */
    private static final Set<String> NOT_STAGED = Set.of("build", "mkosi.output", "mkosi.cache", "mkosi.builddir",
            "mkosi.workspace", ".git", BINARIES_TREE, DEBUG_MARKER);

    private final BuildLog log;

    TreeStager(BuildLog log) {
        this.log = log;
    }

    /** Copies the definition into {@code tree} and applies the request; returns the binaries tree's links. */
    List<String> stage(ImageRequest request, Path binaries, Path tree) throws IOException {
        if (request.bundled()) {
            BundledDefinition.copyTo(tree);
            applyRoot(request, tree);
        } else {
            FileTrees.copy(request.dir(), tree, relative -> NOT_STAGED.contains(relative.toString()));
        }
        applyVariant(request, tree);
        writeExtraPackages(request, tree);
        return stageBinaries(binaries, tree.resolve(BINARIES_TREE));
    }

    /** The directory of the bundled definition that holds the partitions of this root. */
    static String repartDirectory(RootFileSystem root) {
        return SYSTEM_IMAGE + "/" + (root == RootFileSystem.VERITY ? REPART_VERITY : REPART);
    }

    /** Leaves exactly one partition layout in the staged system image, where mkosi reads it. */
    private void applyRoot(ImageRequest request, Path tree) throws IOException {
        Path system = tree.resolve(SYSTEM_IMAGE);
        Path verity = system.resolve(REPART_VERITY);
        if (request.root() == RootFileSystem.VERITY) {
            FileTrees.deleteRecursively(system.resolve(REPART));
            Files.move(verity, system.resolve(REPART));
            Files.createDirectories(tree.resolve(VERITY_MARKER).getParent());
            Files.writeString(tree.resolve(VERITY_MARKER), "");
            log.info("Root file system: erofs under dm-verity (" + REPART_VERITY + "/), read-only; /var is a tmpfs.");
        } else {
            FileTrees.deleteRecursively(verity);
        }
    }

    private void applyVariant(ImageRequest request, Path tree) throws IOException {
        Path marker = tree.resolve(DEBUG_MARKER);
        Path keys = tree.resolve(AUTHORIZED_KEYS);
        Files.createDirectories(marker.getParent());
        if (request.variant() != Variant.DEBUG) {
            // An SSH key must never reach a production image, whatever the tree's own files say.
            Files.deleteIfExists(keys);
            return;
        }
        Files.writeString(marker, "");
        if (request.authorizedKeys() != null) {
            Files.deleteIfExists(keys);
            Files.writeString(keys, request.authorizedKeys());
        } else if (Files.exists(keys)) {
            log.info("Using the tree's own " + AUTHORIZED_KEYS + " for root's SSH keys.");
        } else {
            log.warn("Debug image without SSH keys: root can log in on the console only.");
        }
        if (Files.exists(keys)) {
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("r--------"));
        }
    }

    /** The seed's {@code <distro>-extra.conf}, next to the system image's other drop-ins. */
    private void writeExtraPackages(ImageRequest request, Path tree) throws IOException {
        if (request.extraPackages().isEmpty()) {
            return;
        }
        Path dropIns = systemImage(tree).resolve("mkosi.conf.d");
        Files.createDirectories(dropIns);
        String name = (request.distribution() == null ? "podvm" : request.distribution()) + "-extra.conf";
        StringBuilder conf = new StringBuilder("# Written by podvm: the extra packages asked for.\n[Content]\nPackages=\n");
        request.extraPackages().forEach(p -> conf.append("    ").append(p).append('\n'));
        Files.writeString(dropIns.resolve(name), conf.toString());
        log.info("Extra packages: " + String.join(" ", request.extraPackages()));
    }

    /** The directory whose config builds the system image, in either layout; the top level for one-image trees. */
    private static Path systemImage(Path tree) {
        for (String layout : List.of(PresetTranslator.PRESETS, PresetTranslator.IMAGES)) {
            Path system = tree.resolve(layout).resolve("system");
            if (Files.isDirectory(system)) {
                return system;
            }
        }
        return tree;
    }

    private List<String> stageBinaries(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        if (source == null) {
            log.warn("No binaries tree (" + BINARIES_TREE + "): the image will hold no podvm binaries."
                    + " Run 'podvm binaries' first, or give --binaries-tree.");
            return List.of();
        }
        // podvm's mark of its own tree says something about the directory, not about the image.
        FileTrees.copy(source, target, relative -> relative.toString().equals(OutputTree.MARKER));
        List<String> links = FileTrees.symlinks(target);
        if (!links.isEmpty()) {
            // The seed warns that mkosi skips them; mkosi 24.3 copies them as links. Either way a link whose
            // target is outside the image is dangling there, so the user should know about every one.
            log.warn("The binaries tree has " + links.size() + " symbolic link(s); older mkosi versions do not copy"
                    + " them, newer ones copy them as links, whose targets must exist in the image: "
                    + String.join(", ", links));
        }
        return links;
    }
}
