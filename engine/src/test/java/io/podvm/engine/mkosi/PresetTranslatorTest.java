package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The translation itself, file by file, with the settings tables of the real mkosi 24.3, 25.3 and 27.1. */
class PresetTranslatorTest {
    private static MkosiSettings mkosi24;
    private static MkosiSettings mkosi25;
    private static MkosiSettings mkosi27;

    @TempDir
    Path tree;

    private final PresetTranslator translator = new PresetTranslator(TestLogs.discard());

    @BeforeAll
    static void askTheRealMkosis() {
        mkosi24 = settingsOf("mkosi");
        mkosi25 = settingsOf("mkosi-25");
        mkosi27 = settingsOf("mkosi-27");
    }

    static MkosiSettings settingsOf(String name) {
        return MkosiTool.detect(RealTools.require(name).toString(), TestLogs.discard()).settings(TestLogs.discard());
    }

    @BeforeEach
    void seedShapedTree() throws IOException {
        write("mkosi.conf", "[Output]\nOutputDirectory=build\n\n[Content]\nRemoveFiles=/etc/issue\n");
        write("mkosi.presets/initrd/mkosi.conf", "[Output]\nFormat=cpio\n");
        write("mkosi.presets/system/mkosi.conf", "[Preset]\nDependencies=initrd\n\n[Output]\nFormat=disk\n");
        write("mkosi.presets/system/mkosi.conf.d/fedora.conf", """
                [Match]
                Distribution=fedora
                PathExists=!../../resources/buildDebugImage

                [Distribution]
                Distribution=fedora
                Release=38

                [Content]
                Packages=kernel
                """);
    }

    @Test
    void theSettingsTablesComeFromMkosiItself() {
        assertThat(mkosi24.version()).hasToString("24.3");
        assertThat(mkosi24.all()).hasSize(149);
        assertThat(mkosi24.all().stream().filter(MkosiSettings.Setting::inheritedBySubimage)).hasSize(40);
        assertThat(mkosi24.refusedInSubimage("Distribution")).isTrue();
        assertThat(mkosi24.refusedInSubimage("Packages")).isFalse();
        assertThat(mkosi24.get("SkeletonTrees").orElseThrow().implicitPaths()).contains("mkosi.skeleton");
        assertThat(mkosi24.get("KernelInitrdModules")).isEmpty();
        assertThat(mkosi27.get("KernelInitrdModules")).isPresent();
        assertThat(mkosi27.get("PostInstallationScripts").orElseThrow().implicitPaths()).contains("mkosi.postinst");
    }

    @Test
    void theSystemPresetBecomesTheMainImageAndTheOthersIncludeTheWholeTopLevel() throws IOException {
        for (MkosiSettings mkosi : List.of(mkosi24, mkosi25, mkosi27)) {
            Path dir = Files.createDirectories(tree.resolve("v" + mkosi.version()));
            copySeed(dir);
            new PresetTranslator(TestLogs.discard()).translate(dir, mkosi);

            assertThat(dir.resolve("mkosi.images/system")).as("%s", mkosi.version()).doesNotExist();
            assertThat(Files.readString(dir.resolve("mkosi.images/initrd/mkosi.conf")))
                    .startsWith("# Added by podvm").contains("Include=../..\n").endsWith("[Output]\nFormat=cpio\n")
                    .contains(mkosi.version().atLeast(25) ? "[Include]\nInclude" : "[Config]\nInclude");
            assertThat(Files.readString(dir.resolve("mkosi.presets/system/mkosi.conf")))
                    .contains("[Config]\nDependencies=initrd").doesNotContain("[Preset]");
            assertThat(Files.readString(dir.resolve("mkosi.local.conf")))
                    .contains("Include=mkosi.podvm-main/10-top-mkosi.conf\n").endsWith("Include=mkosi.presets/system\n");
            // OutputDirectory= reaches subimages by itself; RemoveFiles= must reach them through the include.
            assertThat(Files.readString(dir.resolve("mkosi.conf"))).doesNotContain("OutputDirectory")
                    .contains("RemoveFiles=/etc/issue");
            assertThat(Files.readString(dir.resolve("mkosi.podvm-main/10-top-mkosi.conf"))).contains("OutputDirectory=build");
        }
    }

    @Test
    void aPresetGivenAsAFileIsTranslatedToo() throws IOException {
        write("mkosi.presets/tools.conf", "[Output]\nFormat=directory\n\n[Content]\nPackages=jq\n");
        translator.translate(tree, mkosi24);

        assertThat(read("mkosi.images/tools/mkosi.conf")).contains("[Config]\nInclude=../..\nInclude=../../mkosi.podvm-preset-tools\n");
        assertThat(read("mkosi.podvm-preset-tools/mkosi.conf.d/tools.conf")).contains("Packages=jq");
        assertThat(read("mkosi.local.conf")).contains("Include=mkosi.podvm-main/");
        assertThat(Files.readString(tree.resolve(read("mkosi.local.conf").lines()
                .filter(l -> l.contains("dependencies")).findFirst().orElseThrow().substring("Include=".length()))))
                .contains("Dependencies=tools");
    }

