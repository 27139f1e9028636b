package io.podvm.library;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default answers of the podvm* step stand-ins: maps with the fields the real steps return, made
 * from the arguments so that tests can see which value went where (an image built with outputDir 'out'
 * is at WORKSPACE/out/system.raw; a debug build's result says debug).
 */
final class StepAnswers {

    static final String IMAGE_SHA256 = "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    private StepAnswers() {
    }

    static void install(Recorder recorder, Map<String, String> files) {
        recorder.whenCalled("podvmBinaries", args -> binaries());
        recorder.whenCalled("podvmMkosi", args -> image(map(args)));
        recorder.whenCalled("podvmUpload", args -> upload(map(args), files));
        recorder.whenCalled("podvmDiff", args -> diff(List.of(), List.of(), List.of()));
        recorder.whenCalled("podvmBoot", args -> boot(map(args)));
        recorder.whenCalled("podvmMeasure", args -> measure(map(args)));
    }

    static final String PCR11 = "66a68b2f414720df41ac3555241504b762d17fdcd302cc8380abb1e596ea7f94";

    static Map<String, Object> boot(Map<String, Object> args) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("booted", true);
        result.put("secondsToLogin", 72.1);
        result.put("failedUnits", List.of());
        result.put("services", Map.of());
        result.put("pcrs", Map.of("11", PCR11));
        result.put("console", String.valueOf(args.get("image")).replace(".raw", ".console.log"));
        result.put("eventLog", null);
        result.put("accel", "tcg");
        result.put("seconds", 80.4);
        return result;
    }

    static Map<String, Object> measure(Map<String, Object> args) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", args.get("image"));
        result.put("pcrs", Map.of("4", "59e4", "11", PCR11, "12", "0".repeat(64), "13", "0".repeat(64)));
        result.put("uki", "b75e");
        result.put("output", args.get("output"));
        result.put("seconds", 1.4);
        return result;
    }

    static Map<String, Object> binaries() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tree", Pipeline.WORKSPACE + "/podvm-binaries");
        result.put("files", 14);
        result.put("bytes", 91_234_567L);
        result.put("digest", "sha256:0b1f");
        result.put("symlinks", List.of());
        result.put("seconds", 61.5);
        return result;
    }

    static Map<String, Object> image(Map<String, Object> args) {
        String dir = Pipeline.WORKSPACE + "/" + args.getOrDefault("outputDir", "build");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", dir + "/system.raw");
        result.put("qcow2", Boolean.TRUE.equals(args.get("qcow2")) ? dir + "/system.qcow2" : null);
        result.put("sha256", IMAGE_SHA256);
        result.put("sizeBytes", 1_073_741_824L);
        result.put("manifest", dir + "/system.manifest");
        result.put("packageCount", 312);
        result.put("mkosiVersion", "24.3");
        result.put("variant", args.getOrDefault("variant", "production"));
        result.put("distribution", args.getOrDefault("distribution", "debian"));
        result.put("seconds", 118.2);
        return result;
    }

    /**
     * As the engine with skipIfUnchanged (the image's content key is always the same here): an existing state
     * file means skipped, with the recorded refs; otherwise the upload runs and the state file is written.
     */
    static Map<String, Object> upload(Map<String, Object> args, Map<String, String> files) {
        Map<String, Object> result = upload(args);
        Object state = args.get("skipIfUnchanged");
        result.put("skipped", state != null && files.containsKey(state.toString()));
        if (state != null && !files.containsKey(state.toString())) {
            files.put(state.toString(), "{\"" + args.get("provider") + "\":{\"contentKey\":\"sha256:c0ffee\",\"refs\":"
                    + "[\"" + args.get("provider") + "-image-0.1.0\"]}}\n");
        }
        return result;
    }

    /** podvmDiff's map: the summary as the engine writes it for the changes given (+name version, ~name old -> new). */
    static Map<String, Object> diff(List<String> added, List<String> removed, List<List<String>> changed) {
        List<String> items = new java.util.ArrayList<>();
        added.forEach(p -> items.add("+" + p));
        removed.forEach(p -> items.add("-" + p));
        changed.forEach(c -> items.add("~" + c.get(0) + " " + c.get(1) + " -> " + c.get(2)));
        int n = items.size();
        String summary = n + (n == 1 ? " package changed" : " packages changed")
                + (n == 0 ? "" : ": " + String.join(", ", items.subList(0, Math.min(5, n))) + (n > 5 ? ", ..." : ""));
        Map<String, Object> packages = new LinkedHashMap<>();
        packages.put("added", added);
        packages.put("removed", removed);
        packages.put("changed", changed);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("summary", summary);
        result.put("packageChanges", n);
        result.put("packages", packages);
        result.put("binaries", null);
        return result;
    }

    static Map<String, Object> upload(Map<String, Object> args) {
        String provider = String.valueOf(args.get("provider"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("refs", List.of(provider + "-image-0.1.0"));
        result.put("provider", provider);
        result.put("version", "0.1.0");
        result.put("nextVersion", Boolean.TRUE.equals(args.get("incrementVersion")) ? "0.1.1" : null);
        result.put("seconds", 42.0);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object args) {
        return (Map<String, Object>) args;
    }
}
