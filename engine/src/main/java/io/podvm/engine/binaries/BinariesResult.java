package io.podvm.engine.binaries;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code podvm binaries} produced; {@link #toMap()} is the CLI's JSON and the step's return value.
 *
 * @param tree     the binaries tree, absolute
 * @param mode     build or pull
 * @param source   the Dockerfile built or the image pulled
 * @param tool     the builder or puller that did it (docker, podman, buildah, skopeo)
 * @param files    regular files in the tree
 * @param bytes    their total size
 * @param digest   "sha256:..." over sorted paths, modes, file contents and link targets: equal trees, equal digests
 * @param symlinks symbolic links in the tree, relative: mkosi does not copy them into the image
 * @param seconds  how long it took
 */
public record BinariesResult(String tree, String mode, String source, String tool, long files, long bytes,
        String digest, List<String> symlinks, double seconds) implements Serializable {

    public BinariesResult {
        symlinks = List.copyOf(symlinks);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tree", tree);
        map.put("mode", mode);
        map.put("source", source);
        map.put("tool", tool);
        map.put("files", files);
        map.put("bytes", bytes);
        map.put("digest", digest);
        map.put("symlinks", symlinks);
        map.put("seconds", seconds);
        return map;
    }
}
