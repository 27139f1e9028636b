package io.podvm.engine.mkosi;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an image build produced; {@link #toMap()} is the CLI's JSON and the step's return value.
 * {@code root} is the bundled definition's root file system (ext4, verity), null for a user's tree (its own
 * mkosi.repart/ decides). {@code contentKey} is described in {@link ImageContent} (written beside the image as NAME.podvm.json).
 */
public record ImageResult(String image, String qcow2, String sha256, long sizeBytes, String manifest,
        int packageCount, String mkosiVersion, String variant, String distribution, String root, double seconds,
        String contentKey, boolean incremental, ReproducibleInputs inputs, ReproducibilityCheck.Report check)
        implements Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("image", image);
        map.put("qcow2", qcow2);
        map.put("sha256", sha256);
        map.put("sizeBytes", sizeBytes);
        map.put("manifest", manifest);
        map.put("packageCount", packageCount);
        map.put("mkosiVersion", mkosiVersion);
        map.put("variant", variant);
        map.put("distribution", distribution);
        map.put("root", root);
        map.put("seconds", seconds);
        map.put("contentKey", contentKey);
        map.put("incremental", incremental);
        if (inputs != null) {
            map.put("sourceDateEpoch", inputs.sourceDateEpoch());
            map.put("sourceDateEpochFrom", inputs.epochOrigin());
            map.put("seed", inputs.seed());
        }
        if (check != null) {
            check.addTo(map);
        }
        return map;
    }

    /** The same result with the reproducibility check's findings. */
    ImageResult withCheck(ReproducibilityCheck.Report report) {
        return new ImageResult(image, qcow2, sha256, sizeBytes, manifest, packageCount, mkosiVersion, variant,
                distribution, root, seconds, contentKey, incremental, inputs, report);
    }
}
