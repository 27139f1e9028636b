package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Refuses, before uplosi starts, a file that no cloud could boot: uplosi uploads any bytes and registers
 * them as an image. A podvm image is a raw disk (what podvm mkosi writes, build/system.raw) with a GPT
 * (protective MBR, "EFI PART" header at LBA 1, both CRCs valid) and an EFI System Partition, since every
 * cloud uplosi serves boots it with UEFI.
 */
final class RawImageCheck {
    static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    private static final int MBR_TYPE_PROTECTIVE = 0xEE;

    /** Formats people pass by mistake, by their magic bytes at offset 0. */
    private static final Map<String, String> FORMATS = Map.of(
            "QFI\u00fb", "a qcow2 image",
            "KDMV", "a VMDK image",
            "vhdxfile", "a VHDX image",
            "conectix", "a VHD image with its footer copy first",
            "\u001f\u008b", "a gzip-compressed file",
            "\u00fd7zXZ\u0000", "an xz-compressed file",
            "(\u00b5/\u00fd", "a zstd-compressed file");

    /** Partition types people see in their images, by name; others are shown as GUIDs. */
    private static final Map<String, String> TYPES = Map.of(
            ESP, "EFI System",
            "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)",
            "B921B045-1DF0-41C3-AF44-4C6F280D3FAE", "Linux root (arm64)",
            "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem data",
            "21686148-6449-6E6F-744E-656564454649", "BIOS boot",
            "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap",
            "BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot");

    private RawImageCheck() {
    }

    /**
     * @param file  the image, resolved
     * @param given the image as the user named it (the IMAGE argument, the request's image field)
     */
    static void check(Path file, String given) {
        String finding;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            finding = problem(channel);
        } catch (IOException e) {
            finding = "cannot be read (" + e.getMessage() + ")";
        }
        if (finding != null) {
            throw new InvalidRequestException("image: the image to upload (the IMAGE argument of podvm upload, the"
                    + " image field of podvmUpload), '" + given + "', " + finding + ".");
        }
    }

    /** What is wrong with the file, or null when it is a raw GPT disk with an ESP. */
    private static String problem(FileChannel file) throws IOException {
        long size = file.size();
        if (size == 0) {
            return "is empty (0 bytes); " + wanted();
        }
        ByteBuffer start = GptTable.read(file, 0, (int) Math.min(size, 512));
        String format = knownFormat(start);
        if (format != null) {
            return "is " + format + (format.contains("qcow2")
                    ? "; uplosi uploads raw disk images: pass the .raw that podvm mkosi wrote next to it (e.g."
                    + " build/system.raw), or convert it with qemu-img convert -O raw"
                    : "; " + wanted());
        }
        String text = text(start);
        if (text != null) {
            return "holds text ('" + text + "'), not a disk image; " + wanted();
        }
        if (size < 1024) {
            return "is only " + size + " bytes, too small for a disk with a partition table; " + wanted();
        }
        if ((start.get(510) & 0xff) != 0x55 || (start.get(511) & 0xff) != 0xaa) {
            return "has no partition table (no MBR signature 55 AA at byte 510); " + wanted();
        }
        int sectorSize = GptTable.sectorSize(file);
        if (!protectiveMbr(start)) {
            return (sectorSize == 0 ? "has an MBR (DOS) partition table, not a GPT; "
                    : "has a GPT header, but its MBR has no protective GPT entry (type EE): damaged; ") + wanted();
        }
        if (sectorSize == 0) {
            return "has a protective MBR but no GPT header ('EFI PART' at LBA 1); " + wanted();
        }
        return gptProblem(file, sectorSize, size);
    }

    private static String gptProblem(FileChannel file, int sectorSize, long size) throws IOException {
        GptTable table;
        try {
            table = GptTable.read(file, sectorSize);
        } catch (GptTable.Damaged e) {
            return e.getMessage() + "; " + wanted();
        }
        if (size < table.diskBytes()) {
            return "is " + size + " bytes, but its GPT describes a disk of " + table.diskBytes() + " bytes: the file"
                    + " is truncated (an incomplete copy?); " + wanted();
        }
        List<GptTable.Partition> esps = table.partitions().stream().filter(p -> p.type().equals(ESP)).toList();
        if (esps.isEmpty()) {
            return "has a GPT with " + describe(table.partitions()) + " but no EFI System Partition (type " + ESP
                    + "), which the clouds boot podvm images from with UEFI; build it with podvm mkosi (an image"
                    + " with an ESP, as the bundled definition makes)";
        }
        GptTable.Partition esp = esps.get(0);
        if (esp.lastLba() < esp.firstLba() || (esp.lastLba() + 1) * sectorSize > size) {
            return "has an EFI System Partition (LBA " + esp.firstLba() + " to " + esp.lastLba() + ") that is empty"
                    + " or lies beyond the end of the file (" + size + " bytes); " + wanted();
        }
        return null;
    }

    private static String wanted() {
        return "podvm upload takes a raw disk image with a GPT and an EFI System Partition, such as the"
                + " build/system.raw that podvm mkosi writes";
    }

    private static boolean protectiveMbr(ByteBuffer mbr) {
        for (int entry = 0; entry < 4; entry++) {
            if ((mbr.get(446 + entry * 16 + 4) & 0xff) == MBR_TYPE_PROTECTIVE) {
                return true;
            }
        }
        return false;
    }

    private static String knownFormat(ByteBuffer start) {
        for (Map.Entry<String, String> format : FORMATS.entrySet()) {
            byte[] magic = format.getKey().getBytes(StandardCharsets.ISO_8859_1);
            if (start.limit() >= magic.length && ByteBuffer.wrap(magic).equals(start.duplicate().limit(magic.length))) {
                return format.getValue();
            }
        }
        return null;
    }

    /** The first line, when the start of the file is printable UTF-8 text; else null. */
    private static String text(ByteBuffer start) {
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(start.duplicate()).toString();
            boolean printable = decoded.chars().allMatch(c -> c == '\n' || c == '\r' || c == '\t' || c >= 0x20
                    && c != 0x7f);
            if (!printable) {
                return null;
            }
            String line = decoded.lines().findFirst().orElse("").strip();
            return line.length() > 60 ? line.substring(0, 60) + "..." : line;
        } catch (CharacterCodingException e) {
            return null; // a cut multi-byte character at byte 512 also lands here; such a file is refused later
        }
    }

    private static String describe(List<GptTable.Partition> partitions) {
        if (partitions.isEmpty()) {
            return "no partitions";
        }
        return partitions.size() + " partition" + (partitions.size() == 1 ? "" : "s") + " ("
                + partitions.stream().map(p -> TYPES.getOrDefault(p.type(), p.type())).collect(Collectors.joining(", "))
                + ")";
    }
}
