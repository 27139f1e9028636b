package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Users' own trees (issue 11) staged by podvm and read by the real mkosi 24.3, 25.3 and 27.1 with
 * {@code mkosi --json summary}: what each image gets, without building (only Debian's mirror is reachable,
 * and the builds themselves are in {@link UserTreesBuildTest}). Run under flock /tmp/podvm-real-build.lock.
 */
class UserTreesSummaryTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"mkosi", "mkosi-25", "mkosi-27"})
    void anOldLayoutTreeGivesEveryPresetTheWholeTopLevel(String mkosi) throws Exception {
        Path tree = UserTrees.copy("old-layout", work.resolve("user"));
        TestLogs.Captured log = new TestLogs.Captured();
        List<String> command = stage(log, ImageRequest.builder().dir(tree.toString()).mkosi(mkosi), work.resolve("stage"));

        List<JsonNode> images = new ArrayList<>();
        // mkosi 26 and newer list their own tools tree too ("tools"), which is not an image of the tree.
        summary(command, "--json", "summary").path("Images").forEach(i -> {
            if (!"tools".equals(i.path("Image").asText())) {
                images.add(i);
            }
        });

        assertThat(images).as("no default image next to the presets").hasSize(2);
        JsonNode extras = images.get(0);
        JsonNode system = images.get(1);
        assertThat(extras.path("Image").asText()).isEqualTo("extras");
        assertThat(extras.path("Format").asText()).isEqualTo("directory");
        assertThat(system.path("Format").asText()).isEqualTo("disk");
        assertThat(system.path("Output").asText()).startsWith("system");
        assertThat(system.path("Dependencies").toString()).contains("extras");
        for (JsonNode image : List.of(extras, system)) {
            assertThat(image.path("SkeletonTrees").toString()).as(image.path("Image").asText())
                    .contains("stage/mkosi.skeleton");
            assertThat(image.path("PostInstallationScripts").toString()).contains("stage/mkosi.postinst");
            assertThat(image.path("RemoveFiles").toString()).contains("/etc/issue").contains("/etc/issue.net");
            assertThat(image.path("Environment").toString()).contains("from-the-top-level");
            assertThat(image.path("Distribution").asText()).isEqualTo("debian");
        }
        assertThat(system.path("Packages").toString()).contains("systemd").doesNotContain("jq");
        assertThat(extras.path("Packages").toString()).contains("jq");
        assertThat(log.toString()).contains("system is the main image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkosi", "mkosi-25", "mkosi-27"})
    void theBundledDefinitionIsTwoImagesOnEveryMkosi(String mkosi) throws Exception {
        List<String> command = stage(new TestLogs.Captured(), ImageRequest.builder().mkosi(mkosi).variant("debug"),
                work.resolve("stage"));

        List<JsonNode> images = new ArrayList<>();
        summary(command, "--json", "summary").path("Images").forEach(i -> {
            if (!"tools".equals(i.path("Image").asText())) {
                images.add(i);
            }
        });
        assertThat(images).as("initrd and system, no default image").hasSize(2);
        assertThat(images.get(0).path("Format").asText()).isEqualTo("cpio");
        assertThat(images.get(1).path("Format").asText()).isEqualTo("disk");
        assertThat(images.get(1).path("Output").asText()).startsWith("system");
        assertThat(images.get(1).path("Autologin").asBoolean()).isTrue();
        assertThat(images.get(1).path("Packages").toString()).contains("openssh-server");
    }

    @Test
    void mkosi25sSectionWarningForEnvironmentIsTranslated() throws Exception {
        Path tree = UserTrees.copy("old-layout", work.resolve("user"));
        TestLogs.Captured log = new TestLogs.Captured();
        List<String> command = stage(log, ImageRequest.builder().dir(tree.toString()).mkosi("mkosi-25"), work.resolve("stage"));

        List<String> err = new ArrayList<>();
        summary(command, err, "--json", "summary");

        assertThat(String.join("\n", err)).doesNotContain("should be configured in");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkosi", "mkosi-25", "mkosi-27"})
    void aModernTreeIsStagedExactlyAsWritten(String mkosi) throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        stage(new TestLogs.Captured(), ImageRequest.builder().dir(tree.toString()).mkosi(mkosi).variant("debug"),
                work.resolve("stage"));

        for (Path file : files(tree)) {
            assertThat(work.resolve("stage").resolve(tree.relativize(file))).as("%s", file)
                    .hasSameTextualContentAs(file);
        }
        assertThat(work.resolve("stage/mkosi.local.conf")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkosi-25", "mkosi-27"})
    void theDebugVariantSelectsTheTreesDebugProfile(String mkosi) throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        List<String> command = stage(new TestLogs.Captured(),
                ImageRequest.builder().dir(tree.toString()).mkosi(mkosi).variant("debug"), work.resolve("stage"));

        assertThat(command).contains("--profile=debug");
        JsonNode system = systemImage(summary(command, "--json", "summary"));
        assertThat(system.path("Autologin").asBoolean()).isTrue();
        assertThat(system.path("Packages").toString()).contains("less");
    }

    @Test
    void theProductionVariantSelectsTheProductionProfileWithoutDebugPackages() throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        List<String> command = stage(new TestLogs.Captured(),
                ImageRequest.builder().dir(tree.toString()).mkosi("mkosi-27"), work.resolve("stage"));

        assertThat(command).contains("--profile=production").doesNotContain("--profile=debug");
        JsonNode system = systemImage(summary(command, "--json", "summary"));
        assertThat(system.path("Autologin").asBoolean()).isFalse();
        assertThat(system.path("Packages").toString()).doesNotContain("less");
    }

    @Test
    void aVariantTheTreeCannotExpressIsAnError() throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        Files.delete(tree.resolve("mkosi.profiles/debug.conf"));

        assertThatThrownBy(() -> stage(new TestLogs.Captured(),
                ImageRequest.builder().dir(tree.toString()).mkosi("mkosi-27").variant("debug"), work.resolve("stage")))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("variant: ")
                .hasMessageContaining("no mkosi profile 'debug' (profiles: production)");
        assertThat(work.resolve("stage")).doesNotExist();
    }

    @Test
    void anUnknownProfileIsAnErrorNamingTheOption() throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));

        assertThatThrownBy(() -> stage(new TestLogs.Captured(), ImageRequest.builder().dir(tree.toString())
                .mkosi("mkosi-27").profiles(List.of("sftp"), "--profile"), work.resolve("stage")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'sftp' is not a profile of the tree").hasMessageContaining("debug, production");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkosi", "mkosi-25"})
    void aMkosi26SettingIsNamedWithTheMkosiItNeeds(String mkosi) throws Exception {
        Path tree = UserTrees.copy("mkosi26-setting", work.resolve("user"));
        String version = MkosiTool.detect(mkosi, TestLogs.discard()).version().toString();

        assertThatThrownBy(() -> stage(new TestLogs.Captured(), ImageRequest.builder().dir(tree.toString()).mkosi(mkosi),
                work.resolve("stage"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(tree + "/mkosi.images/system/mkosi.conf sets KernelInitrdModules=")
                .hasMessageContaining("may need a newer mkosi than " + version);
    }

    @Test
    void mkosi27ReadsTheTreeWithTheMkosi26Setting() throws Exception {
        Path tree = UserTrees.copy("mkosi26-setting", work.resolve("user"));
        List<String> command = stage(new TestLogs.Captured(), ImageRequest.builder().dir(tree.toString()).mkosi("mkosi-27"),
                work.resolve("stage"));

        JsonNode system = systemImage(summary(command, "--json", "summary"));
        assertThat(system.path("KernelInitrdModules").toString()).contains("virtio_blk");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkosi", "mkosi-25", "mkosi-27"})
    void aFedoraTreeIsReadByEveryMkosi(String mkosi) throws Exception {
        Path tree = UserTrees.copy("fedora-tree", work.resolve("user"));
        List<String> command = stage(new TestLogs.Captured(), ImageRequest.builder().dir(tree.toString()).mkosi(mkosi),
                work.resolve("stage"));

        JsonNode system = systemImage(summary(command, "--json", "summary"));
        assertThat(system.path("Distribution").asText()).isEqualTo("fedora");
        assertThat(system.path("Release").asText()).isEqualTo("43");
        assertThat(system.path("Packages").toString()).contains("systemd");
    }

    @Test
    void aFedoraTreeIsRefusedBeforeAnyWorkWhenTheHostHasNoDnf() throws Exception {
        assertThat(io.podvm.engine.tools.Executables.find("dnf")).as("this test expects a host without dnf").isEmpty();
        Path tree = UserTrees.copy("fedora-tree", work.resolve("user"));
        TestLogs.Captured log = new TestLogs.Captured();

        assertThatThrownBy(() -> new ImageBuilder(log.log(), work).build(ImageRequest.builder().dir(tree.toString())
                .outputDir(work.resolve("out").toString()).packageCache(RealTools.packageCache().toString()).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("the tree builds fedora, and mkosi needs dnf|dnf5 on this host");
        assertThat(log.toString()).doesNotContain("Installing");
        try (Stream<Path> out = Files.list(work.resolve("out"))) {
            assertThat(out).isEmpty();
        }
    }

    @Test
    void mkosisErrorLineIsInTheMessageWithTheUsersPath() throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        Files.writeString(tree.resolve("mkosi.images/system/mkosi.conf.d/10-release.conf"), "[Distribution]\nRelease=trixie\n");
        TestLogs.Captured log = new TestLogs.Captured();

        assertThatThrownBy(() -> new ImageBuilder(log.log(), work).build(ImageRequest.builder().dir(tree.toString())
                .mkosi("mkosi-25").outputDir(work.resolve("out").toString())
                .packageCache(RealTools.packageCache().toString()).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mkosi said: " + tree + "/mkosi.images/system/mkosi.conf.d/10-release.conf:"
                        + " Setting Release cannot be configured in subimage system")
                .hasMessageNotContaining(".podvm-stage-");
    }

    private List<String> stage(TestLogs.Captured log, ImageRequest.Builder request, Path stage) {
        return new ImageBuilder(log.log(), work).stageOnly(request.packageCache(RealTools.packageCache().toString())
                .outputDir(work.resolve("out").toString()).build(), stage);
    }

    private static JsonNode summary(List<String> stageCommand, String... verb) throws IOException {
        return summary(stageCommand, new ArrayList<>(), verb);
    }

    /** Runs the staged command with another verb: the same options, the same -C DIR. */
    private static JsonNode summary(List<String> stageCommand, List<String> stderr, String... verb) throws IOException {
        List<String> command = new ArrayList<>(stageCommand.subList(0, stageCommand.size() - 2));
        command.addAll(List.of(verb));
        List<String> out = new ArrayList<>();
        ExecResult result = new ProcessRunner(TestLogs.discard()).run(ExecSpec.of(command).onStdout(out::add)
                .onStderr(stderr::add));
        assertThat(result.exitCode()).as("%s\n%s", command, String.join("\n", stderr)).isZero();
        return Json.read(String.join("\n", out));
    }

    private static JsonNode systemImage(JsonNode summary) {
        JsonNode found = null;
        for (JsonNode image : summary.path("Images")) {
            if ("disk".equals(image.path("Format").asText())) {
                found = image;
            }
        }
        assertThat(found).as("a disk image in %s", summary).isNotNull();
        return found;
    }

    private static List<Path> files(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
