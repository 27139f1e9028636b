package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Places on one file system add up: each fits alone on a 200 MiB disk, both together do not. */
class DiskSpaceTest {
    private static final long MIB = 1024L * 1024;

    @Test
    void needsOnOneFileSystemAddUp(@TempDir Path work) throws Exception {
        Path disk = Files.createDirectories(work.resolve("disk"));
        try (SmallFileSystem mounted = SmallFileSystem.mount(disk, "200M")) {
            DiskSpace.Need out = new DiskSpace.Need("outputDir", disk.resolve("out"), 70 * MIB, "the image, 70 MiB");
            DiskSpace.Need cache = new DiskSpace.Need("packageCache", disk.resolve("cache/deeper"), 70 * MIB,
                    "the packages, 70 MiB");

            assertThatCode(() -> DiskSpace.require(List.of(out))).doesNotThrowAnyException();
            assertThatCode(() -> DiskSpace.require(List.of(cache))).doesNotThrowAnyException();
            assertThatThrownBy(() -> DiskSpace.require(List.of(out, cache)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("outputDir: '" + disk.resolve("out") + "' is on a file system (" + disk + " (tmpfs))"
                            + " with 200 MiB free, and this build needs about 218 MiB there (the image, 70 MiB; the"
                            + " packages, 70 MiB; plus 10% and 64 MiB to spare); free some space there, or choose a"
                            + " place on a larger disk. Nothing was built.");
            assertThat(DiskSpace.fullNote(List.of(disk))).isEmpty();
        }
    }
}
