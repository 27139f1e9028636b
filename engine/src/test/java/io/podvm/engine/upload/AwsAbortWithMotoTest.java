package io.podvm.engine.upload;

import io.podvm.engine.AbortedException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real uplosi 0.4.0 on moto, stopped in the middle of its S3 multipart upload (a 2 GiB sparse image, so
 * that the SDK uploads it in parts), or failing after it created its bucket: afterwards moto holds no
 * incomplete multipart upload and no bucket that the run created, and a bucket that was there before stays.
 */
class AwsAbortWithMotoTest {
    private static final int IMAGE_MB = 2048;

    @TempDir
    Path dir;
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, IMAGE_MB, "0.1.0");
    }

    private UploadRequest.Builder request(MotoServer moto, String bucket) {
        return UploadRequest.builder().image("system.raw").provider("aws").name("podvm").imageVersion("1.0.0")
                .set("aws.bucket=" + bucket).credentials(UploadFixtures.aws())
                .environment("AWS_ENDPOINT_URL", moto.endpoint()).uplosi(UploadFixtures.realUplosi())
                .tempDir(workspace.temp().toString());
    }

    @Test
    void abortMidUploadLeavesNoMultipartUploadAndNoBucket() throws Exception {
        try (MotoServer moto = MotoServer.plain(dir); S3Client s3 = s3(moto)) {
            Throwable thrown = abortWhenUploading(s3, "podvm-abort", request(moto, "podvm-abort"));

            assertThat(thrown).isInstanceOf(AbortedException.class);
            assertThat(bucketNames(s3)).doesNotContain("podvm-abort");
            assertNoMultipartUploads(s3);
            assertThat(workspace.log().text()).contains("Aborted the incomplete multipart upload")
                    .contains("of s3://podvm-abort/podvm-1.0.0.raw that the aborted upload left")
                    .contains("Deleted the bucket podvm-abort (region us-east-1), which the aborted upload had"
                            + " created").doesNotContain("Left in AWS");
        }
        workspace.assertNoSecretsLeft();
    }

    @Test
    void aTimeoutMidUploadLeavesNoMultipartUploadAndNoBucket() throws Exception {
        try (MotoServer moto = MotoServer.plain(dir); S3Client s3 = s3(moto)) {
            // 2 GiB take moto about 30 s; the timeout ends uplosi in the middle of its multipart upload.
            assertThatThrownBy(() -> workspace.upload(request(moto, "podvm-timeout").timeout(Duration.ofSeconds(10))))
                    .isInstanceOf(PodvmException.class).isNotInstanceOf(AbortedException.class)
                    .hasMessageContaining("did not finish within 10 s");
            assertThat(bucketNames(s3)).doesNotContain("podvm-timeout");
            assertNoMultipartUploads(s3);
            assertThat(workspace.log().text()).contains("of s3://podvm-timeout/podvm-1.0.0.raw that the upload that"
                    + " timed out left").contains("Deleted the bucket podvm-timeout");
        }
    }

    @Test
    void abortMidUploadKeepsABucketThatWasThereBefore() throws Exception {
        try (MotoServer moto = MotoServer.plain(dir); S3Client s3 = s3(moto)) {
            s3.createBucket(b -> b.bucket("podvm-kept"));
            s3.putObject(b -> b.bucket("podvm-kept").key("other.txt"), RequestBody.fromString("someone's file"));

            Throwable thrown = abortWhenUploading(s3, "podvm-kept", request(moto, "podvm-kept"));

            assertThat(thrown).isInstanceOf(AbortedException.class);
            assertThat(bucketNames(s3)).contains("podvm-kept");
            assertThat(s3.listObjectsV2(b -> b.bucket("podvm-kept")).contents()).extracting(S3Object::key)
                    .containsExactly("other.txt");
            assertNoMultipartUploads(s3);
        }
    }

    @Test
    void aFailedUploadRemovesTheBucketItCreated() throws Exception {
        workspace = UploadWorkspace.create(dir.resolve("small"), 4, "0.1.0");
        try (MotoServer moto = MotoServer.plain(dir); S3Client s3 = s3(moto)) {
            // Plain moto has no ImportSnapshot: uplosi fails after its upload, deleting its blob, not its bucket.
            assertThatThrownBy(() -> workspace.upload(request(moto, "podvm-failed")))
                    .isInstanceOf(PodvmException.class).hasMessageContaining("'importing snapshot'");
            assertThat(bucketNames(s3)).doesNotContain("podvm-failed");
            assertThat(workspace.log().text()).contains("Deleted the bucket podvm-failed (region us-east-1), which"
                    + " the failed upload had created");
        }
    }

    @Test
    void theNextUploadOfTheSameVersionAbortsWhatAKilledOneLeft() throws Exception {
        workspace = UploadWorkspace.create(dir.resolve("small"), 4, "0.1.0");
        try (MotoServer moto = MotoServer.withVmImport(dir); S3Client s3 = s3(moto)) {
            // What a run killed with SIGKILL in the middle of its upload leaves: the bucket and an open upload.
            s3.createBucket(b -> b.bucket("podvm-killed"));
            String stale = s3.createMultipartUpload(b -> b.bucket("podvm-killed").key("podvm-1.0.0.raw")).uploadId();

            UploadResult result = workspace.upload(request(moto, "podvm-killed"));

            assertThat(result.refs()).hasSize(1);
            assertNoMultipartUploads(s3);
            assertThat(workspace.log().text()).contains("Aborted the incomplete multipart upload " + stale
                    + " of s3://podvm-killed/podvm-1.0.0.raw that an earlier, stopped upload had left.");
        }
    }

    @Test
    void sigintToTheCliMidUploadLeavesNothingInS3() throws Exception {
        try (MotoServer moto = MotoServer.plain(dir); S3Client s3 = s3(moto)) {
            CliProcess cli = CliProcess.start(workspace.dir(), List.of("-Djava.io.tmpdir=" + workspace.temp()),
                    awsEnvironment(moto), "upload", "system.raw", "--provider", "aws", "--name", "podvm",
                    "--image-version", "1.0.0", "--set", "aws.bucket=podvm-cli", "--uplosi",
                    UploadFixtures.realUplosi());
            await(() -> uploading(s3, "podvm-cli"), "a multipart upload in podvm-cli");
            new ProcessBuilder("kill", "-INT", "" + cli.process().pid()).start().waitFor();
            CliProcess.Result run = cli.await(2);

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(130);
            assertThat(run.stderr()).contains("Aborted the incomplete multipart upload")
                    .contains("Deleted the bucket podvm-cli");
            assertThat(bucketNames(s3)).doesNotContain("podvm-cli");
            assertNoMultipartUploads(s3);
            assertThat(run.stdout() + run.stderr()).doesNotContain(UploadFixtures.secrets());
        }
        assertThat(UploadFixtures.engineDirs(workspace.temp())).isEmpty();
    }

    /** Runs the upload in a thread and interrupts it once moto shows its multipart upload; what it threw. */
    private Throwable abortWhenUploading(S3Client s3, String bucket, UploadRequest.Builder request) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                workspace.upload(request);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        await(() -> uploading(s3, bucket) || !worker.isAlive(), "a multipart upload in " + bucket);
        assertThat(worker.isAlive()).as("uplosi still uploading; log:\n" + workspace.log().text()).isTrue();
        worker.interrupt();
        worker.join(60_000);
        assertThat(worker.isAlive()).isFalse();
        return thrown.get();
    }

    private static boolean uploading(S3Client s3, String bucket) {
        return bucketNames(s3).contains(bucket) && !s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 90 s for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> bucketNames(S3Client s3) {
        return s3.listBuckets().buckets().stream().map(Bucket::name).toList();
    }

    private static void assertNoMultipartUploads(S3Client s3) {
        for (String bucket : bucketNames(s3)) {
            assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).as("multipart uploads in " + bucket)
                    .isEmpty();
        }
    }

    private static S3Client s3(MotoServer moto) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(moto.endpoint()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(UploadFixtures.AWS_KEY_ID, "moto-accepts-any-secret")))
                .build();
    }

    private static Map<String, String> awsEnvironment(MotoServer moto) {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> k.startsWith("AWS_")).forEach(k -> env.put(k, null));
        env.put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        return env;
    }
}
