package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The container builders that can write a build's files to a directory, in the order they are preferred. */
public enum BuilderKind {
    DOCKER, PODMAN, BUILDAH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BuilderKind parse(String value, String field) {
        for (BuilderKind kind : values()) {
            if (kind.id().equals(value)) {
                return kind;
            }
        }
        throw InvalidRequestException.of(field, value, "allowed: " + allIds() + ", or none to take the first"
                + " that works here");
    }

    static String allIds() {
        return Arrays.stream(values()).map(BuilderKind::id).collect(Collectors.joining(", "));
    }
}
