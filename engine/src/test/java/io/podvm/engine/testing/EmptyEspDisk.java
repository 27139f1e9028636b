package io.podvm.engine.testing;

import java.nio.file.Path;

/**
 * A small GPT disk whose EFI system partition is formatted but holds no boot loader or UKI: an image that
 * cannot boot, as a build that lost its UKI would be. Made with the real sfdisk, mkfs.vfat and mtools.
 */
public final class EmptyEspDisk {
    private EmptyEspDisk() {
    }

    public static Path create(Path dir) {
        Path disk = dir.resolve("no-uki.raw");
        TestCommands.run("truncate", "-s", "64M", disk.toString());
        TestCommands.run(java.util.Map.of(), "label: gpt\nstart=2048, size=100000,"
                + " type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n", "sfdisk", "-q", disk.toString());
        TestCommands.run("mkfs.vfat", "--offset=2048", disk.toString(), "50000");
        TestCommands.run("mmd", "-i", disk + "@@1048576", "::/EFI", "::/EFI/BOOT");
        return disk;
    }
}
