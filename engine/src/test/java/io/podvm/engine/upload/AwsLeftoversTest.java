package io.podvm.engine.upload;

import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When S3 cannot be reached after an abort, podvm names exactly what may be left and how to remove it. */
class AwsLeftoversTest {
    @Test
    void whatCannotBeRemovedIsNamedWithTheCommandsThatRemoveIt() {
        AwsUploadTrace trace = new AwsUploadTrace();
        for (String line : new String[] {
                "2026/01/01 00:00:00 Uploading image to AWS account 123456789012",
                "2026/01/01 00:00:00 Bucket podvm-images doesn't exist. Nothing to clean up.",
                "2026/01/01 00:00:00 Bucket podvm-images doesn't exist. Creating.",
                "2026/01/01 00:00:00 Uploading os image as temporary blob podvm-1.0.0.raw"}) {
            trace.line(line);
        }
        TestLogs.Captured log = new TestLogs.Captured();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID, "AWS_SECRET_ACCESS_KEY",
                UploadFixtures.AWS_SECRET, "AWS_ENDPOINT_URL", "http://127.0.0.1:" + UploadFixtures.refusedPort());
        long start = System.nanoTime();

        new AwsLeftovers(log.log(), env, variant -> "eu-west-1").cleanUp(trace, "the aborted upload");

        assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(15);
        assertThat(log.text()).contains("[podvm] WARNING: Left in AWS after the aborted upload:"
                + " incomplete multipart uploads or the blob of s3://podvm-images/podvm-1.0.0.raw (region eu-west-1;"
                + " could not check: ")
                .contains("list them with: aws s3api list-multipart-uploads --bucket podvm-images --prefix"
                        + " podvm-1.0.0.raw, abort each with: aws s3api abort-multipart-upload --bucket podvm-images"
                        + " --key podvm-1.0.0.raw --upload-id ID, and delete the blob with: aws s3 rm"
                        + " s3://podvm-images/podvm-1.0.0.raw")
                .contains("the bucket podvm-images (region eu-west-1), which the aborted upload created (could not"
                        + " remove it: ")
                .contains("remove it when empty with: aws s3api delete-bucket --bucket podvm-images --region"
                        + " eu-west-1");
        assertThat(log.text()).doesNotContain(UploadFixtures.AWS_SECRET);
    }

    @Test
    void snapshotsAndAmisThatUplosiMadeAreNamedWithTheCommandsThatRemoveThem() {
        AwsUploadTrace trace = new AwsUploadTrace();
        for (String line : new String[] {
                "2026/01/01 00:00:00 Importing podvm-1.0.0.raw as snapshot podvm-1.0.0",
                "2026/01/01 00:00:00 Waiting for snapshot podvm-1.0.0 to be ready",
                "2026/01/01 00:00:00 Creating image podvm-1.0.0 in us-east-1",
                "2026/01/01 00:00:00 Waiting for image ami-0123456789abcdef0 in us-east-1 to be created",
                "2026/01/01 00:00:00 Waiting for image ami-0123456789abcdef0 in us-east-1 to be created",
                "2026/01/01 00:00:00 Replicating image podvm-1.0.0 to eu-west-1"}) {
            trace.line(line);
        }
        TestLogs.Captured log = new TestLogs.Captured();
        new AwsLeftovers(log.log(), Map.of(), variant -> "us-east-1").cleanUp(trace, "the aborted upload");
        assertThat(log.text()).startsWith("[podvm] WARNING: Left in AWS after the aborted upload: the EBS snapshot"
                + " that EC2 imports from the blob, description podvm-1.0.0 (region us-east-1;")
                .contains("aws ec2 describe-snapshots --region us-east-1 --owner-ids self --filters"
                        + " Name=description,Values=podvm-1.0.0")
                .contains("; the AMI ami-0123456789abcdef0 (region us-east-1) and its snapshot;")
                .contains("aws ec2 deregister-image --region us-east-1 --image-id ami-0123456789abcdef0")
                .contains("; possibly a copy of the AMI podvm-1.0.0 in eu-west-1;");
        assertThat(log.text().split("ami-0123456789abcdef0 \\(region")).hasSize(2);
    }

    @Test
    void nothingIsCalledWhenUplosiStoppedBeforeItsBucketAndBlob() {
        AwsUploadTrace trace = new AwsUploadTrace();
        trace.line("2026/01/01 00:00:00 Uploading image to AWS account 123456789012");
        TestLogs.Captured log = new TestLogs.Captured();
        new AwsLeftovers(log.log(), Map.of(), variant -> "us-east-1").cleanUp(trace, "the failed upload");
        assertThat(log.text()).isEmpty();
    }
}
