package io.podvm.engine.boot;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a boot showed; {@link #toMap()} is the CLI's JSON and the step's return value.
 *
 * @param secondsToLogin from QEMU's start to the login prompt (or the autologin shell), null if never reached
 * @param failedUnits units in a failed state (from {@code systemctl --failed}, or the console's FAILED lines)
 * @param services each podvm service present in the image and its state, when the image logs in by itself
 * @param pcrs PCR index to SHA-256 (hex) as the TPM held them after the boot, when they could be read
 * @param eventLog the TPM event log copied out of the guest, or null
 */
public record BootResult(boolean booted, Double secondsToLogin, List<String> failedUnits,
        Map<String, String> services, Map<Integer, String> pcrs, String console, String eventLog, String accel,
        double seconds) implements Serializable {

    public BootResult {
        failedUnits = List.copyOf(failedUnits);
        services = Map.copyOf(new LinkedHashMap<>(services));
        pcrs = Map.copyOf(pcrs);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("booted", booted);
        map.put("secondsToLogin", secondsToLogin);
        map.put("failedUnits", failedUnits);
        map.put("services", new java.util.TreeMap<>(services));
        Map<String, Object> sorted = new LinkedHashMap<>();
        pcrs.keySet().stream().sorted().forEach(i -> sorted.put(String.valueOf(i), pcrs.get(i)));
        map.put("pcrs", sorted);
        map.put("console", console);
        map.put("eventLog", eventLog);
        map.put("accel", accel);
        map.put("seconds", seconds);
        return map;
    }
}
