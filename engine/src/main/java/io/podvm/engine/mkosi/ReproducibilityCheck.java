package io.podvm.engine.mkosi;

import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict of {@code --check-reproducible}: the published image against a second one built from the same
 * request in its own fresh stage with the same package cache. On a difference it says where, down to files.
 */
final class ReproducibilityCheck {
    private final BuildLog log;

    ReproducibilityCheck(BuildLog log) {
        this.log = log;
    }

    /** One build of the check: its image (still in its stage), the image's digest and how long it took. */
    record Run(Path image, String sha256, double seconds) {
    }

    /** A build that leaves its image in a stage. */
    @FunctionalInterface
    interface Build {
        MkosiSummary run() throws IOException;
    }

    /** What the result JSON says about the check. */
    record Report(boolean reproducible, List<Map<String, Object>> runs, List<String> differences)
            implements Serializable {
        void addTo(Map<String, Object> map) {
            map.put("reproducible", reproducible);
            map.put("runs", runs);
            map.put("differences", differences);
        }
    }

    ImageResult compare(ImageResult published, double publishedSeconds, Run other, Path scratch) throws IOException {
        boolean same = published.sha256().equals(other.sha256());
        List<Map<String, Object>> runs = List.of(run(1, other.sha256(), other.seconds()),
                run(2, published.sha256(), publishedSeconds));
        log.info("Reproducibility check: build 1 " + other.sha256() + " (" + other.seconds() + " s), build 2 "
                + published.sha256() + " (" + publishedSeconds + " s): " + (same ? "identical." : "they differ."));
        List<String> differences = same ? List.of()
                : new ImageDifferences(log, scratch).between(other.image(), Path.of(published.image()));
        differences.forEach(d -> log.warn("differs: " + d));
        return published.withCheck(new Report(same, runs, differences));
    }

    private static Map<String, Object> run(int number, String sha256, double seconds) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("build", number);
        map.put("sha256", sha256);
        map.put("seconds", seconds);
        return map;
    }
}
