package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the engine refuses before uplosi is even asked for its --help: an image that no cloud could boot
 * and a version that uplosi would take only to fail after the upload. Nothing runs, nothing is bumped,
 * no private directory is left.
 */
class UploadChecksBeforeUplosiTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;
    FakeUplosi fake;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 4, "1.4.7");
        fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND, "success"); // records --help too
    }

    private UploadRequest.Builder request() {
        return fake.configure(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersionFile("VERSION").incrementVersion(true).set("aws.bucket=podvm-images")
                .credentials(UploadFixtures.aws()).tempDir(workspace.temp().toString()), "success");
    }

    private void assertNothingRan() throws Exception {
        assertThat(fake.recordLines()).as("uplosi was run").isEmpty();
        assertThat(UploadFixtures.engineDirs(workspace.temp())).isEmpty();
    }

    @Test
    void aTextFileIsNotUploaded() throws Exception {
        Files.writeString(workspace.dir().resolve("notes.txt"), "just some notes\n");
        assertThatThrownBy(() -> workspace.upload(request().image("notes.txt")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'notes.txt', holds text ('just some notes')");
        assertNothingRan();
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
    }

    @Test
    void anEmptyFileIsNotUploaded() throws Exception {
        Files.createFile(workspace.dir().resolve("empty.raw"));
        assertThatThrownBy(() -> workspace.upload(request().image("empty.raw")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is empty (0 bytes)");
        assertNothingRan();
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
    }

    @Test
    void aHugeMajorVersionIsBumpedWithoutANumberFormatException() throws Exception {
        Files.writeString(workspace.dir().resolve("VERSION"), "99999999999.0.0\n");
        UploadResult result = workspace.upload(request());
        assertThat(result.version()).isEqualTo("99999999999.0.0");
        assertThat(result.nextVersion()).isEqualTo("99999999999.0.1");
        assertThat(workspace.version()).isEqualTo("99999999999.0.1\n");
        assertThat(workspace.log().text()).doesNotContain("WARNING");
    }

    @Test
    void versionsThatUplosiCannotIncrementAreRefusedBeforeTheUpload() throws Exception {
        for (String bad : new String[] {"01.02.03", "1.02.3", "1.2.03", "1.2.9223372036854775807",
                "1.2.99999999999999999999"}) {
            Files.writeString(workspace.dir().resolve("VERSION"), bad + "\n");
            assertThatThrownBy(() -> workspace.upload(request()), bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("imageVersionFile").hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("--increment-version");
            assertThat(workspace.version()).isEqualTo(bad + "\n");
        }
        assertNothingRan();
    }

    @Test
    void versionsThatUplosiRefusesAreRefusedBeforeAnythingRuns() throws Exception {
        for (String bad : new String[] {"1.2.3-rc1", "v1.2.3", "1.2", "1.2.3.4", "1.2.3+build", "١.٢.٣"}) {
            Files.writeString(workspace.dir().resolve("VERSION"), bad + "\n");
            assertThatThrownBy(() -> workspace.upload(request().incrementVersion(false)), bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("imageVersionFile")
                    .hasMessageContaining("X.Y.Z");
            assertThatThrownBy(() -> request().imageVersionFile(null).incrementVersion(false).imageVersion(bad)
                    .build(), bad).isInstanceOf(InvalidRequestException.class).hasMessageContaining("imageVersion")
                    .hasMessageContaining("X.Y.Z");
        }
        assertNothingRan();
    }

    @Test
    void leadingZerosAreUploadedWhenNothingIsIncremented() throws Exception {
        // uplosi's own check (validation.rego) is ^\d+\.\d+\.\d+$; only its increment parses semver.
        Files.writeString(workspace.dir().resolve("VERSION"), "2024.01.05\n");
        UploadResult result = workspace.upload(request().incrementVersion(false));
        assertThat(result.version()).isEqualTo("2024.01.05");
        assertThat(workspace.version()).isEqualTo("2024.01.05\n");
    }
}
