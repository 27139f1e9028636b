package io.podvm.engine.mkosi;

import io.podvm.engine.AbortedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The two inputs that make mkosi's output depend only on the definition and the packages: the time every file
 * is clamped to ({@code SourceDateEpoch=}) and the seed systemd-repart derives partition and file system UUIDs
 * from ({@code Seed=}). Both go into the result, so that a rebuild can repeat them.
 */
public record ReproducibleInputs(long sourceDateEpoch, String epochOrigin, String seed) implements Serializable {
    /**
     * The bundled definition's recorded time (2026-01-01 00:00 UTC). Any fixed value gives identical images:
     * mkosi clamps every newer file time to it, so it only has to be the same in every rebuild.
     */
    static final long BUNDLED_SOURCE_DATE_EPOCH = 1767225600L;

    /** Where a drop-in with the seed goes in each image directory of the staged tree. */
    static final String DROP_IN = "mkosi.conf.d/90-podvm-reproducible.conf";
    /** Not *.conf: systemd-repart reads those in mkosi.repart/ as partitions. */
    static final String MKE2FS_CONFIG = "podvm-mke2fs.config";

    /**
     * The request's values, or the defaults: the commit time of the user's tree when it is a git checkout, the
     * bundled definition's recorded time, else now; a seed derived from the image's name.
     */
    static ReproducibleInputs of(ImageRequest request, Path tree) {
        String seed = request.seed() != null ? request.seed() : seedFor(imageName(request, tree)).toString();
        if (request.sourceDateEpoch() != null) {
            return new ReproducibleInputs(request.sourceDateEpoch(), "given", seed);
        }
        if (tree == null) {
            return new ReproducibleInputs(BUNDLED_SOURCE_DATE_EPOCH, "bundled definition", seed);
        }
        Long commitTime = gitCommitTime(tree);
        return commitTime != null ? new ReproducibleInputs(commitTime, "git commit of " + tree, seed)
                : new ReproducibleInputs(Instant.now().getEpochSecond(), "build time (the tree is not a git checkout)", seed);
    }

    /** The name the default seed is derived from: the definition, the distribution, release and variant. */
    static String imageName(ImageRequest request, Path tree) {
        List<String> parts = new ArrayList<>();
        parts.add(tree == null ? "podvm" : String.valueOf(tree.toAbsolutePath().normalize().getFileName()));
        if (request.distribution() != null) {
            parts.add(request.distribution());
        }
        if (request.release() != null) {
            parts.add(request.release());
        }
        parts.add(request.variant().id());
        return String.join("-", parts);
    }

    /** A name-based (version 3) UUID: the same name always gives the same seed. */
    static UUID seedFor(String imageName) {
        return UUID.nameUUIDFromBytes(("podvm image " + imageName).getBytes(StandardCharsets.UTF_8));
    }

    /** The command-line options; {@code SourceDateEpoch=} is universal, so it reaches every subimage. */
    List<String> mkosiOptions() {
        return List.of("--source-date-epoch=" + sourceDateEpoch);
    }

    /**
     * {@code Seed=} and {@code Environment=} are not universal: mkosi drops them from the command line for
     * subimages, so they go into a drop-in of every image directory (and the top level) of the staged tree.
     * mkosi passes its environment to systemd-repart, which runs mkfs.ext4 with neither a time nor a hash
     * seed: e2fsprogs 1.47.0 ignores SOURCE_DATE_EPOCH (E2FSPROGS_FAKE_TIME fixes the times) and draws the
     * directory hash seed at random (an mke2fs.conf with {@code options = hash_seed=} fixes it). That file
     * lies in the image's mkosi.repart/, which mkosi mounts where systemd-repart runs; repart reads only
     * *.conf there.
     */
    void writeDropIns(Path tree, MkosiVersion version) throws IOException {
        // Environment= moved from [Content] to [Build] in mkosi 25, which warns about the old place.
        String environmentSection = version.atLeast(25) ? "Build" : "Content";
        List<Path> dirs = new ArrayList<>(List.of(tree));
        for (String layout : List.of(PresetTranslator.PRESETS, PresetTranslator.IMAGES)) {
            Path images = tree.resolve(layout);
            if (Files.isDirectory(images)) {
                try (var children = Files.list(images)) {
                    children.filter(Files::isDirectory).sorted().forEach(dirs::add);
                }
            }
        }
        for (Path dir : dirs) {
            StringBuilder text = new StringBuilder("# Written by podvm: the same UUIDs and file system times in every"
                    + " rebuild.\n[Output]\nSeed=" + seed + "\n\n[" + environmentSection + "]\nEnvironment=E2FSPROGS_FAKE_TIME="
                    + sourceDateEpoch + "\n");
            Path repart = dir.resolve("mkosi.repart");
            if (Files.isDirectory(repart)) {
                Path config = repart.resolve(MKE2FS_CONFIG);
                Files.writeString(config, mke2fsConfig());
                text.append("Environment=MKE2FS_CONFIG=").append(config.toAbsolutePath()).append('\n');
            }
            Path dropIn = dir.resolve(DROP_IN);
            Files.createDirectories(dropIn.getParent());
            Files.writeString(dropIn, text.toString());
        }
    }

    private String mke2fsConfig() throws IOException {
        try (InputStream in = ReproducibleInputs.class.getResourceAsStream("mke2fs.conf")) {
            if (in == null) {
                throw new IOException("mke2fs.conf is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@HASH_SEED@", seed);
        }
    }

    private static Long gitCommitTime(Path tree) {
        try {
            Process git = new ProcessBuilder("git", "-C", tree.toString(), "log", "-1", "--format=%ct")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            git.getOutputStream().close();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0 || !out.matches("\\d+")) {
                git.destroyForcibly();
                return null;
            }
            return Long.parseLong(out);
        } catch (IOException e) {
            return null; // no git on this machine: the tree is treated as not a checkout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortedException("Interrupted while reading the tree's commit time.");
        }
    }
}
