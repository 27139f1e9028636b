package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where mkosi will put the disk image, read from {@code mkosi --json summary} before the build: the
 * image to deliver is the last one built as a disk, named by its {@code Output=} in its
 * {@code OutputDirectory=}; and the distribution it installs, which a user's tree may choose itself.
 */
record MkosiSummary(Path outputDirectory, String output, String distribution) {

    static MkosiSummary parse(List<String> jsonLines, Path tree) {
        JsonNode root;
        try {
            root = Json.read(String.join("\n", jsonLines));
        } catch (IOException e) {
            throw new PodvmException("'mkosi --json summary' printed no JSON (" + e.getMessage() + ").", e);
        }
        JsonNode disk = null;
        for (JsonNode image : root.path("Images")) {
            if ("disk".equals(image.path("Format").asText())) {
                disk = image;
            }
        }
        if (disk == null) {
            throw new PodvmException("The mkosi tree builds no disk image (no image has Format=disk); podvm"
                    + " delivers a bootable disk image, so give the system image '[Output] Format=disk'.");
        }
        String dir = disk.path("OutputDirectory").asText("");
        Path outputDirectory = dir.isEmpty() || "null".equals(dir) ? tree : tree.resolve(dir);
        String distribution = disk.path("Distribution").asText("");
        return new MkosiSummary(outputDirectory, disk.path("Output").asText("image"),
                distribution.isEmpty() || "null".equals(distribution) ? null : distribution);
    }

    Path image() {
        return outputDirectory.resolve(output.endsWith(".raw") ? output : output + ".raw");
    }

    Path manifest() {
        return outputDirectory.resolve(output.replaceFirst("\\.raw$", "") + ".manifest");
    }
}
