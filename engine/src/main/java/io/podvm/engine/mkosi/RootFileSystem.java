package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The root file system of the bundled definition's image: a writable ext4, or a read-only erofs protected by
 * dm-verity, whose root hash is in the UKI's kernel command line (mkosi.presets/system/mkosi.repart-verity/).
 */
public enum RootFileSystem {
    EXT4, VERITY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RootFileSystem parse(String value, String field) {
        for (RootFileSystem r : values()) {
            if (r.id().equals(value)) {
                return r;
            }
        }
        throw InvalidRequestException.of(field, value, "allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(RootFileSystem::id).collect(Collectors.joining(", "));
    }
}
