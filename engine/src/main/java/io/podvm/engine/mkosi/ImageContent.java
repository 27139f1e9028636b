package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.files.TreeListing;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What podvm knows an image holds, kept beside it as {@code <name>.podvm.json}: the content key and the
 * binaries tree, file by file. The content key stands in for the image's SHA-256 until builds are
 * reproducible: a digest of the manifest's package list (name, version, architecture), the binaries tree
 * and the staged configuration (the definition with the variant, root's keys and the extra packages). Two
 * builds of the same inputs have the same key although their images differ in timestamps.
 *
 * @param contentKey "sha256:...", or null when mkosi wrote no manifest (then nothing is known to be equal)
 * @param binaries   the binaries tree copied into the image
 */
public record ImageContent(String contentKey, TreeListing binaries) {
    public static final String SUFFIX = ".podvm.json";

    static ImageContent of(Path manifest, TreeListing binaries, TreeListing configuration) throws IOException {
        if (manifest == null) {
            return new ImageContent(null, binaries);
        }
        MessageDigest digest = Sha256.newDigest();
        for (String p : packages(Json.read(manifest))) {
            update(digest, "package " + p + "\n");
        }
        update(digest, "binaries " + binaries.digest() + "\n");
        update(digest, "configuration " + configuration.digest() + "\n");
        return new ImageContent("sha256:" + HexFormat.of().formatHex(digest.digest()), binaries);
    }

    /** "name version architecture" of every package of an mkosi manifest, sorted. */
    public static List<String> packages(JsonNode manifest) {
        List<String> packages = new ArrayList<>();
        for (JsonNode p : manifest.path("packages")) {
            packages.add(p.path("name").asText() + " " + p.path("version").asText() + " " + p.path("architecture").asText());
        }
        packages.sort(String::compareTo);
        return packages;
    }

    /** The file beside an image or manifest: build/system.raw and build/system.manifest give build/system.podvm.json. */
    public static Path fileFor(Path imageOrManifest) {
        String name = imageOrManifest.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return imageOrManifest.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + SUFFIX);
    }

    /** What {@link #write} wrote beside the image or manifest, if anything. */
    public static Optional<ImageContent> readFor(Path imageOrManifest) throws IOException {
        Path file = fileFor(imageOrManifest);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json = Json.read(file);
        Map<String, String> entries = new LinkedHashMap<>();
        json.path("binaries").path("entries").fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue().asText()));
        String key = json.path("contentKey").isTextual() ? json.path("contentKey").asText() : null;
        return Optional.of(new ImageContent(key, new TreeListing(entries)));
    }

    void write(Path file) throws IOException {
        Map<String, Object> binariesJson = new LinkedHashMap<>();
        binariesJson.put("digest", binaries.digest());
        binariesJson.put("entries", binaries.entries());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contentKey", contentKey);
        json.put("binaries", binariesJson);
        Files.writeString(file, Json.line(json) + "\n", StandardCharsets.UTF_8);
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
