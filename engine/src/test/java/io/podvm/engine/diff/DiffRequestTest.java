package io.podvm.engine.diff;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The podvmDiff step's request: paths relative to the workspace, errors naming the step's parameters oldManifest and newManifest. */
class DiffRequestTest {
    @TempDir
    Path workspace;

    @Test
    void manifestsAreResolvedAgainstTheWorkspaceAndTheMapHoldsOnlyPlainValues() throws IOException {
        manifest("last/system.manifest", "{\"name\":\"jq\",\"version\":\"1.6-2.1+deb12u2\",\"architecture\":\"amd64\"}");
        manifest("build/system.manifest", "{\"name\":\"jq\",\"version\":\"1.6-2.1+deb12u3\",\"architecture\":\"amd64\"},"
                + "{\"name\":\"tree\",\"version\":\"2.1\",\"architecture\":\"amd64\"}");

        Map<String, Object> map = DiffRequest.of(" last/system.manifest ", "build/system.manifest").compare(workspace).toMap();

        assertThat(map).containsEntry("summary", "2 packages changed: +tree 2.1, ~jq 1.6-2.1+deb12u2 -> 1.6-2.1+deb12u3")
                .containsEntry("packageChanges", 2).containsEntry("binaries", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> packages = (Map<String, Object>) map.get("packages");
        assertThat(packages.get("added")).isEqualTo(List.of(Map.of("name", "tree", "version", "2.1", "architecture", "amd64")));
        assertThat(packages.get("changed")).isEqualTo(List.of(Map.of("name", "jq", "architecture", "amd64",
                "oldVersion", "1.6-2.1+deb12u2", "newVersion", "1.6-2.1+deb12u3")));
        assertThat(packages.get("removed")).isEqualTo(List.of());
    }

    @Test
    void aBlankOrMissingManifestNamesTheStepsParameter() throws IOException {
        manifest("build/system.manifest", "");

        assertThatThrownBy(() -> DiffRequest.of(" ", "build/system.manifest")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("oldManifest: no manifest was given");
        assertThatThrownBy(() -> DiffRequest.of("build/system.manifest", null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("newManifest: no manifest was given");
        assertThatThrownBy(() -> DiffRequest.of("last/system.manifest", "build/system.manifest").compare(workspace))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("oldManifest: '" + workspace.resolve("last/system.manifest") + "'")
                .hasMessageContaining("no such file");
    }

    private void manifest(String path, String packages) throws IOException {
        Path file = workspace.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"manifest_version\":1,\"config\":{\"name\":\"podvm\"},\"packages\":[" + packages + "]}");
    }
}
