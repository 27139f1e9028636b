package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresetTranslatorTest {
    @TempDir
    Path tree;

    private final PresetTranslator translator = new PresetTranslator(TestLogs.discard());

    @BeforeEach
    void seedShapedTree() throws IOException {
        write("mkosi.conf", "[Output]\nOutputDirectory=build\n");
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
    void mkosi19AndNewerGetImagesConfigSectionsAndTopLevelUniversalSettings() throws IOException {
        translator.translate(tree, new MkosiVersion(24, 3));

        assertThat(tree.resolve("mkosi.presets")).doesNotExist();
        assertThat(read("mkosi.images/system/mkosi.conf")).contains("[Config]\nDependencies=initrd")
                .doesNotContain("[Preset]");
        assertThat(read("mkosi.images/system/mkosi.conf.d/fedora.conf"))
                .doesNotContain("Release=38").doesNotContain("Distribution=fedora\nRelease")
                .contains("[Match]\nDistribution=fedora").contains("Packages=kernel");
        assertThat(read("mkosi.conf.d/90-podvm-system-fedora.conf"))
                .contains("[Match]\nDistribution=fedora\nPathExists=!resources/buildDebugImage\n")
                .contains("[Distribution]\nDistribution=fedora\nRelease=38\n");
    }

    @Test
    void mkosi19AndNewerDoNotBuildTheTopLevelConfigAsAnImage() throws IOException {
        translator.translate(tree, new MkosiVersion(19, 0));

        assertThat(read("mkosi.conf")).contains("OutputDirectory=build").endsWith("[Output]\nFormat=none\n");
    }

    @Test
    void mkosiBefore19ReadsTheSeedLayoutAsItIs() throws IOException {
        translator.translate(tree, new MkosiVersion(18, 0));

        assertThat(read("mkosi.presets/system/mkosi.conf")).contains("[Preset]");
        assertThat(tree.resolve("mkosi.images")).doesNotExist();
    }

    @Test
    void mkosiBefore19CannotReadTheImagesLayout() throws IOException {
        Files.move(tree.resolve("mkosi.presets"), tree.resolve("mkosi.images"));

        assertThatThrownBy(() -> translator.translate(tree, new MkosiVersion(17, 1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("mkosi.images/")
                .hasMessageContaining("mkosi 19 or newer");
    }

    @Test
    void aTreeWithBothLayoutsIsRefused() throws IOException {
        Files.createDirectories(tree.resolve("mkosi.images/other"));

        assertThatThrownBy(() -> translator.translate(tree, new MkosiVersion(24, 3)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("both mkosi.presets/ and mkosi.images/");
    }

    @Test
    void mkosi25ReadsTheSandboxTreeWherePkgmngrWas() throws IOException {
        write("mkosi.pkgmngr/etc/apt/sources.list.d/mkosi.sources", "Types: deb\n");

        translator.translate(tree, new MkosiVersion(25, 3));

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

    private void write(String relative, String text) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String relative) throws IOException {
        return Files.readString(tree.resolve(relative));
    }
}
