package io.podvm.engine.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;
import io.podvm.engine.mkosi.ImageContent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What changed between two images: packages added, removed and changed (from mkosi's manifests), and the
 * binaries tree's files when both images carry podvm's NAME.podvm.json beside their manifests.
 *
 * @param binaries null when either image has no binaries listing
 */
public record ImageDiff(List<Package> added, List<Package> removed, List<Change> changed, TreeChanges binaries) {
    /** A package of a manifest; architecture tells multi-arch copies apart. */
    public record Package(String name, String version, String architecture) {
        String key() {
            return name + ":" + architecture;
        }
    }

    /** A package whose version differs. */
    public record Change(String name, String architecture, String oldVersion, String newVersion) {
    }

    /** Paths of the binaries tree added, removed, or changed (content, mode, kind or link target). */
    public record TreeChanges(List<String> added, List<String> removed, List<String> changed) {
        public boolean nothingChanged() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** Compares two manifests; each argument's field name goes into the error sentence. */
    public static ImageDiff of(Path oldManifest, Path newManifest) {
        return of(oldManifest, "OLD", newManifest, "NEW");
    }

    /** Compares two manifests; the field names are the CLI's arguments or the step's parameters. */
    static ImageDiff of(Path oldManifest, String oldField, Path newManifest, String newField) {
        Map<String, Package> before = packages(oldManifest, oldField);
        Map<String, Package> after = packages(newManifest, newField);
        List<Package> added = new ArrayList<>();
        List<Package> removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        after.forEach((key, p) -> {
            Package old = before.get(key);
            if (old == null) {
                added.add(p);
            } else if (!old.version().equals(p.version())) {
                changed.add(new Change(p.name(), p.architecture(), old.version(), p.version()));
            }
        });
        before.forEach((key, p) -> {
            if (!after.containsKey(key)) {
                removed.add(p);
            }
        });
        return new ImageDiff(added, removed, changed, binaries(oldManifest, newManifest));
    }

    public int packageChanges() {
        return added.size() + removed.size() + changed.size();
    }

    /** One line for a build description: "3 packages changed: +jq 1.6, ~libc6 2.36-9 -> 2.36-10, ..." */
    public String summary(int first) {
        List<String> items = new ArrayList<>();
        added.forEach(p -> items.add("+" + p.name() + " " + p.version()));
        removed.forEach(p -> items.add("-" + p.name() + " " + p.version()));
        changed.forEach(c -> items.add("~" + c.name() + " " + c.oldVersion() + " -> " + c.newVersion()));
        int n = packageChanges();
        StringBuilder s = new StringBuilder(n + (n == 1 ? " package changed" : " packages changed"));
        if (n > 0) {
            s.append(": ").append(String.join(", ", items.subList(0, Math.min(first, n))));
            if (n > first) {
                s.append(", ...");
            }
        }
        if (binaries != null && !binaries.nothingChanged()) {
            s.append("; binaries tree: ").append(binaries.added().size()).append(" added, ")
                    .append(binaries.removed().size()).append(" removed, ").append(binaries.changed().size())
                    .append(" changed");
        }
        return s.toString();
    }

    /** The diff for {@code podvm diff --json} and the pipeline's archived file. */
    public Map<String, Object> toMap() {
        Map<String, Object> packages = new LinkedHashMap<>();
        packages.put("added", added.stream().map(ImageDiff::packageMap).toList());
        packages.put("removed", removed.stream().map(ImageDiff::packageMap).toList());
        packages.put("changed", changed.stream().map(ImageDiff::changeMap).toList());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("summary", summary(5));
        map.put("packageChanges", packageChanges());
        map.put("packages", packages);
        map.put("binaries", binaries == null ? null : binariesMap(binaries));
        return map;
    }

    // Maps and lists rather than the records: the Jenkins step hands this map to Pipeline, which accepts
    // only plain JDK values; the JSON is the same as the records'.
    private static Map<String, Object> packageMap(Package p) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", p.name());
        map.put("version", p.version());
        map.put("architecture", p.architecture());
        return map;
    }

    private static Map<String, Object> changeMap(Change c) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", c.name());
        map.put("architecture", c.architecture());
        map.put("oldVersion", c.oldVersion());
        map.put("newVersion", c.newVersion());
        return map;
    }

    private static Map<String, Object> binariesMap(TreeChanges t) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("added", t.added());
        map.put("removed", t.removed());
        map.put("changed", t.changed());
        return map;
    }

    /** The lines {@code podvm diff} prints. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(summary(5));
        added.forEach(p -> lines.add("+ " + p.name() + " " + p.version() + " " + p.architecture()));
        removed.forEach(p -> lines.add("- " + p.name() + " " + p.version() + " " + p.architecture()));
        changed.forEach(c -> lines.add("~ " + c.name() + " " + c.oldVersion() + " -> " + c.newVersion() + " " + c.architecture()));
        if (binaries == null) {
            lines.add("binaries tree: not compared (" + ImageContent.SUFFIX + " is missing beside a manifest)");
        } else {
            lines.add("binaries tree: " + (binaries.nothingChanged() ? "unchanged" : binaries.added().size() + " added, "
                    + binaries.removed().size() + " removed, " + binaries.changed().size() + " changed"));
            binaries.added().forEach(p -> lines.add("+ /" + p));
            binaries.removed().forEach(p -> lines.add("- /" + p));
            binaries.changed().forEach(p -> lines.add("~ /" + p));
        }
        return lines;
    }

    private static Map<String, Package> packages(Path manifest, String field) {
        JsonNode json;
        try {
            json = Json.read(manifest);
        } catch (IOException e) {
            throw InvalidRequestException.of(field, manifest, Files.exists(manifest)
                    ? "it is not JSON (" + e.getClass().getSimpleName() + "); give mkosi's manifest, e.g. build/system.manifest"
                    : "no such file; give mkosi's manifest, e.g. build/system.manifest");
        }
        if (!json.path("packages").isArray()) {
            throw InvalidRequestException.of(field, manifest, "it has no 'packages' list; give mkosi's manifest,"
                    + " e.g. build/system.manifest (ManifestFormat=json)");
        }
        Map<String, Package> packages = new TreeMap<>();
        for (JsonNode p : json.path("packages")) {
            Package pkg = new Package(p.path("name").asText(), p.path("version").asText(), p.path("architecture").asText());
            packages.put(pkg.key(), pkg);
        }
        return packages;
    }

    private static TreeChanges binaries(Path oldManifest, Path newManifest) {
        Optional<ImageContent> before = read(oldManifest);
        Optional<ImageContent> after = read(newManifest);
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        Map<String, String> was = before.get().binaries().entries();
        Map<String, String> is = after.get().binaries().entries();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        is.forEach((path, what) -> {
            if (!was.containsKey(path)) {
                added.add(path);
            } else if (!was.get(path).equals(what)) {
                changed.add(path);
            }
        });
        List<String> removed = was.keySet().stream().filter(p -> !is.containsKey(p)).toList();
        return new TreeChanges(added, removed, changed);
    }

    private static Optional<ImageContent> read(Path manifest) {
        try {
            return ImageContent.readFor(manifest);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
