package io.podvm.engine.mkosi;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code --check-reproducible} reports when two images differ, on two small real GPT disks with an ext4
 * partition each (no mkosi needed): the file system UUID, the partition and the file that differ.
 */
class ImageDifferencesTest {
    private static final String TABLE = "label: gpt\nlabel-id: 0B5C3A43-61D5-4B7F-9F1E-0A1D2C3E4F50\n"
            + "start=2048, size=61440, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4,"
            + " uuid=6A6F1B0E-36B4-4A3A-9C0E-4C1C0E1A2B3C, name=root\n";

    @TempDir
    Path work;

    @Test
    void theReportNamesTheFileSystemUuidThePartitionAndTheChangedFile() throws Exception {
        for (String tool : List.of("sfdisk", "mkfs.ext4", "debugfs", "dumpe2fs", "diffoscope")) {
            RealTools.require(tool);
        }
        Path a = disk("a", "one\n", "11111111-2222-3333-4444-555555555555");
        Path b = disk("b", "two\n", "66666666-7777-8888-9999-000000000000");

        List<String> differences = new ImageDifferences(TestLogs.discard(), work.resolve("scratch")).between(a, b);

        assertThat(differences).anyMatch(d -> d.matches("partition 1 \\(root\\): \\d+ of 30 MiB differ"));
        assertThat(differences).anyMatch(d -> d.startsWith("partition 1 (root) superblock: 'Filesystem UUID:")
                && d.contains("11111111-2222-3333-4444-555555555555") && d.contains("66666666-7777"));
        assertThat(differences).contains("partition 1 (root): /etc/changed").doesNotContain("partition 1 (root): /etc/same")
                .noneMatch(d -> d.startsWith("partition table"));
        assertThat(differences).as("below the mount: the changed file's data block")
                .anyMatch(d -> d.matches("partition 1 \\(root\\): 1 block\\(s\\) of data of inode \\d+ /etc/changed"));
    }

    @Test
    void identicalPartitionsWithADifferentTableAreReportedAsTheTable() throws Exception {
        Path a = disk("c", "same\n", "11111111-2222-3333-4444-555555555555");
        Thread.sleep(1100); // another second: mkfs.ext4 copies the trees' change times, which differ now
        Path b = disk("d", "same\n", "11111111-2222-3333-4444-555555555555");
        new Ext4ChangeTimes(TestLogs.discard()).clamp(a, 1_700_000_000L, work.resolve("clamp"));
        new Ext4ChangeTimes(TestLogs.discard()).clamp(b, 1_700_000_000L, work.resolve("clamp"));
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "sfdisk", "--quiet", "--disk-id", b.toString(),
                "C0FFEE00-0000-4000-8000-000000000001");

        List<String> differences = new ImageDifferences(TestLogs.discard(), work.resolve("scratch2")).between(a, b);

        assertThat(differences).containsExactly("partition table: disk UUID 0B5C3A43-61D5-4B7F-9F1E-0A1D2C3E4F50 vs"
                + " C0FFEE00-0000-4000-8000-000000000001");
    }

    /** mkfs.ext4 copies each file's change time; podvm sets them all to the source date epoch. */
    @Test
    void theChangeTimesOfAnExt4PartitionAreSetToTheEpoch() throws Exception {
        Path disk = disk("e", "x\n", "11111111-2222-3333-4444-555555555555");
        String partition = disk + "?offset=1048576";
        assertThat(TestCommands.run("debugfs", "-R", "stat /etc/changed", partition)).doesNotContain("ctime: 0x6553f100:");

        new Ext4ChangeTimes(TestLogs.discard()).clamp(disk, 1_700_000_000L, work.resolve("clamp-e"));

        for (String file : List.of("/etc", "/etc/changed", "/etc/same")) {
            assertThat(TestCommands.run("debugfs", "-R", "stat " + file, partition)).contains("ctime: 0x6553f100:",
                    "atime: 0x6553f100:");
        }
    }

    /** A 32 MiB GPT disk whose one ext4 partition holds /etc/same and /etc/changed, all at one fixed time. */
    private Path disk(String name, String changed, String uuid) throws Exception {
        Path tree = Files.createDirectories(work.resolve(name + "-tree/etc"));
        Files.writeString(tree.resolve("same"), "same\n");
        Files.writeString(tree.resolve("changed"), changed);
        for (Path p : List.of(tree.resolve("same"), tree.resolve("changed"), tree, tree.getParent())) {
            // Access times too, as mkosi clamps both; change times cannot be set (Ext4ChangeTimes' reason).
            FileTime time = FileTime.fromMillis(1_700_000_000_000L);
            Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(time, time, null);
        }
        Path disk = work.resolve(name + ".raw");
        Path part = work.resolve(name + ".ext4");
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "truncate", "-s", "32M", disk.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of(), TABLE, "sfdisk", "--quiet", disk.toString());
        TestCommands.run(Duration.ofMinutes(1), Map.of("E2FSPROGS_FAKE_TIME", "1700000000"), null, "mkfs.ext4", "-q",
                "-U", uuid, "-E", "hash_seed=" + uuid, "-d", tree.getParent().toString(), part.toString(), "30M");
        TestCommands.run(Duration.ofMinutes(1), Map.of(), null, "dd", "if=" + part, "of=" + disk, "bs=1M", "seek=1",
                "conv=notrunc", "status=none");
        return disk;
    }
}
