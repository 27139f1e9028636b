package io.podvm.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Looks inside a built GPT disk image: its partitions (sfdisk), the files of its root partition (a read-only
 * loop mount at the partition's offset; systemd-dissect would also mount the vfat ESP, which this kernel
 * cannot) and of its ESP (mtools, which reads vfat without mounting).
 */
public final class DiskImage {
    public static final String ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    public static final String ROOT_X86_64_TYPE = "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709";

    /** One partition of the table. */
    public record Partition(String type, String name, long startSector, long sectors) {
        long offsetBytes() {
            return startSector * 512;
        }
    }

    private final Path image;

    public DiskImage(Path image) {
        this.image = image;
    }

    public List<Partition> partitions() throws IOException {
        JsonNode table = Json.read(run("sfdisk", "-J", image.toString())).path("partitiontable");
        List<Partition> partitions = new ArrayList<>();
        for (JsonNode p : table.path("partitions")) {
            partitions.add(new Partition(p.path("type").asText(), p.path("name").asText(), p.path("start").asLong(),
                    p.path("size").asLong()));
        }
        return partitions;
    }

    /** Lists a directory of the ESP, e.g. "::/EFI/BOOT". */
    public String listEsp(String dir) throws IOException {
        return run("mdir", "-b", "-i", image + "@@" + partition(ESP_TYPE).offsetBytes(), dir);
    }

    /** Copies a file out of the ESP, e.g. "::/EFI/BOOT/BOOTX64.EFI". */
    public void copyFromEsp(String espPath, Path target) throws IOException {
        run("mcopy", "-n", "-i", image + "@@" + partition(ESP_TYPE).offsetBytes(), espPath, target.toString());
    }

    /** Replaces a file of the ESP (the image is changed: use it on a copy). */
    public void replaceInEsp(Path source, String espPath) throws IOException {
        run("mcopy", "-o", "-i", image + "@@" + partition(ESP_TYPE).offsetBytes(), source.toString(), espPath);
    }

    /** Mounts the root partition read-only for the duration of {@code inspection}. */
    public <T> T withRoot(RootInspection<T> inspection) throws IOException {
        Path mountpoint = Files.createTempDirectory("podvm-root-");
        run("mount", "-o", "ro,loop,offset=" + partition(ROOT_X86_64_TYPE).offsetBytes(), image.toString(),
                mountpoint.toString());
        try {
            return inspection.inspect(mountpoint);
        } finally {
            run("umount", mountpoint.toString());
            Files.delete(mountpoint);
        }
    }

    /** What a test reads from the mounted root. */
    @FunctionalInterface
    public interface RootInspection<T> {
        T inspect(Path root) throws IOException;
    }

    private Partition partition(String type) throws IOException {
        return partitions().stream().filter(p -> p.type().equalsIgnoreCase(type)).findFirst()
                .orElseThrow(() -> new AssertionError(image + " has no partition of type " + type));
    }

    /** Runs a real tool that reads the image; a missing tool fails the test loudly. */
    public static String run(String... command) {
        RealTools.require(command[0]);
        return TestCommands.run(Duration.ofMinutes(2), Map.of(), null, command);
    }
}
