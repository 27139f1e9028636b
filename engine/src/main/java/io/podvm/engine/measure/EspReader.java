package io.podvm.engine.measure;

import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a file from the EFI system partition of a raw GPT disk image without mounting anything: the
 * partition table is read here, the FAT file system by mtools ({@code mcopy -i IMAGE@@OFFSET}), so it works
 * on any agent, also where the kernel has no vfat or mounting is not allowed.
 */
final class EspReader {
    /** C12A7328-F81F-11D2-BA4B-00A0C93EC93B as it is stored (the first three fields little-endian). */
    private static final byte[] ESP_TYPE = {0x28, 0x73, 0x2A, (byte) 0xC1, 0x1F, (byte) 0xF8, (byte) 0xD2, 0x11,
            (byte) 0xBA, 0x4B, 0x00, (byte) 0xA0, (byte) 0xC9, 0x3E, (byte) 0xC9, 0x3B};

    private final BuildLog log;
    private final Path image;
    /** Where mcopy is found, and what it is given of it. */
    private final HostEnvironment host;

    EspReader(BuildLog log, Path image, HostEnvironment host) {
        this.log = log;
        this.image = image;
        this.host = host;
    }

    /** The byte offset of the ESP in the image. */
    long espOffset() throws IOException {
        try (RandomAccessFile disk = new RandomAccessFile(image.toFile(), "r")) {
            for (int sector : new int[] {512, 4096}) {
                byte[] header = read(disk, sector, 92);
                if (new String(header, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("EFI PART")) {
                    return espOffset(disk, ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN), sector);
                }
            }
        }
        throw new PodvmException(image + " has no GPT partition table: podvm measure reads disk images that mkosi"
                + " writes with Format=disk (system.raw), not qcow2 copies or partitions.");
    }

    private long espOffset(RandomAccessFile disk, ByteBuffer header, int sector) throws IOException {
        long entries = header.getLong(72);
        int count = header.getInt(80);
        int size = header.getInt(84);
        byte[] table = read(disk, entries * sector, count * size);
        for (int i = 0; i < count; i++) {
            if (Arrays.equals(table, i * size, i * size + 16, ESP_TYPE, 0, 16)) {
                return ByteBuffer.wrap(table, i * size + 32, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() * sector;
            }
        }
        throw new PodvmException(image + " has no EFI system partition: it cannot boot with UEFI.");
    }

    /** Copies {@code espPath} (e.g. /EFI/BOOT/BOOTX64.EFI) out of the ESP, or returns null when it is not there. */
    byte[] read(String espPath, Path scratch) throws IOException {
        Path mcopy = host.findExecutable("mcopy").orElseThrow(() -> new PodvmException("mcopy is not installed or"
                + " not on PATH: 'apt-get install mtools' (podvm measure reads the ESP with it without mounting)."));
        Path target = scratch.resolve("esp-file");
        Files.deleteIfExists(target);
        ExecResult result = new ProcessRunner(log, host).run(ExecSpec.of(mcopy.toString(), "-n", "-i",
                image + "@@" + espOffset(), "::" + espPath, target.toString())
                .inherit(ChildEnvironment.MTOOLS).timeout(Duration.ofMinutes(5))
                .captureOutput());
        if (!result.succeeded() || !Files.exists(target)) {
            if (String.join("\n", result.output()).contains("not found")) {
                return null;
            }
            throw new PodvmException("mcopy could not read " + espPath + " from the ESP of " + image + ": "
                    + String.join(" / ", result.output()));
        }
        try {
            return Files.readAllBytes(target);
        } finally {
            Files.delete(target);
        }
    }

    private static byte[] read(RandomAccessFile disk, long offset, int length) throws IOException {
        byte[] data = new byte[length];
        disk.seek(offset);
        disk.readFully(data);
        return data;
    }
}
