package io.podvm.engine.binaries;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Local images for the builds of the tests: no image can be pulled from the internet here, so the base image is
 * a static busybox imported into podman's storage (which buildah shares).
 */
final class TestImages {
    static final String BASE = "localhost/podvm-test-base:busybox";

    private TestImages() {
    }

    /** Imports the base image once per machine; a later run finds it in storage. */
    static synchronized String base() throws IOException {
        Path podman = RealTools.require("podman");
        Path busybox = RealTools.require("busybox").toRealPath();
        if (exists(podman, BASE)) {
            return BASE;
        }
        Path root = Files.createTempDirectory("podvm-test-base-");
        try {
            Files.createDirectories(root.resolve("bin"));
            Files.copy(busybox, root.resolve("bin/busybox"));
            for (String applet : new String[] {"sh", "mkdir", "rm", "ln", "chmod", "echo", "cat", "false"}) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Path tar = root.resolveSibling(root.getFileName() + ".tar");
            TestCommands.run("tar", "-C", root.toString(), "-cf", tar.toString(), ".");
            TestCommands.run(podman.toString(), "import", tar.toString(), BASE);
            Files.delete(tar);
            return BASE;
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean exists(Path podman, String image) throws IOException {
        try {
            return new ProcessBuilder(podman.toString(), "image", "exists", image).start().waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
