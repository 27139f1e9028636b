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
    /** Logged once EC2 accepted the import: the snapshot will exist even if uplosi is stopped now. */
    private static final Pattern SNAPSHOT = Pattern.compile("Waiting for snapshot (\\S+) to be ready");
    /** Logged once RegisterImage or CopyImage returned the AMI's id. */
    private static final Pattern IMAGE = Pattern.compile("Waiting for image (ami-\\S+) in (\\S+) to be created");
    private static final Pattern REPLICA = Pattern.compile("Replicating image (\\S+) to (\\S+)");

    /** A blob uplosi started to upload: the variant ("" for none), its bucket and key. */
    record Blob(String variant, String bucket, String key) {
    }

    /** What an EC2 step of uplosi made: a snapshot, an AMI or an AMI copy, by name or id, and its region. */
    record Ec2Step(String variant, Kind kind, String name, String region) {
        enum Kind { SNAPSHOT, IMAGE, COPY }
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
            add(new Ec2Step(variant, Ec2Step.Kind.SNAPSHOT, m.group(1), null));
        } else if ((m = IMAGE.matcher(message)).matches()) {
            String region = m.group(2);
            ec2Steps.removeIf(s -> s.kind() == Ec2Step.Kind.COPY && s.region().equals(region));
            add(new Ec2Step(variant, Ec2Step.Kind.IMAGE, m.group(1), region));
        } else if ((m = REPLICA.matcher(message)).matches()) {
            add(new Ec2Step(variant, Ec2Step.Kind.COPY, m.group(1), m.group(2)));
        }
    }

    private void add(Ec2Step step) {
        if (!ec2Steps.contains(step)) {
            ec2Steps.add(step);
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