    @Test
    void aMainPresetGivenAsAFileIsIncludedFromItsOwnDirectory() throws IOException {
        Files.walk(tree.resolve("mkosi.presets")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        write("mkosi.presets/system.conf", "[Output]\nFormat=disk\n\n[Content]\nSkeletonTrees=../extra\n");
        translator.translate(tree, mkosi25);

        assertThat(read("mkosi.presets/mkosi.conf")).contains("Include=system.conf");
        assertThat(read("mkosi.local.conf")).endsWith("Include=mkosi.presets\n");
    }

    @Test
    void universalSettingsOfASubimageMoveToTheMainImageUnderTheirMatch() throws IOException {
        write("mkosi.presets/initrd/mkosi.conf.d/fedora.conf", """
                [Match]
                Distribution=fedora
                PathExists=../../resources/x

                [Distribution]
                Release=38
                """);
        translator.translate(tree, mkosi24);

        assertThat(read("mkosi.images/initrd/mkosi.conf.d/fedora.conf")).doesNotContain("Release=38");
        String moved = Files.readString(Files.list(tree.resolve("mkosi.podvm-main"))
                .filter(p -> p.toString().contains("initrd-fedora")).findFirst().orElseThrow());
        assertThat(moved).contains("[Match]\nDistribution=fedora\nPathExists=resources/x\n").contains("[Distribution]\nRelease=38\n");
    }

    @Test
    void aModernTreeIsLeftExactlyAsWritten() throws IOException {
        Files.walk(tree.resolve("mkosi.presets")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        write("mkosi.images/system/mkosi.conf", "[Output]\nFormat=disk\n");
        String top = read("mkosi.conf");

        translator.translate(tree, mkosi24);

        assertThat(read("mkosi.conf")).isEqualTo(top);
        assertThat(read("mkosi.images/system/mkosi.conf")).isEqualTo("[Output]\nFormat=disk\n");
        assertThat(tree.resolve("mkosi.local.conf")).doesNotExist();
    }

    @Test
    void mkosiBefore19ReadsTheSeedLayoutAsItIs() throws IOException {
        translator.translate(tree, new MkosiSettings(new MkosiVersion(18, 0), mkosi24.all()));

        assertThat(read("mkosi.presets/system/mkosi.conf")).contains("[Preset]");
        assertThat(tree.resolve("mkosi.images")).doesNotExist();
    }

    @Test
    void mkosiBefore19CannotReadTheImagesLayout() throws IOException {
        Files.move(tree.resolve("mkosi.presets"), tree.resolve("mkosi.images"));

        assertThatThrownBy(() -> translator.translate(tree, new MkosiSettings(new MkosiVersion(17, 1), mkosi24.all())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("mkosi.images/")
                .hasMessageContaining("mkosi 19 or newer");
    }

    @Test
    void aTreeWithBothLayoutsIsRefused() throws IOException {
        Files.createDirectories(tree.resolve("mkosi.images/other"));

        assertThatThrownBy(() -> translator.translate(tree, mkosi24))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("both mkosi.presets/ and mkosi.images/");
    }

    @Test
    void mkosi25ReadsTheSandboxTreeWherePkgmngrWas() throws IOException {
        write("mkosi.pkgmngr/etc/apt/sources.list.d/mkosi.sources", "Types: deb\n");

        translator.translate(tree, mkosi25);

        assertThat(tree.resolve("mkosi.sandbox/etc/apt/sources.list.d/mkosi.sources")).exists();
        assertThat(tree.resolve("mkosi.pkgmngr")).doesNotExist();
    }

    @Test
    void pathsAreRebasedFromTheSubimageToTheTopLevel() {
        Path image = tree.resolve("mkosi.images/system");

        assertThat(PresetTranslator.rebase(tree, image, "../../resources/x")).isEqualTo("resources/x");
        assertThat(PresetTranslator.rebase(tree, image, "|local")).isEqualTo("|mkosi.images/system/local");
        assertThat(PresetTranslator.rebase(tree, image, "/etc/os-release")).isEqualTo("/etc/os-release");
    }

    private void copySeed(Path dir) throws IOException {
        for (String f : List.of("mkosi.conf", "mkosi.presets/initrd/mkosi.conf", "mkosi.presets/system/mkosi.conf",
                "mkosi.presets/system/mkosi.conf.d/fedora.conf")) {
            Path to = dir.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(tree.resolve(f), to);
        }
    }

    private void write(String relative, String text) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String relative) throws IOException {
        return Files.readString(tree.resolve(relative));
    }
}
