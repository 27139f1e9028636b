package io.podvm.engine.mkosi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The image size the free-space check assumes, from the partition definitions. */
class ImageSizeEstimateTest {
    private static final long MIB = 1024L * 1024;

    @Test
    void theBundledDefinitionIsAFixedEspAndAnUnsizedRoot() throws IOException {
        ImageSizeEstimate bundled = ImageSizeEstimate.of(BundledDefinition.read(
                n -> n.contains("mkosi.repart/") && n.endsWith(".conf")));

        assertThat(bundled.partitions()).isEqualTo(2);
        assertThat(bundled.bytes()).isEqualTo(256 * MIB + ImageSizeEstimate.UNSIZED_PARTITION).isEqualTo(1024 * MIB);
    }

    /** Measured: the verity debug image is 563 MiB (ESP 256 MiB, erofs root 286 MiB, hash 19 MiB). */
    @Test
    void theVerityLayoutIsTheEspAnUnsizedRootAndASmallHashPartition() throws IOException {
        ImageSizeEstimate verity = ImageSizeEstimate.of(BundledDefinition.read(
                n -> n.contains(TreeStager.repartDirectory(RootFileSystem.VERITY) + "/") && n.endsWith(".conf")));

        assertThat(verity.partitions()).isEqualTo(3);
        assertThat(verity.bytes()).isEqualTo(256 * MIB + ImageSizeEstimate.UNSIZED_PARTITION
                + ImageSizeEstimate.UNSIZED_HASH_PARTITION).isEqualTo(1036 * MIB);
    }

    @Test
    void sizesAreReadAsSystemdRepartReadsThem() {
        assertThat(ImageSizeEstimate.of(List.of(
                "[Partition]\nType=esp\nSizeMinBytes=512M\nSizeMaxBytes=1G\n",
                "[Partition]\nType=root\nSizeMaxBytes=2G\n",
                "[Partition]\nType=swap\nSizeMinBytes=4096\n",
                "[Partition]\nType=home\nSizeMinBytes=1K # comment\n")).bytes())
                .isEqualTo(512 * MIB + 2048 * MIB + 4096 + 1024);
        assertThat(ImageSizeEstimate.of(List.of()).bytes()).isEqualTo(ImageSizeEstimate.NO_DEFINITIONS);
    }

    @Test
    void aUsersTreeCountsThePartitionsOfEveryImage(@TempDir Path tree) throws IOException {
        Path repart = Files.createDirectories(tree.resolve("mkosi.images/system/mkosi.repart"));
        Files.writeString(repart.resolve("00-esp.conf"), "[Partition]\nType=esp\nSizeMinBytes=100M\n");
        Files.writeString(repart.resolve("10-root.conf"), "[Partition]\nType=root\nMinimize=guess\n");
        Files.writeString(repart.resolve("README"), "not a definition");

        ImageSizeEstimate estimate = ImageSizeEstimate.ofTree(tree);

        assertThat(estimate.partitions()).isEqualTo(2);
        assertThat(estimate.bytes()).isEqualTo(100 * MIB + ImageSizeEstimate.UNSIZED_PARTITION);
    }
}
