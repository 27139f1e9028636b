package io.podvm.engine.measure;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crypto-agile event log, built here byte by byte as the TCG PC Client profile lays it out (a SHA-1 format
 * Spec ID event naming SHA-1 and SHA-256, then TCG_PCR_EVENT2 records): parsed, replayed, and compared with a
 * prediction. (A real OVMF log is parsed and replayed against a real TPM in RealImageBuildTest.)
 */
class EventLogTest {
    private static final byte[] ACTION = "Calling EFI Application from Boot Option".getBytes(StandardCharsets.US_ASCII);

    @Test
    void replaysTheSha256DigestsIntoPcrValues() throws Exception {
        byte[] separator = new byte[4];
        EventLog log = EventLog.parse(log(event(4, 0x80000007L, ACTION), event(4, 0x04, separator),
                event(0, 0x03, "StartupLocality\0\0".getBytes(StandardCharsets.US_ASCII))));

        assertThat(log.events()).hasSize(4);
        assertThat(log.events(4)).extracting(EventLog.Event::typeName).containsExactly("EV_EFI_ACTION", "EV_SEPARATOR");
        String expected = extend(extend("0".repeat(64), sha256(ACTION)), sha256(separator));
        assertThat(log.replay()).containsExactly(Map.entry(4, expected));
    }

    @Test
    void aMismatchShowsThePredictedAndTheLoggedEventsSideBySide() throws Exception {
        EventLog log = EventLog.parse(log(event(4, 0x80000007L, ACTION), event(4, 0x04, new byte[4])));
        String report = PcrMismatch.describe(4, List.of(
                Map.of("event", "EV_EFI_ACTION", "sha256", sha256(ACTION)),
                Map.of("event", "EV_EFI_BOOT_SERVICES_APPLICATION", "sha256", "ab".repeat(32))), log);

        assertThat(report).contains("   0: " + sha256(ACTION))
                .contains(">> 1: " + "ab".repeat(32) + " EV_EFI_BOOT_SERVICES_APPLICATION")
                .contains("log: PCR 4 EV_SEPARATOR " + sha256(new byte[4]));
    }

    private static byte[] log(byte[]... events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer spec = le(16 + 4 + 4 + 4 + 2 * 4 + 1);
        spec.put("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII)).putInt(0).put((byte) 0).put((byte) 2)
                .put((byte) 0).put((byte) 2).putInt(2).putShort((short) 0x0004).putShort((short) 20)
                .putShort((short) 0x000B).putShort((short) 32).put((byte) 0);
        ByteBuffer first = le(4 + 4 + 20 + 4 + spec.capacity());
        first.putInt(0).putInt(0x03).put(new byte[20]).putInt(spec.capacity()).put(spec.array());
        out.write(first.array());
        for (byte[] event : events) {
            out.write(event);
        }
        return out.toByteArray();
    }

    private static byte[] event(int pcr, long type, byte[] data) throws Exception {
        ByteBuffer e = le(4 + 4 + 4 + 2 + 20 + 2 + 32 + 4 + data.length);
        e.putInt(pcr).putInt((int) type).putInt(2).putShort((short) 0x0004)
                .put(MessageDigest.getInstance("SHA-1").digest(data)).putShort((short) 0x000B)
                .put(MessageDigest.getInstance("SHA-256").digest(data)).putInt(data.length).put(data);
        return e.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String extend(String pcr, String digest) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(HexFormat.of().parseHex(pcr));
        sha.update(HexFormat.of().parseHex(digest));
        return HexFormat.of().formatHex(sha.digest());
    }
}
