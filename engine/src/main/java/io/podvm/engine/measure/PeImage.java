package io.podvm.engine.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.podvm.engine.files.Sha256;

/**
 * A PE/COFF image (a UKI, a kernel's EFI stub) read from its bytes: its sections, and its Authenticode
 * SHA-256, which is what UEFI firmware measures into PCR 4 when it loads the image.
 */
final class PeImage {
    /** One entry of the section table. */
    record Section(String name, long virtualSize, long virtualAddress, long rawSize, long rawOffset) {
    }

    private final byte[] bytes;
    private final int optionalHeader;
    private final boolean pe32Plus;
    private final int sizeOfHeaders;
    private final List<Section> sections;

    private PeImage(byte[] bytes) {
        this.bytes = bytes;
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 0x40 || le.getShort(0) != 0x5A4D) {
            throw new IllegalArgumentException("not a PE image (no MZ header)");
        }
        int pe = le.getInt(0x3C);
        if (pe < 0 || pe + 24 > bytes.length || le.getInt(pe) != 0x00004550) {
            throw new IllegalArgumentException("not a PE image (no PE signature)");
        }
        int sectionCount = Short.toUnsignedInt(le.getShort(pe + 6));
        int optionalSize = Short.toUnsignedInt(le.getShort(pe + 20));
        this.optionalHeader = pe + 24;
        int magic = Short.toUnsignedInt(le.getShort(optionalHeader));
        if (magic != 0x10B && magic != 0x20B) {
            throw new IllegalArgumentException("unknown optional header magic 0x" + Integer.toHexString(magic));
        }
        this.pe32Plus = magic == 0x20B;
        this.sizeOfHeaders = le.getInt(optionalHeader + 60);
        this.sections = readSections(le, optionalHeader + optionalSize, sectionCount);
    }

    static PeImage of(byte[] bytes) {
        return new PeImage(bytes);
    }

    List<Section> sections() {
        return sections;
    }

    Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * A section as it lies in memory once loaded: VirtualSize bytes, the raw data zero-filled when it is
     * shorter (the size systemd-stub measures).
     */
    byte[] loaded(Section section) {
        byte[] data = new byte[Math.toIntExact(section.virtualSize())];
        int copy = (int) Math.min(section.virtualSize(), section.rawSize());
        System.arraycopy(bytes, Math.toIntExact(section.rawOffset()), data, 0, copy);
        return data;
    }

    /** The stub's "#### LoaderInfo: systemd-stub 252.39-1~deb12u2 ####" version, if it is a systemd stub. */
    Optional<String> stubVersion() {
        return section(".sdmagic").map(s -> new String(loaded(s), StandardCharsets.US_ASCII))
                .map(text -> text.replaceAll(".*LoaderInfo: systemd-stub (\\S+).*", "$1").trim());
    }

    /**
     * The Authenticode digest (PE/COFF specification, "Calculating the PE Image Hash"): the headers without
     * the checksum and the certificate table entry, the sections in file order, then whatever follows them
     * except the attribute certificates.
     */
    String authenticodeSha256() {
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int checksum = optionalHeader + 64;
        int directories = optionalHeader + (pe32Plus ? 112 : 96);
        int certEntry = directories + 4 * 8;
        int rvaCount = le.getInt(optionalHeader + (pe32Plus ? 108 : 92));
        long certOffset = 0;
        long certSize = 0;
        MessageDigest digest = Sha256.newDigest();
        digest.update(bytes, 0, checksum);
        if (rvaCount > 4) {
            certOffset = Integer.toUnsignedLong(le.getInt(certEntry));
            certSize = Integer.toUnsignedLong(le.getInt(certEntry + 4));
            digest.update(bytes, checksum + 4, certEntry - (checksum + 4));
            digest.update(bytes, certEntry + 8, sizeOfHeaders - (certEntry + 8));
        } else {
            digest.update(bytes, checksum + 4, sizeOfHeaders - (checksum + 4));
        }
        long hashed = sizeOfHeaders;
        List<Section> inFileOrder = new ArrayList<>(sections);
        inFileOrder.sort(Comparator.comparingLong(Section::rawOffset));
        for (Section s : inFileOrder) {
            if (s.rawSize() == 0) {
                continue;
            }
            digest.update(bytes, Math.toIntExact(s.rawOffset()), Math.toIntExact(s.rawSize()));
            hashed += s.rawSize();
        }
        long rest = bytes.length - hashed - certSize;
        if (rest > 0) {
            digest.update(bytes, Math.toIntExact(hashed), Math.toIntExact(rest));
        }
        return Hex.of(digest.digest());
    }

    private List<Section> readSections(ByteBuffer le, int table, int count) {
        List<Section> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = table + 40 * i;
            byte[] name = new byte[8];
            le.get(at, name);
            int length = 0;
            while (length < 8 && name[length] != 0) {
                length++;
            }
            list.add(new Section(new String(name, 0, length, StandardCharsets.US_ASCII),
                    Integer.toUnsignedLong(le.getInt(at + 8)), Integer.toUnsignedLong(le.getInt(at + 12)),
                    Integer.toUnsignedLong(le.getInt(at + 16)), Integer.toUnsignedLong(le.getInt(at + 20))));
        }
        return List.copyOf(list);
    }
}
