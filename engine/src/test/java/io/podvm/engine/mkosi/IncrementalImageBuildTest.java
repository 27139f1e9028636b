package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.DiskImage;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import io.podvm.engine.files.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real builds of the bundled production image, shared by the assertions: an incremental build with
 * binaries tree v1 (fills the cache, or reuses the one an earlier run left), an incremental rebuild with v2
 * (one file changed, one removed, one added; must reuse the cache), and a build from scratch with v2 and the
 * extra package jq. The rebuild must hold what a build from scratch holds; {@code podvm diff} compares the
 * real manifests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalImageBuildTest {
    private Path work;
    private ImageResult v1;
    private ImageResult v2;
    private ImageResult scratchWithJq;
    private final TestLogs.Captured rebuildLog = new TestLogs.Captured();

    @BeforeAll
    void build() throws IOException {
        RealTools.require("mkosi");
        work = Files.createTempDirectory("podvm-incremental-");
        v1 = new ImageBuilder(TestLogs.discard(), work).build(request("v1-out", binaries("v1", "agent v1", true), true).build());
        v2 = new ImageBuilder(rebuildLog.log(), work).build(request("v2-out", binaries("v2", "agent v2", false), true).build());
        scratchWithJq = new ImageBuilder(TestLogs.discard(), work).build(request("scratch-out",
                work.resolve("v2"), false).extraPackages(List.of("jq")).build());
        System.out.printf("incremental v1 %.1f s, incremental rebuild v2 %.1f s, from scratch v2 + jq %.1f s%n",
                v1.seconds(), v2.seconds(), scratchWithJq.seconds());
    }

    /** Three images of 750 MB each: not left in /tmp. */
    @AfterAll
    void deleteImages() throws IOException {
        FileTrees.deleteRecursively(work);
    }

    @Test
    void theRebuildReusesMkosisCache() {
        assertThat(rebuildLog.text()).contains("Incremental build: cache ").contains("Copying cached trees")
                .doesNotContain("Installing Debian");
        assertThat(v2.incremental()).isTrue();
        assertThat(scratchWithJq.incremental()).isFalse();
    }

    @Test
    void theRebuildHasTheNewBinariesAndNothingOfTheOld() throws IOException {
        new DiskImage(Path.of(v2.image())).withRoot(root -> {
            assertThat(root.resolve("usr/local/bin/podvm-test-agent")).content().contains("agent v2");
            assertThat(root.resolve("usr/local/bin/podvm-new-tool")).exists();
            assertThat(root.resolve("usr/local/bin/podvm-old-tool")).doesNotExist();
            return null;
        });
    }

    @Test
    void theRebuildHoldsWhatABuildFromScratchHolds() throws Exception {
        List<String> scratchBinaries = new DiskImage(Path.of(scratchWithJq.image())).withRoot(root -> listing(root));
        List<String> rebuildBinaries = new DiskImage(Path.of(v2.image())).withRoot(root -> listing(root));

        assertThat(rebuildBinaries).isEqualTo(scratchBinaries).isNotEmpty();
        // Same package list but for jq and what jq pulls in; checked through podvm diff below.
        JsonNode diff = diff(v2.manifest(), scratchWithJq.manifest());
        assertThat(diff.path("packages").path("removed")).isEmpty();
        assertThat(diff.path("packages").path("changed")).isEmpty();
        assertThat(diff.path("packages").path("added").findValuesAsText("name")).contains("jq");
        assertThat(diff.path("binaries").path("added")).isEmpty();
        assertThat(diff.path("binaries").path("changed")).isEmpty();
    }

    @Test
    void podvmDiffOfTwoRealBuildsNamesTheExtraPackageAndTheBinariesChanges() throws Exception {
        CliProcess.Result text = CliProcess.run(work, Map.of(), "diff", v1.manifest(), scratchWithJq.manifest());

        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).containsPattern("\\d+ packages? changed: \\+").contains("+ jq ")
                .contains("binaries tree: 1 added, 1 removed, 1 changed", "+ /usr/local/bin/podvm-new-tool",
                        "- /usr/local/bin/podvm-old-tool", "~ /usr/local/bin/podvm-test-agent");
        JsonNode packagesOnly = diff(v1.manifest(), v2.manifest());
        assertThat(packagesOnly.path("summary").asText()).startsWith("0 packages changed; binaries tree: 1 added");
    }

    @Test
    void theContentKeyFollowsTheContent() {
        assertThat(v1.contentKey()).startsWith("sha256:");
        assertThat(v2.contentKey()).startsWith("sha256:").isNotEqualTo(v1.contentKey());
        assertThat(scratchWithJq.contentKey()).isNotEqualTo(v2.contentKey());
        assertThat(Path.of(v2.image()).resolveSibling("system.podvm.json")).exists();
    }

    private ImageRequest.Builder request(String out, Path binaries, boolean incremental) {
        return ImageRequest.builder().binariesTree(binaries.toString()).outputDir(out)
                .packageCache(RealTools.packageCache().toString()).incremental(incremental);
    }

    /** v1 has an old tool that v2 drops; v2 has a new tool; the agent differs. */
    private Path binaries(String name, String agentText, boolean old) throws IOException {
        Path dir = work.resolve(name);
        Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
        executable(bin.resolve("podvm-test-agent"), "#!/bin/sh\necho " + agentText + "\n");
        executable(bin.resolve(old ? "podvm-old-tool" : "podvm-new-tool"), "#!/bin/sh\n");
        return dir;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> listing(Path root) throws IOException {
        try (var files = Files.list(root.resolve("usr/local/bin"))) {
            return files.map(p -> p.getFileName() + " " + read(p)).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode diff(String oldManifest, String newManifest) throws Exception {
        CliProcess.Result result = CliProcess.run(work, Map.of(), "diff", "--json", oldManifest, newManifest);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return Json.read(result.lastStdoutLine());
    }
}
