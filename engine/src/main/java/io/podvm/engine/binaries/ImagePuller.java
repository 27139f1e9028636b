package io.podvm.engine.binaries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Takes an image's file system out of a registry without running the image. */
interface ImagePuller {
    PullerKind kind();

    /**
     * Writes the image's merged file system to {@code tree}, which does not exist yet.
     *
     * @param environment what the tool needs to reach the registry (the auth file's location); no secrets
     * @param scratch     an empty directory for downloads, removed afterwards by the caller
     */
    void pull(ImageReference image, boolean insecure, Map<String, String> environment, Path tree, Path scratch)
            throws IOException;
}
