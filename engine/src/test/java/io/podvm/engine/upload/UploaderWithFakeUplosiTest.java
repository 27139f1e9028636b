package io.podvm.engine.upload;

import io.podvm.engine.AbortedException;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine around uplosi, with a strict fake where the point is the call itself: the command line, the
 * environment, the credential files, masking, clean-up, the version file and abort.
 */
class UploaderWithFakeUplosiTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 1, "1.4.7");
    }

    private UploadRequest.Builder gcpRequest(FakeUplosi fake, String mode) {
        return fake.configure(UploadRequest.builder().image("system.raw").provider("gcp").name("podvm")
                .imageVersionFile("VERSION").set("gcp.location=europe-west3").set("gcp.bucket=podvm-images")
                .credentials(UploadFixtures.gcp()).tempDir(workspace.temp().toString()), mode);
    }

    private UploadRequest.Builder awsRequest(FakeUplosi fake, String mode) {
        return fake.configure(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersionFile("VERSION").set("aws.bucket=podvm-images").credentials(UploadFixtures.aws())
                // The clean-up after a failure calls S3: here it finds nothing listening, never the real AWS.
                .environment("AWS_ENDPOINT_URL", "http://127.0.0.1:" + UploadFixtures.refusedPort())
                .tempDir(workspace.temp().toString()), mode);
    }

    private void assertNoSecretsAnywhere(FakeUplosi fake) throws Exception {
        workspace.assertNoSecretsLeft();
        assertThat(String.join("\n", fake.recordLines())).doesNotContain(UploadFixtures.secrets());
    }

    @Test
    void passesCredentialsAsPrivateFilesAndEnvironmentNeverAsArguments() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        UploadResult result = workspace.upload(gcpRequest(fake, "success"));

        assertThat(result.refs()).containsExactly(FakeUplosi.REF);
        assertThat(result.toMap()).containsEntry("provider", "gcp").containsEntry("version", "1.4.7")
                .containsEntry("nextVersion", null);
        List<String> record = fake.recordLines();
        assertThat(record).contains("argv [upload] [" + workspace.image() + "]");
        String env = record.stream().filter(l -> l.startsWith("env ")).findFirst().orElseThrow();
        assertThat(env).contains("GOOGLE_APPLICATION_CREDENTIALS", "TMPDIR");
        // The key file: 0400, in a 0700 directory outside the workspace and outside uplosi's working directory.
        String credfile = record.stream().filter(l -> l.startsWith("credfile")).findFirst().orElseThrow();
        String[] parts = credfile.split(" ");
        assertThat(parts[2]).isEqualTo("400");
        assertThat(parts[3]).isEqualTo("700");
        Path credDir = Path.of(parts[4]);
        Path cwd = Path.of(record.stream().filter(l -> l.startsWith("cwd ")).findFirst().orElseThrow().substring(4));
        assertThat(credDir.getParent()).isEqualTo(workspace.temp());
        assertThat(cwd.getParent()).isEqualTo(workspace.temp());
        assertThat(cwd).isNotEqualTo(credDir);
        assertThat(credDir).doesNotExist();
        assertThat(cwd).doesNotExist();
        // The fake printed the whole key file and the secrets: the log shows masks instead.
        assertThat(workspace.log().text()).contains("****").contains("leak on stdout");
        assertThat(fake.config()).containsPattern("provider = [\"']gcp[\"']");
        assertNoSecretsAnywhere(fake);
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
    }

    @Test
    void incrementBumpsTheVersionFileExactlyOnceOnSuccess() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        UploadResult result = workspace.upload(awsRequest(fake, "success").incrementVersion(true));
        assertThat(result.version()).isEqualTo("1.4.7");
        assertThat(result.nextVersion()).isEqualTo("1.4.8");
        assertThat(workspace.version()).isEqualTo("1.4.8\n");
        assertThat(fake.recordLines()).anyMatch(l -> l.startsWith("argv [upload]") && l.contains("[--increment-version]"));
        assertThat(workspace.log().text()).doesNotContain("WARNING");
        assertNoSecretsAnywhere(fake);
    }

    @Test
    void failureLeavesTheVersionFileAloneAndNamesProviderAndStep() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "fail").incrementVersion(true)))
                .isInstanceOf(PodvmException.class)
                .hasMessageStartingWith("Uploading to aws failed at the step 'ensuring bucket exists'")
                .hasMessageContaining("AccessDenied: key **** (base64 ****, url ****)");
        assertThat(workspace.log().text()).contains("WARNING: Left in AWS after the failed upload: the bucket podvm"
                + " (region us-east-1), which the failed upload created (could not remove it: ");
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
        assertNoSecretsAnywhere(fake);
    }

    @Test
    void abortEndsUplosiAndItsChildrenAndCleansUp() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                workspace.upload(gcpRequest(fake, "hang").incrementVersion(true));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        Path childFile = Path.of(fake.record() + ".child");
        Path pidFile = Path.of(fake.record() + ".pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(pidFile) && Files.exists(childFile)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pidFile).exists();
        long uplosiPid = Long.parseLong(Files.readString(pidFile).strip());
        long childPid = Long.parseLong(Files.readString(childFile).strip());
        worker.interrupt();
        worker.join(30_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertThat(ProcessHandle.of(uplosiPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(workspace.version()).isEqualTo("1.4.7\n");
        assertNoSecretsAnywhere(fake);
    }

    @Test
    void aTimeoutStopsUplosiAndNamesTheLastStep() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "hang").timeout(Duration.ofSeconds(10))))
                .isInstanceOf(PodvmException.class).isNotInstanceOf(AbortedException.class)
                .hasMessageContaining("Uploading to aws did not finish within 10 s")
                .hasMessageContaining("'Uploading os image as temporary blob'");
        long childPid = Long.parseLong(Files.readString(Path.of(fake.record() + ".child")).strip());
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertNoSecretsAnywhere(fake);
    }

    @Test
    void olderUplosiTakesTheImageAsItsArgumentAndPodvmBumpsTheVersion() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.IMAGE_ARGUMENT);
        UploadResult result = workspace.upload(awsRequest(fake, "success").incrementVersion(true));
        assertThat(fake.recordLines()).contains("argv [" + workspace.image() + "]");
        assertThat(result.nextVersion()).isEqualTo("1.4.8");
        assertThat(workspace.version()).isEqualTo("1.4.8\n");
    }

    @Test
    void badInputIsRejectedBeforeUplosiStarts() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success").image("missing.raw")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("image: 'missing.raw'")
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success").image(".")))
                .hasMessageContaining("readable regular file");
        Files.writeString(workspace.dir().resolve("VERSION"), "next\n");
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success"))).hasMessageContaining("holds 'next'");
        Files.writeString(workspace.dir().resolve("VERSION"), "1.4.7\n");
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success")
                .credentials(ProviderCredentials.builder().aws(UploadFixtures.AWS_KEY_ID, UploadFixtures.AWS_SECRET,
                        null).build())))
                .hasMessageContaining("aws.region: required for provider aws").hasMessageContaining("--set aws.region=");
        // No credentials given and none on the machine: rejected, with what to set.
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success")
                .credentials(ProviderCredentials.none())))
                .hasMessageContaining("no AWS credentials");
        assertThatThrownBy(() -> workspace.upload(gcpRequest(fake, "success")
                .credentials(ProviderCredentials.none())))
                .hasMessageContaining("--gcp-credentials");
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success")
                .uplosi(dir.resolve("nothing-here").toString())))
                .hasMessageContaining("uplosi: '").hasMessageContaining("was not found")
                .hasMessageContaining("scripts/install-tools.sh");
        assertThatThrownBy(() -> workspace.upload(awsRequest(fake, "success").uplosi("uplosi-that-is-not-installed")))
                .hasMessageContaining("was not found on PATH");
        assertThat(fake.uploadStarted()).isFalse();
        assertThat(UploadFixtures.engineDirs(workspace.temp())).isEmpty();
    }

    @Test
    void uplosiTooOldOrUnknownIsRejected() throws Exception {
        Path unknownDir = Files.createDirectories(dir.resolve("unknown"));
        FakeUplosi unknown = FakeUplosi.create(unknownDir, FakeUplosi.Form.UNKNOWN);
        assertThatThrownBy(() -> workspace.upload(awsRequest(unknown, "success")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a version podvm cannot drive").hasMessageContaining("0.4.0");
        Path oldDir = Files.createDirectories(dir.resolve("old"));
        FakeUplosi old = FakeUplosi.create(oldDir, FakeUplosi.Form.IMAGE_ARGUMENT);
        assertThatThrownBy(() -> workspace.upload(old.configure(UploadRequest.builder().image("system.raw")
                .provider("openstack").name("podvm").imageVersion("1.0.0").set("openstack.cloud=podvm-test")
                .credentials(UploadFixtures.openstack()), "success")))
                .hasMessageContaining("predates the 'upload' command").hasMessageContaining("OpenStack");
        assertThat(unknown.uploadStarted()).isFalse();
        assertThat(old.uploadStarted()).isFalse();
    }

    @Test
    void machineCredentialsAreUsedWhenTheRequestHasNone() throws Exception {
        FakeUplosi fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
        Path key = workspace.dir().resolve("key.json");
        Files.writeString(key, UploadFixtures.gcpJson());
        Map<String, String> machine = Map.of("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
        UploadResult result = new Uploader(workspace.log().log(), workspace.dir(), machine)
                .upload(gcpRequest(fake, "success").credentials(ProviderCredentials.none()).build());
        assertThat(result.refs()).containsExactly(FakeUplosi.REF);
        assertThat(workspace.log().text()).doesNotContain(UploadFixtures.secrets());
    }
}
