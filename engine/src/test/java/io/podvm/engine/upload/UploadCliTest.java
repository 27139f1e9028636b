package io.podvm.engine.upload;

import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code podvm upload} as a shell user runs it (its own JVM, credentials in its environment), with a fake
 * uplosi whose record and mode are in its script: exit codes, the sentences of refusals, and a closing
 * error line that goes through the masker like every other line.
 */
class UploadCliTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 4, "1.4.7");
    }

    @Test
    void theClosingErrorLineIsMaskedLikeTheLog() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND, "fail");
        CliProcess.Result run = cli("upload", "system.raw", "--provider", "aws", "--name", "podvm", "--image-version",
                "1.0.0", "--set", "aws.bucket=podvm-images", "--uplosi", fake.path());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("podvm: Uploading to aws failed at the step 'ensuring"
                + " bucket exists'").contains("AccessDenied: key **** (base64 ****, url ****)");
        assertThat(run.stdout() + run.stderr()).doesNotContain(encodings(UploadFixtures.AWS_SECRET));
    }

    @Test
    void aTextFileIsRefusedWithExit2BeforeUplosiRuns() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND, "success");
        Files.writeString(workspace.dir().resolve("notes.txt"), "not an image\n");
        CliProcess.Result run = cli("upload", "notes.txt", "--provider", "aws", "--name", "podvm",
                "--image-version-file", "VERSION", "--increment-version", "--set", "aws.bucket=podvm-images",
                "--uplosi", fake.path());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("podvm: IMAGE: the image to upload (the IMAGE argument of podvm upload,"
                + " the image field of podvmUpload), 'notes.txt', holds text ('not an image')");
        assertThat(fake.recordLines()).isEmpty();
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
    }

    @Test
    void aVersionUplosiCannotBumpIsRefusedWithExit2BeforeUplosiRuns() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND, "success");
        Files.writeString(workspace.dir().resolve("VERSION"), "01.02.03\n");
        CliProcess.Result run = cli("upload", "system.raw", "--provider", "aws", "--name", "podvm",
                "--image-version-file", "VERSION", "--increment-version", "--set", "aws.bucket=podvm-images",
                "--uplosi", fake.path());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("'01.02.03' has a number with a leading zero").contains("1.2.3");
        assertThat(fake.recordLines()).isEmpty();
        assertThat(workspace.version()).isEqualTo("01.02.03\n");
    }

    /** The secret as it is and in the encodings a tool prints it in. */
    static String[] encodings(String secret) {
        return new String[] {secret, Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                URLEncoder.encode(secret, StandardCharsets.UTF_8)};
    }

    private CliProcess.Result cli(String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream()
                .filter(k -> k.startsWith("AWS_") || k.startsWith("AZURE_") || k.startsWith("GOOGLE_"))
                .forEach(k -> env.put(k, null));
        env.put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        env.put("AWS_REGION", "us-east-1");
        // The clean-up after a failure calls S3: here it finds nothing listening, never the real AWS.
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + UploadFixtures.refusedPort());
        return CliProcess.start(workspace.dir(), List.of("-Djava.io.tmpdir=" + workspace.temp()), env, args).await(2);
    }
}
