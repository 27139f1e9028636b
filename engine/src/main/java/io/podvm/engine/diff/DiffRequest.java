package io.podvm.engine.diff;

import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * What the {@code podvmDiff} step asks for: two manifests, relative to the workspace (or absolute). The parameters
 * are oldManifest and newManifest: {@code new} is a Java keyword, so a step constructor cannot take it.
 */
public final class DiffRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String oldManifest;
    private final String newManifest;

    private DiffRequest(String oldManifest, String newManifest) {
        this.oldManifest = oldManifest;
        this.newManifest = newManifest;
    }

    /**
     * @param oldManifest the older image's manifest (parameter {@code oldManifest}), e.g. last/system.manifest
     * @param newManifest the newer image's manifest (parameter {@code newManifest}), e.g. build/system.manifest
     */
    public static DiffRequest of(String oldManifest, String newManifest) {
        return new DiffRequest(required("oldManifest", oldManifest, "last/system.manifest"),
                required("newManifest", newManifest, "build/system.manifest"));
    }

    private static String required(String field, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + ": no manifest was given; give mkosi's manifest of the image,"
                    + " e.g. " + example + ".");
        }
        return value.trim();
    }

    /** Compares the two manifests, resolved against {@code base}; a missing one is an error naming its parameter. */
    public ImageDiff compare(Path base) {
        return ImageDiff.of(base.resolve(oldManifest), "oldManifest", base.resolve(newManifest), "newManifest");
    }
}
