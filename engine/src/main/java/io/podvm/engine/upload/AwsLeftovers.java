package io.podvm.engine.upload;

import io.podvm.engine.log.BuildLog;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Removes what a failed or aborted AWS upload left in S3, which uplosi 0.4.0 cannot: on SIGINT it cancels its
 * context and then aborts the multipart upload with that cancelled context (the call fails at once), on
 * SIGTERM or SIGKILL it just ends, and it never removes a bucket. podvm, with the same credentials and
 * endpoint, aborts every incomplete multipart upload of the blob's key (uplosi owns that name: it deletes
 * whatever holds it before each upload), deletes the blob, and deletes the bucket when this run created it
 * and it is empty. What it cannot remove, it names, with the commands that remove it.
 */
final class AwsLeftovers {
    /** The whole clean-up fits in the time an abort is given; each call gets at most CALL. */
    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static final Duration CALL = Duration.ofSeconds(4);

    private final BuildLog log;
    private final Map<String, String> env;
    private final Function<String, String> regionOfVariant;
    private final Map<String, S3Client> clients = new HashMap<>();
    private final List<String> left = new ArrayList<>();
    private long deadline;

    /**
     * @param env             uplosi's environment: credentials, AWS_REGION, AWS_ENDPOINT_URL, proxies
     * @param regionOfVariant the aws.region of a variant ("" for none), as uplosi used it
     */
    AwsLeftovers(BuildLog log, Map<String, String> env, Function<String, String> regionOfVariant) {
        this.log = log;
        this.env = Map.copyOf(env);
        this.regionOfVariant = regionOfVariant;
    }

