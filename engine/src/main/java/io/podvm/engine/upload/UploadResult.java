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
 */
public record UploadResult(List<String> refs, String provider, String version, String nextVersion, double seconds)
        implements Serializable {

    public UploadResult {
        refs = List.copyOf(refs);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("refs", refs);
        map.put("provider", provider);
        map.put("version", version);
        map.put("nextVersion", nextVersion);
        map.put("seconds", seconds);
        return map;
    }
}
