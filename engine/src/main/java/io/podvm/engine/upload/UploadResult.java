package io.podvm.engine.upload;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an upload produced; {@link #toMap()} is the CLI's JSON and the step's return value.
 *
 * @param refs the image references uplosi printed (AMI ARNs, Azure image version IDs, ...)
 * @param version the version uploaded
 * @param nextVersion the version the version file now holds, or null without --increment-version
 * @param skipped true when the image was unchanged (skipIfUnchanged) and the recorded refs are returned
 */
public record UploadResult(List<String> refs, String provider, String version, String nextVersion, double seconds,
        boolean skipped) implements Serializable {

    public UploadResult {
        refs = List.copyOf(refs);
    }

    public UploadResult(List<String> refs, String provider, String version, String nextVersion, double seconds) {
        this(refs, provider, version, nextVersion, seconds, false);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("refs", refs);
        map.put("provider", provider);
        map.put("version", version);
        map.put("nextVersion", nextVersion);
        map.put("seconds", seconds);
        map.put("skipped", skipped);
        return map;
    }
}
