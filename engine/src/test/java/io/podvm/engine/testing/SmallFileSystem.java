package io.podvm.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A tmpfs of a given size mounted on a directory (the tests run as root): a small disk to fill. */
public final class SmallFileSystem implements AutoCloseable {
    private final Path dir;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
    }

    /** @param size as mount takes it, e.g. {@code 50M} */
    public static SmallFileSystem mount(Path dir, String size) throws IOException, InterruptedException {
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        return new SmallFileSystem(dir);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("umount", dir.toString()));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs root): " + output);
        }
    }
}
