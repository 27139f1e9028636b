package io.podvm.engine.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads an OCI image layout (as skopeo writes it) down to the layer blobs of one image, lowest first. */
final class OciLayout {
    private static final Pattern DIGEST = Pattern.compile("([a-z0-9]+):([a-f0-9]{32,})");
    private static final List<String> INDEX_TYPES = List.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private final Path root;

    OciLayout(Path root) {
        this.root = root;
    }

    List<Path> layers() throws IOException {
        JsonNode manifest = imageManifest(Json.read(root.resolve("index.json")));
        List<Path> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(blob(layer.path("digest").asText()));
        }
        return layers;
    }

    /** Follows an index down to the image for this machine's platform (skopeo copies only that one). */
    private JsonNode imageManifest(JsonNode index) throws IOException {
        JsonNode node = index;
        for (int depth = 0; depth < 4; depth++) {
            JsonNode chosen = choose(node.path("manifests"));
            JsonNode next = Json.read(blob(chosen.path("digest").asText()));
            if (!isIndex(chosen, next)) {
                return next;
            }
            node = next;
        }
        throw new PodvmException("The image's index nests deeper than any image does; it cannot be read.");
    }

    private static boolean isIndex(JsonNode descriptor, JsonNode content) {
        String type = descriptor.path("mediaType").asText(content.path("mediaType").asText());
        return INDEX_TYPES.contains(type) || content.has("manifests") && !content.has("layers");
    }

    private static JsonNode choose(JsonNode manifests) {
        if (!manifests.isArray() || manifests.isEmpty()) {
            throw new PodvmException("The image's index lists no manifest; it holds no image to unpack.");
        }
        String arch = hostArchitecture();
        for (JsonNode m : manifests) {
            JsonNode platform = m.path("platform");
            if (platform.isMissingNode() || "linux".equals(platform.path("os").asText())
                    && arch.equals(platform.path("architecture").asText())) {
                return m;
            }
        }
        throw new PodvmException("The image has no variant for linux/" + arch + "; pull an image built for this"
                + " machine's architecture.");
    }

    private Path blob(String digest) {
        var m = DIGEST.matcher(digest);
        if (!m.matches()) {
            throw new PodvmException("The image layout names a blob with an invalid digest '" + digest + "'.");
        }
        Path blob = root.resolve("blobs").resolve(m.group(1)).resolve(m.group(2));
        if (!Files.isRegularFile(blob)) {
            throw new PodvmException("The image layout lacks the blob " + digest + ".");
        }
        return blob;
    }

    /** The OCI name of the JVM's architecture. */
    static String hostArchitecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> arch;
        };
    }
}
