package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;

import java.util.Locale;

/** Where the binaries tree comes from: a Dockerfile built here, or a published podvm-binaries image. */
public enum Mode {
    BUILD, PULL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Mode parse(String value, String field) {
        for (Mode mode : values()) {
            if (mode.id().equals(value)) {
                return mode;
            }
        }
        throw InvalidRequestException.of(field, value, "allowed: build (run the binaries Dockerfile here) or pull"
                + " (take the tree from a published podvm-binaries image)");
    }
}
