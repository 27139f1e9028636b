package io.podvm.engine.diff;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The diff's logic on small manifests in mkosi's format; the diff of two real builds is in IncrementalImageBuildTest. */
class ImageDiffTest {
    @TempDir
    Path work;

    @Test
    void packagesAddedRemovedAndChangedAreFoundByNameAndArchitecture() throws IOException {
        Path old = manifest("old", "{\"name\":\"jq\",\"version\":\"1.6\",\"architecture\":\"amd64\"},"
                + "{\"name\":\"libc6\",\"version\":\"2.36-9\",\"architecture\":\"amd64\"},"
                + "{\"name\":\"libc6\",\"version\":\"2.36-9\",\"architecture\":\"i386\"}");
        Path now = manifest("new", "{\"name\":\"libc6\",\"version\":\"2.36-10\",\"architecture\":\"amd64\"},"
                + "{\"name\":\"libc6\",\"version\":\"2.36-9\",\"architecture\":\"i386\"},"
                + "{\"name\":\"tree\",\"version\":\"2.1\",\"architecture\":\"amd64\"}");

        ImageDiff diff = ImageDiff.of(old, now);

        assertThat(diff.added()).containsExactly(new ImageDiff.Package("tree", "2.1", "amd64"));
        assertThat(diff.removed()).containsExactly(new ImageDiff.Package("jq", "1.6", "amd64"));
        assertThat(diff.changed()).containsExactly(new ImageDiff.Change("libc6", "amd64", "2.36-9", "2.36-10"));
        assertThat(diff.summary(2)).isEqualTo("3 packages changed: +tree 2.1, -jq 1.6, ...");
        assertThat(diff.binaries()).as("no NAME.podvm.json beside the manifests").isNull();
    }

    @Test
    void theBinariesTreeIsComparedWhenBothImagesCarryIt() throws IOException {
        Path old = manifest("old", "");
        Path now = manifest("new", "");
        Files.writeString(work.resolve("old.podvm.json"), "{\"contentKey\":\"sha256:1\",\"binaries\":{\"entries\":{"
                + "\"usr/bin/a\":\"f 0755 sha256:aa\",\"usr/bin/gone\":\"f 0755 sha256:bb\",\"etc/x\":\"f 0644 sha256:cc\"}}}");
        Files.writeString(work.resolve("new.podvm.json"), "{\"contentKey\":\"sha256:2\",\"binaries\":{\"entries\":{"
                + "\"usr/bin/a\":\"f 0755 sha256:a2\",\"usr/bin/new\":\"f 0755 sha256:dd\",\"etc/x\":\"f 0644 sha256:cc\"}}}");

        ImageDiff diff = ImageDiff.of(old, now);

        assertThat(diff.binaries().added()).containsExactly("usr/bin/new");
        assertThat(diff.binaries().removed()).containsExactly("usr/bin/gone");
        assertThat(diff.binaries().changed()).containsExactly("usr/bin/a");
        assertThat(diff.lines()).contains("binaries tree: 1 added, 1 removed, 1 changed", "~ /usr/bin/a");
        assertThat(io.podvm.engine.json.Json.line(diff.toMap())).contains("\"binaries\":{\"added\":[\"usr/bin/new\"],"
                + "\"removed\":[\"usr/bin/gone\"],\"changed\":[\"usr/bin/a\"]}");
    }

    @Test
    void aMissingOrForeignFileIsABadArgumentNamingIt() throws IOException {
        Path good = manifest("good", "");
        Files.writeString(work.resolve("other.json"), "{\"config\":{}}");

        assertThatThrownBy(() -> ImageDiff.of(work.resolve("none.manifest"), good))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("OLD: '" + work.resolve("none.manifest"))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> ImageDiff.of(good, work.resolve("other.json")))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("NEW: ")
                .hasMessageContaining("no 'packages' list");
    }

    @Test
    void theCliPrintsJsonWithTheSummary() throws Exception {
        Path old = manifest("old", "");
        Path now = manifest("new", "{\"name\":\"jq\",\"version\":\"1.6\",\"architecture\":\"amd64\"}");

        CliProcess.Result result = CliProcess.run(work, Map.of(), "diff", old.toString(), now.toString(), "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.lastStdoutLine()).contains("\"summary\":\"1 package changed: +jq 1.6\"")
                .contains("\"added\":[{\"name\":\"jq\",\"version\":\"1.6\",\"architecture\":\"amd64\"}]");
    }

    private Path manifest(String name, String packages) throws IOException {
        Path file = work.resolve(name + ".manifest");
        Files.writeString(file, "{\"manifest_version\":1,\"config\":{\"name\":\"podvm\"},\"packages\":[" + packages + "]}");
        return file;
    }
}
