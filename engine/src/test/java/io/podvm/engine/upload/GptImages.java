package io.podvm.engine.upload;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Raw disk images for the upload tests, partitioned by the real sfdisk on a sparse file: what podvm mkosi
 * writes has this shape (a GPT with an EFI System Partition and a root partition), only empty.
 */
final class GptImages {
    static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    static final String ROOT_X86_64 = "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709";
    static final String LINUX_DATA = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    private GptImages() {
    }

    /** {@code file} as a sparse image of {@code megabytes} (at least 4) with an ESP and a root partition. */
    static Path withEsp(Path file, long megabytes) throws IOException {
        return partitioned(file, megabytes, "size=1MiB, type=" + ESP + ", name=esp\ntype=" + ROOT_X86_64
                + ", name=root\n");
    }

    /** A GPT whose only partition is a Linux data partition: no ESP to boot from. */
    static Path withoutEsp(Path file, long megabytes) throws IOException {
        return partitioned(file, megabytes, "type=" + LINUX_DATA + ", name=data\n");
    }

    private static Path partitioned(Path file, long megabytes, String partitions) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(Math.max(4, megabytes) * 1024 * 1024);
        }
        TestCommands.run(Map.of(), "label: gpt\n" + partitions, RealTools.require("sfdisk").toString(), "--quiet",
                "--no-reread", "--no-tell-kernel", file.toString());
        return file;
    }

    /** Overwrites {@code bytes} at {@code offset}: a damaged header or table. */
    static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(offset);
            raw.write(bytes);
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(length);
        }
    }
}
