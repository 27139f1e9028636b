package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.util.UUID;
import java.util.regex.Pattern;

/** Checks the request fields {@code sourceDateEpoch} and {@code seed} as mkosi would read them. */
final class ReproducibleRequest {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,12}");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** 9999-12-31: later times do not fit the file systems' and cpio's time fields. */
    private static final long LATEST = 253402214400L;

    private ReproducibleRequest() {
    }

    static long epoch(String value) {
        if (!DIGITS.matcher(value).matches() || Long.parseLong(value) > LATEST) {
            throw InvalidRequestException.of("sourceDateEpoch", value, "give whole seconds since 1970-01-01 UTC"
                    + " (0 to " + LATEST + "), for example the output of 'git log -1 --format=%ct'");
        }
        return Long.parseLong(value);
    }

    static String seed(String value) {
        if (!UUID_TEXT.matcher(value).matches()) {
            throw InvalidRequestException.of("seed", value, "give a UUID such as "
                    + ReproducibleInputs.seedFor("example") + " (uuidgen makes one)");
        }
        return UUID.fromString(value).toString();
    }
}
