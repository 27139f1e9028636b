package io.podvm.engine.measure;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference values of an image: {@code pcrs} (index to SHA-256 hex) as a TPM holds them once the image has
 * booted to its login prompt under OVMF, {@code uki} (SHA-256 of the UKI file), and {@code events}: what
 * went into each predicted PCR, in order, for an attestation service or a person comparing event logs.
 */
public record MeasureResult(String image, Map<Integer, String> pcrs, String uki, String ukiAuthenticode,
        String stub, Map<Integer, List<Map<String, String>>> events, String output, double seconds)
        implements Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("image", image);
        Map<String, Object> values = new LinkedHashMap<>();
        pcrs.forEach((index, value) -> values.put(String.valueOf(index), value));
        map.put("pcrs", values);
        map.put("uki", uki);
        map.put("ukiAuthenticode", ukiAuthenticode);
        map.put("stub", stub);
        Map<String, Object> what = new LinkedHashMap<>();
        events.forEach((index, list) -> what.put(String.valueOf(index), list));
        map.put("events", what);
        map.put("output", output);
        map.put("seconds", seconds);
        return map;
    }
}
