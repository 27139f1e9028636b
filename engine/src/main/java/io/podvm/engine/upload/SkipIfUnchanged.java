package io.podvm.engine.upload;

import io.podvm.engine.files.Sha256;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.mkosi.ImageContent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code skipIfUnchanged}: an image whose content key equals the one recorded for the provider is not uploaded
 * again; the recorded references are returned instead, and uplosi is not run. The key is the one
 * {@code podvm mkosi} wrote beside the image (NAME.podvm.json); without that file, the image's own SHA-256.
 */
final class SkipIfUnchanged {
    private final BuildLog log;
    private final Path stateFile;
    private final UploadState state;
    private final String contentKey;

    private SkipIfUnchanged(BuildLog log, Path stateFile, UploadState state, String contentKey) {
        this.log = log;
        this.stateFile = stateFile;
        this.state = state;
        this.contentKey = contentKey;
    }

    /** Reads the state and the image's key; null when the request does not ask for it. */
    static SkipIfUnchanged prepare(BuildLog log, Path stateFile, Path image) {
        if (stateFile == null) {
            return null;
        }
        UploadState state = UploadState.read(stateFile);
        return new SkipIfUnchanged(log, stateFile, state, contentKey(log, image));
    }

    /** The recorded result when the image is unchanged for this provider. */
    Optional<UploadResult> recorded(Provider provider, long start) {
        Optional<UploadState.Entry> entry = state.entry(provider);
        if (entry.isEmpty() || !entry.get().contentKey().equals(contentKey)) {
            log.info(entry.isEmpty() ? "No upload to " + provider + " is recorded in " + stateFile + "; uploading."
                    : "The image changed since the upload recorded in " + stateFile + " (content key " + contentKey
                    + ", recorded " + entry.get().contentKey() + "); uploading.");
            return Optional.empty();
        }
        UploadState.Entry e = entry.get();
        log.info("Image unchanged since the upload to " + provider + " recorded in " + stateFile + " (content key "
                + contentKey + ", uploaded " + e.uploadedAt() + "): not uploading again, uplosi not run; the recorded"
                + " references: " + String.join(", ", e.refs()));
        return Optional.of(new UploadResult(e.refs(), provider.id(), e.version(), null,
                Math.round((System.nanoTime() - start) / 1e7) / 100.0, true));
    }

    void record(Provider provider, UploadResult result) {
        try {
            state.record(provider, contentKey, result.refs(), result.version());
            log.info("Recorded the upload to " + provider + " in " + stateFile + " (content key " + contentKey + ").");
        } catch (IOException e) {
            // The upload itself succeeded: report it, and say that the next one will not be skipped.
            log.warn("Could not record the upload in " + stateFile + " (" + e.getMessage() + "); the next upload of"
                    + " this image will not be skipped.");
        }
    }

    private static String contentKey(BuildLog log, Path image) {
        try {
            Optional<String> key = ImageContent.readFor(image).map(ImageContent::contentKey);
            if (key.isPresent()) {
                return key.get();
            }
            log.info("No content key beside " + image + " (" + ImageContent.fileFor(image).getFileName()
                    + ", written by podvm mkosi); comparing the image's SHA-256 instead.");
            return "sha256:" + Sha256.of(image);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + image + " for its content key", e);
        }
    }
}
