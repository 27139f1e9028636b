package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Sets the change time (ctime) of every inode in the ext4 partitions of a disk image to the source date epoch.
 * mkfs.ext4 -d (e2fsprogs 1.47.0, and 1.47.2 of bookworm-backports alike) copies each source file's ctime, which
 * the kernel sets to the moment mkosi clamped its mtime, so without this no two builds are identical; mkosi
 * cannot clamp a ctime, nothing in user space can. The access times mkosi clamped do not survive either: reading
 * the files to copy them moves their atime (relatime updates an atime that is not newer than the mtime), so both
 * are set. debugfs writes the fields (and the inode's checksum) in place; the inode numbers come from a read-only
 * loop mount of the partition.
 */
final class Ext4ChangeTimes {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);

    private final BuildLog log;
    private final ProcessRunner runner;

    Ext4ChangeTimes(BuildLog log) {
        this.log = log;
        this.runner = new ProcessRunner(log);
    }

    void clamp(Path image, long epoch, Path scratch) throws IOException {
        JsonNode table = Json.read(String.join("\n", run(ExecSpec.of("sfdisk", "-J", image.toString()))));
        for (JsonNode partition : table.path("partitiontable").path("partitions")) {
            long offset = partition.path("start").asLong() * 512;
            if (isExt4(image, offset)) {
                int inodes = clampPartition(image, offset, epoch, Files.createDirectories(scratch));
                log.info("Set the change and access times of " + inodes + " inodes of the ext4 partition at byte " + offset
                        + " to " + epoch + " (mkfs.ext4 copies the build's own).");
            }
        }
    }

    private boolean isExt4(Path image, long offset) {
        ExecResult r = runner.run(ExecSpec.of("blkid", "-p", "-o", "value", "-s", "TYPE", "-O", Long.toString(offset),
                image.toString()).timeout(TOOL_TIMEOUT).captureOutput());
        return r.succeeded() && !r.output().isEmpty() && r.output().get(0).trim().equals("ext4");
    }

    private int clampPartition(Path image, long offset, long epoch, Path scratch) throws IOException {
        Path mountpoint = Files.createTempDirectory(scratch, "ext4-");
        TreeSet<Long> inodes = new TreeSet<>();
        run(ExecSpec.of("mount", "-o", "ro,loop,noload,offset=" + offset, image.toString(), mountpoint.toString()));
        try (Stream<Path> files = Files.walk(mountpoint)) {
            // The mount point itself is the root directory (inode 2), whose time mkfs.ext4 copies as well.
            for (Path file : (Iterable<Path>) files::iterator) {
                inodes.add(((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue());
            }
        } finally {
            run(ExecSpec.of("umount", mountpoint.toString()));
            Files.deleteIfExists(mountpoint);
        }
        Path commands = scratch.resolve("ext4-ctime-" + offset + ".debugfs");
        StringBuilder text = new StringBuilder();
        for (long inode : inodes) {
            text.append("sif <").append(inode).append("> ctime @").append(epoch).append('\n');
            text.append("sif <").append(inode).append("> atime @").append(epoch).append('\n');
        }
        Files.writeString(commands, text.toString());
        // debugfs writes the superblock on close with its own clock: the fake time keeps that fixed too.
        run(ExecSpec.of("debugfs", "-w", "-f", commands.toString(), image + "?offset=" + offset)
                .env("E2FSPROGS_FAKE_TIME", Long.toString(epoch)).onStdout(line -> { }));
        Files.delete(commands);
        return inodes.size();
    }

    private List<String> run(ExecSpec spec) {
        ExecResult r = runner.run(spec.timeout(TOOL_TIMEOUT).captureOutput());
        if (!r.succeeded()) {
            throw new PodvmException("Fixing the ext4 change times failed: '" + String.join(" ", spec.command())
                    + "' exited with " + r.exitCode() + ": " + String.join(" ", r.output()) + ". No image was written"
                    + " to the output directory.");
        }
        return r.output();
    }
}
