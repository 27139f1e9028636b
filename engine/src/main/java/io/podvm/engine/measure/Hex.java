package io.podvm.engine.measure;

import java.util.HexFormat;

/** Lower-case hex, the way PCR values and digests are written everywhere (sysfs, systemd-measure, uplosi). */
final class Hex {
    private Hex() {
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] parse(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
