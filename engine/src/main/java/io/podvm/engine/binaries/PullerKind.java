package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tools that can take an image's files out of a registry without running the image, in the order
 * they are preferred: skopeo needs no image storage and no root; podman keeps a copy in its storage.
 */
public enum PullerKind {
    SKOPEO, PODMAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PullerKind parse(String value, String field) {
        for (PullerKind kind : values()) {
            if (kind.id().equals(value)) {
                return kind;
            }
        }
        throw InvalidRequestException.of(field, value, "allowed: " + allIds() + ", or none to take the first"
                + " found");
    }

    static String allIds() {
        return Arrays.stream(values()).map(PullerKind::id).collect(Collectors.joining(", "));
    }
}
