package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Production images have no way in; debug images add SSH for root, autologin and debugging tools. */
public enum Variant {
    PRODUCTION, DEBUG;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Variant parse(String value, String field) {
        for (Variant v : values()) {
            if (v.id().equals(value)) {
                return v;
            }
        }
        throw InvalidRequestException.of(field, value, "allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", "));
    }
}