    /** Cleans up after {@code what} ("the aborted upload", "the failed upload"); never throws. */
    void cleanUp(AwsUploadTrace trace, String what) {
        trace.ec2Steps().forEach(step -> left.add(ec2Leftover(step)));
        if (trace.blobs().isEmpty() && trace.createdBuckets().isEmpty()) {
            reportLeft(what);
            return;
        }
        boolean interrupted = Thread.interrupted(); // the SDK refuses to work on an interrupted thread
        deadline = System.nanoTime() + BUDGET.toNanos();
        try {
            for (AwsUploadTrace.Blob blob : trace.blobs()) {
                removeBlob(blob, what);
            }
            trace.createdBuckets().forEach((bucket, variant) -> removeBucket(bucket, variant, what));
            reportLeft(what);
        } finally {
            clients.values().forEach(S3Client::close);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After a successful upload: aborts incomplete multipart uploads of the same key that an earlier upload left
     * when it was killed (kill -9 leaves podvm no time to clean up; that run did not bump the version, so this
     * run used the same key). Never throws; what it cannot check is named.
     */
    void abortStaleUploads(AwsUploadTrace trace) {
        boolean interrupted = Thread.interrupted();
        deadline = System.nanoTime() + BUDGET.toNanos();
        try {
            for (AwsUploadTrace.Blob blob : trace.blobs()) {
                String where = "s3://" + blob.bucket() + "/" + blob.key();
                try {
                    S3Client s3 = client(regionOfVariant.apply(blob.variant()));
                    for (MultipartUpload upload : incompleteUploads(s3, blob.bucket(), blob.key())) {
                        s3.abortMultipartUpload(b -> b.bucket(blob.bucket()).key(blob.key())
                                .uploadId(upload.uploadId()));
                        log.info("Aborted the incomplete multipart upload " + upload.uploadId() + " of " + where
                                + " that an earlier, stopped upload had left.");
                    }
                } catch (SdkException | IllegalStateException e) {
                    log.warn("Could not check " + where + " for incomplete multipart uploads that an earlier, stopped"
                            + " upload may have left (" + reason(e) + "); list them with: aws s3api"
                            + " list-multipart-uploads --bucket " + blob.bucket() + " --prefix " + blob.key() + ".");
                }
            }
        } finally {
            clients.values().forEach(S3Client::close);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void removeBlob(AwsUploadTrace.Blob blob, String what) {
        String region = regionOfVariant.apply(blob.variant());
        String where = "s3://" + blob.bucket() + "/" + blob.key();
        try {
            S3Client s3 = client(region);
            for (MultipartUpload upload : incompleteUploads(s3, blob.bucket(), blob.key())) {
                s3.abortMultipartUpload(b -> b.bucket(blob.bucket()).key(blob.key()).uploadId(upload.uploadId()));
                log.info("Aborted the incomplete multipart upload " + upload.uploadId() + " of " + where + " that "
                        + what + " left.");
            }
            if (s3.listObjectsV2(b -> b.bucket(blob.bucket()).prefix(blob.key()).maxKeys(1)).contents().stream()
                    .anyMatch(o -> o.key().equals(blob.key()))) {
                s3.deleteObject(b -> b.bucket(blob.bucket()).key(blob.key()));
                log.info("Deleted uplosi's temporary blob " + where + ".");
            }
        } catch (NoSuchBucketException gone) {
            // Nothing was created under that name.
        } catch (SdkException | IllegalStateException e) {
            left.add("incomplete multipart uploads or the blob of " + where + " (region " + region + "; could not"
                    + " check: " + reason(e) + "); list them with: aws s3api list-multipart-uploads --bucket "
                    + blob.bucket() + " --prefix " + blob.key() + ", abort each with: aws s3api"
                    + " abort-multipart-upload --bucket " + blob.bucket() + " --key " + blob.key()
                    + " --upload-id ID, and delete the blob with: aws s3 rm " + where);
        }
    }

    private List<MultipartUpload> incompleteUploads(S3Client s3, String bucket, String key) {
        List<MultipartUpload> found = new ArrayList<>();
        s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(key)).uploads().forEach(upload -> {
            if (upload.key().equals(key)) {
                found.add(upload);
            }
        });
        return found;
    }

    private void removeBucket(String bucket, String variant, String what) {
        String region = regionOfVariant.apply(variant);
        try {
            S3Client s3 = client(region);
            boolean empty = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1)).contents().isEmpty()
                    && s3.listMultipartUploads(b -> b.bucket(bucket).maxUploads(1)).uploads().isEmpty();
            if (!empty) {
                log.info("Kept the bucket " + bucket + " that " + what + " created: it holds other objects.");
                return;
            }
            s3.deleteBucket(b -> b.bucket(bucket));
            log.info("Deleted the bucket " + bucket + " (region " + region + "), which " + what + " had created.");
        } catch (NoSuchBucketException gone) {
            // uplosi was stopped before it created the bucket.
        } catch (SdkException | IllegalStateException e) {
            left.add("the bucket " + bucket + " (region " + region + "), which " + what + " created (could not"
                    + " remove it: " + reason(e) + "); remove it when empty with: aws s3api delete-bucket --bucket "
                    + bucket + " --region " + region);
        }
    }

    /**
     * podvm has no EC2 client; it names what uplosi made there. uplosi's next upload of the same name and version
     * deletes an AMI of that name with its snapshot, but not a snapshot that was never tagged (tags come last).
     */
    private String ec2Leftover(AwsUploadTrace.Ec2Step step) {
        String region = step.region() != null ? step.region() : regionOfVariant.apply(step.variant());
        return switch (step.kind()) {
            case SNAPSHOT -> "the EBS snapshot that EC2 imports from the blob, description " + step.name() + " (region "
                    + region + "; uplosi's next upload does not remove it if it has no AMI yet); find it with: aws"
                    + " ec2 describe-snapshots --region " + region + " --owner-ids self --filters Name=description,Values="
                    + step.name() + ", remove it with: aws ec2 delete-snapshot --region " + region + " --snapshot-id ID";
            case IMAGE -> "the AMI " + step.name() + " (region " + region + ") and its snapshot; uplosi's next upload"
                    + " of this name and version replaces them, or remove them with: aws ec2 deregister-image --region "
                    + region + " --image-id " + step.name() + ", then aws ec2 delete-snapshot --region " + region
                    + " --snapshot-id ID (from aws ec2 describe-images --image-ids " + step.name() + ")";
            case COPY -> "possibly a copy of the AMI " + step.name() + " in " + region + "; find it with: aws ec2"
                    + " describe-images --region " + region + " --owners self --filters Name=name,Values=" + step.name();
        };
    }

    private void reportLeft(String what) {
        if (!left.isEmpty()) {
            log.warn("Left in AWS after " + what + ": " + String.join("; ", left) + ".");
        }
    }

    private S3Client client(String region) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new IllegalStateException("no time left for the clean-up (" + BUDGET.toSeconds() + " s)");
        }
        Duration timeout = Duration.ofNanos(Math.min(remaining, CALL.toNanos()));
        return clients.computeIfAbsent(region, r -> {
            var builder = S3Client.builder().region(Region.of(r)).credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(CALL).socketTimeout(CALL).build())
                    .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout)
                            .apiCallAttemptTimeout(timeout).build());
            String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
            if (endpoint != null && !endpoint.isBlank()) {
                // An emulator or a private endpoint: buckets in the path, as uplosi's SDK does for them.
                builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
            }
            return builder.build();
        });
    }

    /** The credentials uplosi was given: keys, else a profile, else the SDK's defaults. */
    private AwsCredentialsProvider credentials() {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
        }
        if (env.get("AWS_PROFILE") != null) {
            return ProfileCredentialsProvider.create(env.get("AWS_PROFILE"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String reason(Exception e) {
        String message = e instanceof S3Exception s3 && s3.awsErrorDetails() != null
                ? s3.awsErrorDetails().errorCode() + " " + s3.awsErrorDetails().errorMessage() : e.getMessage();
        String line = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
