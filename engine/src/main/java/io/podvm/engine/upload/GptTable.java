package io.podvm.engine.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The GUID partition table of a raw disk image, read as UEFI 2.10 section 5.3 lays it out: the primary
 * header at LBA 1 (512- or 4096-byte sectors), its CRC32, the partition entry array and its CRC32. Only
 * what an upload check needs; anything that does not hold is a {@link Damaged} with a sentence saying what.
 */
record GptTable(int sectorSize, long diskBytes, List<Partition> partitions) {
    private static final byte[] SIGNATURE = "EFI PART".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MIN_HEADER = 92;
    /** 128 entries of 128 bytes is what every tool writes; far more means a damaged header. */
    private static final long MAX_ENTRY_BYTES = 4L * 1024 * 1024;

    /** One used entry: its type GUID (upper case) and first and last LBA. */
    record Partition(String type, long firstLba, long lastLba) {
    }

    /** The table is there but cannot be used; the message says why, for the user, as "[the file] ends ...". */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    /** The sector size whose LBA 1 holds the "EFI PART" signature, or 0 when neither does. */
    static int sectorSize(FileChannel file) throws IOException {
        for (int size : new int[] {512, 4096}) {
            ByteBuffer signature = read(file, size, SIGNATURE.length);
            if (signature != null && ByteBuffer.wrap(SIGNATURE).equals(signature)) {
                return size;
            }
        }
        return 0;
    }

    static GptTable read(FileChannel file, int sectorSize) throws IOException, Damaged {
        ByteBuffer header = read(file, sectorSize, sectorSize);
        if (header == null) {
            throw new Damaged("ends inside its GPT header: it is truncated");
        }
        header.order(ByteOrder.LITTLE_ENDIAN);
        long headerSize = Integer.toUnsignedLong(header.getInt(12));
        if (headerSize < MIN_HEADER || headerSize > sectorSize) {
            throw new Damaged("has a damaged GPT header (it gives its own size as " + headerSize + " bytes)");
        }
        checkCrc("GPT header", header, (int) headerSize, 16);
        long alternateLba = header.getLong(32);
        long entriesLba = header.getLong(72);
        long entryCount = Integer.toUnsignedLong(header.getInt(80));
        long entrySize = Integer.toUnsignedLong(header.getInt(84));
        if (entrySize < 128 || entrySize % 8 != 0 || entryCount * entrySize > MAX_ENTRY_BYTES || entriesLba < 2) {
            throw new Damaged("has a damaged GPT header (" + entryCount + " partition entries of " + entrySize
                    + " bytes at LBA " + entriesLba + ")");
        }
        ByteBuffer entries = read(file, entriesLba * sectorSize, (int) (entryCount * entrySize));
        if (entries == null) {
            throw new Damaged("ends inside its GPT partition entries: it is truncated (" + file.size()
                    + " bytes)");
        }
        long entriesCrc = Integer.toUnsignedLong(header.getInt(88));
        long computed = crc(entries, 0, entries.capacity());
        if (computed != entriesCrc) {
            throw new Damaged("has GPT partition entries whose checksum does not match (stored "
                    + hex(entriesCrc) + ", computed " + hex(computed) + "): the partition table is damaged");
        }
        entries.order(ByteOrder.LITTLE_ENDIAN);
        return new GptTable(sectorSize, (alternateLba + 1) * sectorSize, partitions(entries, entryCount, entrySize));
    }

    private static List<Partition> partitions(ByteBuffer entries, long count, long size) {
        List<Partition> used = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = (int) (i * size);
            String type = guid(entries, at);
            if (!type.equals("00000000-0000-0000-0000-000000000000")) {
                used.add(new Partition(type, entries.getLong(at + 32), entries.getLong(at + 40)));
            }
        }
        return used;
    }

    /** Mixed-endian, as UEFI stores GUIDs: the first three fields little-endian, the rest as bytes. */
    private static String guid(ByteBuffer b, int at) {
        return String.format(Locale.ROOT, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                b.getInt(at), b.getShort(at + 4), b.getShort(at + 6), b.get(at + 8), b.get(at + 9), b.get(at + 10),
                b.get(at + 11), b.get(at + 12), b.get(at + 13), b.get(at + 14), b.get(at + 15));
    }

    private static void checkCrc(String what, ByteBuffer header, int size, int crcOffset) throws Damaged {
        long stored = Integer.toUnsignedLong(header.getInt(crcOffset));
        ByteBuffer copy = ByteBuffer.allocate(size);
        copy.put(header.duplicate().position(0).limit(size)).putInt(crcOffset, 0);
        long computed = crc(copy, 0, size);
        if (computed != stored) {
            throw new Damaged("has a " + what + " whose checksum does not match (stored " + hex(stored) + ", computed "
                    + hex(computed) + "): the header is damaged");
        }
    }

    private static long crc(ByteBuffer buffer, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(buffer.duplicate().position(from).limit(from + length));
        return crc.getValue();
    }

    private static String hex(long value) {
        return String.format(Locale.ROOT, "0x%08x", value);
    }

    /** {@code length} bytes at {@code position}, or null when the file ends before them. */
    static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        if (position < 0 || position + length > file.size()) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }
}
