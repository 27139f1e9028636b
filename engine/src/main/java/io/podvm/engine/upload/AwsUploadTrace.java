package io.podvm.engine.upload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What uplosi's AWS uploader has done so far, read from its log as it runs: the lines of uplosi 0.4.0's
 * aws/uploader.go and upload.go. They name the real bucket and blob (after uplosi's templates), which podvm
 * needs to clean up after a failure or an abort.
 */
final class AwsUploadTrace {
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} ");
    private static final Pattern VARIANT = Pattern.compile("Uploading variant (\\S+)");
    private static final Pattern BUCKET = Pattern.compile("Bucket (\\S+) (?:exists|doesn't exist\\.)");
    private static final Pattern CREATING_BUCKET = Pattern.compile("Bucket (\\S+) doesn't exist\\. Creating\\.");
    private static final Pattern BLOB = Pattern.compile("Uploading os image as temporary blob (\\S+)");
    private static final Pattern SNAPSHOT = Pattern.compile("Importing (\\S+) as snapshot (\\S+)");
    private static final Pattern IMAGE = Pattern.compile("Creating image (\\S+) in (\\S+)");
    private static final Pattern REPLICA = Pattern.compile("Replicating image (\\S+) to (\\S+)");

    /** A blob uplosi started to upload: the variant ("" for none), its bucket and key. */
    record Blob(String variant, String bucket, String key) {
    }

    /** A snapshot import or an AMI that uplosi started, as a sentence naming it. */
    record Ec2Step(String variant, String description) {
    }

    private String variant = "";
    private String bucket;
    /** Bucket name to the variant whose upload created it. */
    private final Map<String, String> createdBuckets = new LinkedHashMap<>();
    private final List<Blob> blobs = new ArrayList<>();
    private final List<Ec2Step> ec2Steps = new ArrayList<>();

    /** One line of uplosi's stderr. */
    synchronized void line(String line) {
        String message = TIMESTAMP.matcher(line).replaceFirst("").strip();
        Matcher m;
        if ((m = VARIANT.matcher(message)).matches()) {
            variant = m.group(1);
        } else if ((m = CREATING_BUCKET.matcher(message)).matches()) {
            bucket = m.group(1);
            createdBuckets.putIfAbsent(bucket, variant);
        } else if ((m = BUCKET.matcher(message)).lookingAt()) {
            bucket = m.group(1);
        } else if ((m = BLOB.matcher(message)).matches() && bucket != null) {
            blobs.add(new Blob(variant, bucket, m.group(1)));
        } else if ((m = SNAPSHOT.matcher(message)).matches()) {
            ec2Steps.add(new Ec2Step(variant, "an EBS snapshot imported from " + m.group(1) + " (description "
                    + m.group(2) + ")"));
        } else if ((m = IMAGE.matcher(message)).matches()) {
            ec2Steps.add(new Ec2Step(variant, "the AMI " + m.group(1) + " in " + m.group(2)));
        } else if ((m = REPLICA.matcher(message)).matches()) {
            ec2Steps.add(new Ec2Step(variant, "a copy of the AMI " + m.group(1) + " in " + m.group(2)));
        }
    }

    synchronized List<Blob> blobs() {
        return List.copyOf(blobs);
    }

    /** Buckets that uplosi said it was creating in this run, each with its variant ("" for none). */
    synchronized Map<String, String> createdBuckets() {
        return new LinkedHashMap<>(createdBuckets);
    }

    synchronized List<Ec2Step> ec2Steps() {
        return List.copyOf(ec2Steps);
    }
}
