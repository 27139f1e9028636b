package io.podvm.engine.upload;

import io.podvm.engine.testing.TestLogs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where an upload test starts, under its temporary directory: a workspace with a small raw image (system.raw)
 * and a VERSION file, a directory for the engine's private temporary files, and the log the engine writes.
 */
final class UploadWorkspace {
    private final Path root;
    private final Path dir;
    private final Path temp;
    private final Path image;
    private final TestLogs.Captured log = new TestLogs.Captured();

    private UploadWorkspace(Path root, Path dir, Path temp, Path image) {
        this.root = root;
        this.dir = dir;
        this.temp = temp;
        this.image = image;
    }

    /** {@code root}/workspace with an image of {@code imageMegabytes} and VERSION holding {@code version}. */
    static UploadWorkspace create(Path root, int imageMegabytes, String version) throws IOException {
        Path dir = Files.createDirectories(root.resolve("workspace"));
        Path temp = Files.createDirectories(root.resolve("tmp"));
        Path image = image(dir, imageMegabytes);
        Files.writeString(dir.resolve("VERSION"), version + "\n");
        return new UploadWorkspace(root, dir, temp, image);
    }

    /** A small raw disk image as podvm mkosi makes them: a GPT with an ESP (sfdisk on a sparse file). */
    private static Path image(Path dir, int megabytes) throws IOException {
        return GptImages.withEsp(dir.resolve("system.raw"), megabytes);
    }

    Path dir() {
        return dir;
    }

    /** The temporary directory given to the engine. */
    Path temp() {
        return temp;
    }

    Path image() {
        return image;
    }

    TestLogs.Captured log() {
        return log;
    }

    /** What the VERSION file holds now. */
    String version() throws IOException {
        return Files.readString(dir.resolve("VERSION"));
    }

    /** Uploads from this workspace with no machine credentials. */
    UploadResult upload(UploadRequest.Builder request) {
        return new Uploader(log.log(), dir, Map.of()).upload(request.build());
    }

    /** No secret in the log or in any file under the test's directory, and no private directory left. */
    void assertNoSecretsLeft() throws IOException {
        assertThat(log.text()).doesNotContain(UploadFixtures.secrets());
        assertThat(UploadFixtures.filesHoldingSecrets(root)).isEmpty();
        assertThat(UploadFixtures.engineDirs(temp)).as("private directories left behind").isEmpty();
    }
}
