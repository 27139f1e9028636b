package io.podvm.engine.mkosi;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two ESPs formatted a second apart, as systemd-repart 254 formats them, are identical once podvm fixes the label time. */
class VfatLabelTimeTest {
    private static final String TABLE = "label: gpt\nlabel-id: 0B5C3A43-61D5-4B7F-9F1E-0A1D2C3E4F50\n"
            + "start=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B,"
            + " uuid=6A6F1B0E-36B4-4A3A-9C0E-4C1C0E1A2B3C, name=esp\n";

    @TempDir
    Path work;

    @Test
    void theLabelEntryGetsTheEpochAndTheDisksAreIdentical() throws Exception {
        for (String tool : List.of("sfdisk", "mkfs.vfat", "mlabel", "blkid")) {
            RealTools.require(tool);
        }
        Path a = esp("a");
        Thread.sleep(2100); // FAT times have two-second steps
        Path b = esp("b");
        assertThat(Files.mismatch(a, b)).as("mkfs.vfat wrote the time of day").isNotEqualTo(-1L);

        new VfatLabelTime(TestLogs.discard()).clamp(a, 1_700_000_000L);
        new VfatLabelTime(TestLogs.discard()).clamp(b, 1_700_000_000L);

        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        assertThat(TestCommands.run("mlabel", "-s", "-i", a + "@@1048576", "::")).contains("Volume label is ESP");
    }

    private Path esp(String name) {
        Path disk = work.resolve(name + ".raw");
        Path part = work.resolve(name + ".vfat");
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "truncate", "-s", "66M", disk.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of(), TABLE, "sfdisk", "--quiet", disk.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "truncate", "-s", "64M", part.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "mkfs.vfat", "-i", "0b5c3a43", "-n", "ESP", "-F", "32",
                part.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "dd", "if=" + part, "of=" + disk, "bs=1M", "seek=1",
                "conv=notrunc", "status=none");
        return disk;
    }
}
