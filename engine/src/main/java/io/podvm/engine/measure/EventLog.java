package io.podvm.engine.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The firmware's TPM 2.0 event log in the crypto-agile format (TCG PC Client Platform Firmware Profile,
 * section 10): a first event in the SHA-1 layout whose data is the "Spec ID Event03" listing the digest
 * algorithms, then one TCG_PCR_EVENT2 per measurement. Only the SHA-256 digests are kept.
 */
public final class EventLog {
    static final int SHA256 = 0x000B;
    static final int EV_NO_ACTION = 0x03;

    /** One measurement; {@code sha256} is null for an event without a SHA-256 digest. */
    public record Event(int pcr, long type, String sha256, byte[] data) {
        public String typeName() {
            return EventTypes.name(type);
        }

        /** What a reader needs to tell events apart: the type and, when it is text, the data. */
        public String describe() {
            return "PCR " + pcr + " " + typeName() + " " + sha256 + (printable() ? " '" + text() + "'" : " ("
                    + data.length + " bytes)");
        }

        String text() {
            String raw = new String(data, StandardCharsets.ISO_8859_1);
            if (raw.indexOf('\0') >= 0 && raw.chars().filter(c -> c == 0).count() * 2 >= raw.length() - 2) {
                raw = new String(data, StandardCharsets.UTF_16LE);
            }
            return raw.replace("\0", "");
        }

        private boolean printable() {
            String text = text();
            return !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        }
    }

    private final List<Event> events;

    private EventLog(List<Event> events) {
        this.events = List.copyOf(events);
    }

    public List<Event> events() {
        return events;
    }

    public List<Event> events(int pcr) {
        return events.stream().filter(e -> e.pcr() == pcr && e.type() != EV_NO_ACTION).toList();
    }

    /** The PCR values the log says the TPM holds: every digest replayed from zero. */
    public Map<Integer, String> replay() {
        PcrBank bank = new PcrBank();
        Map<Integer, String> values = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.type() != EV_NO_ACTION && e.sha256() != null) {
                bank.extend(e.pcr(), Hex.parse(e.sha256()));
                values.put(e.pcr(), null);
            }
        }
        values.replaceAll((pcr, ignored) -> bank.value(pcr));
        return values;
    }

    public static EventLog parse(byte[] log) {
        ByteBuffer in = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        int pcr = in.getInt();
        long type = Integer.toUnsignedLong(in.getInt());
        in.position(in.position() + 20);
        byte[] specId = bytes(in, in.getInt());
        Map<Integer, Integer> sizes = digestSizes(specId);
        events.add(new Event(pcr, type, null, specId));
        while (in.remaining() >= 12) {
            int index = in.getInt();
            long eventType = Integer.toUnsignedLong(in.getInt());
            int count = in.getInt();
            if (eventType == 0 && index == 0 && count == 0) {
                break; // the rest of the buffer is padding
            }
            String sha256 = null;
            for (int i = 0; i < count; i++) {
                int alg = Short.toUnsignedInt(in.getShort());
                Integer size = sizes.get(alg);
                if (size == null) {
                    throw new IllegalArgumentException("event log: digest algorithm 0x" + Integer.toHexString(alg)
                            + " is not in the Spec ID event");
                }
                byte[] digest = bytes(in, size);
                if (alg == SHA256) {
                    sha256 = Hex.of(digest);
                }
            }
            events.add(new Event(index, eventType, sha256, bytes(in, in.getInt())));
        }
        return new EventLog(events);
    }

    /** TCG_EfiSpecIDEventStruct: signature[16], platformClass, versions, uintnSize, numberOfAlgorithms, list. */
    private static Map<Integer, Integer> digestSizes(byte[] specId) {
        ByteBuffer in = ByteBuffer.wrap(specId).order(ByteOrder.LITTLE_ENDIAN);
        String signature = new String(specId, 0, Math.min(15, specId.length), StandardCharsets.US_ASCII);
        if (!signature.startsWith("Spec ID Event03")) {
            throw new IllegalArgumentException("event log: not in the crypto-agile format (first event is '"
                    + signature + "')");
        }
        in.position(16 + 4 + 1 + 1 + 1 + 1);
        int algorithms = in.getInt();
        Map<Integer, Integer> sizes = new LinkedHashMap<>();
        for (int i = 0; i < algorithms; i++) {
            sizes.put(Short.toUnsignedInt(in.getShort()), Short.toUnsignedInt(in.getShort()));
        }
        return sizes;
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] data = new byte[length];
        in.get(data);
        return data;
    }
}
