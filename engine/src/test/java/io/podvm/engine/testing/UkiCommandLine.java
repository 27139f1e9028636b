package io.podvm.engine.testing;

import io.podvm.engine.files.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of a built image whose UKI boots with a different kernel command line, made without a new mkosi
 * build: the UKI is copied out of the ESP (mtools), its .cmdline section replaced (binutils' objcopy; a
 * plain --update-section would keep the old, shorter size), and the UKI put back into the copy's ESP.
 */
public final class UkiCommandLine {
    private UkiCommandLine() {
    }

    /** The command line the image's UKI gives the kernel. */
    public static String of(Path image, Path scratch) throws IOException {
        Path uki = scratch.resolve("cmdline-source.efi");
        new DiskImage(image).copyFromEsp("::/EFI/BOOT/BOOTX64.EFI", uki);
        try {
            return read(uki, scratch);
        } finally {
            Files.delete(uki);
        }
    }

    /** Copies {@code image} to {@code copy} (sparse) with {@code extra} appended to its UKI's command line. */
    public static Path copyWithAppended(Path image, Path copy, String extra) throws IOException {
        Path scratch = Files.createTempDirectory(copy.getParent(), "uki-");
        try {
            Path uki = scratch.resolve("uki.efi");
            new DiskImage(image).copyFromEsp("::/EFI/BOOT/BOOTX64.EFI", uki);
            String cmdline = read(uki, scratch) + " " + extra;
            Path section = Files.write(scratch.resolve("cmdline"), (cmdline + "\0").getBytes(StandardCharsets.UTF_8));
            Path changed = scratch.resolve("changed.efi");
            DiskImage.run("objcopy", "--remove-section", ".cmdline", "--add-section", ".cmdline=" + section,
                    "--change-section-vma", ".cmdline=" + cmdlineAddress(uki), uki.toString(), changed.toString());
            if (!read(changed, scratch).equals(cmdline)) {
                throw new AssertionError("objcopy did not write the command line '" + cmdline + "'");
            }
            DiskImage.run("cp", "--sparse=always", image.toString(), copy.toString());
            new DiskImage(copy).replaceInEsp(changed, "::/EFI/BOOT/BOOTX64.EFI");
            return copy;
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    /** Where the section is loaded: the new one goes to the same place, before the sections that follow it. */
    private static String cmdlineAddress(Path uki) {
        return DiskImage.run("objdump", "-h", uki.toString()).lines().filter(l -> l.contains(" .cmdline "))
                .map(l -> "0x" + l.trim().split("\\s+")[3]).findFirst()
                .orElseThrow(() -> new AssertionError(uki + " has no .cmdline section"));
    }

    private static String read(Path uki, Path scratch) throws IOException {
        Path section = scratch.resolve("cmdline.read");
        DiskImage.run("objcopy", "-O", "binary", "--only-section=.cmdline", uki.toString(), section.toString());
        String text = Files.readString(section, StandardCharsets.UTF_8);
        Files.delete(section);
        return text.replaceAll("[\\s\\x00]+$", "");
    }
}
