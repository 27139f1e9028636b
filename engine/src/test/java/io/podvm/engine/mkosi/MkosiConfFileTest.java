package io.podvm.engine.mkosi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MkosiConfFileTest {
    private static final String SEED = """
            [Match]
            Distribution=fedora
            PathExists=../../resources/buildDebugImage

            [Distribution]
            Distribution=fedora
            Release=38

            [Content]
            Packages=
                kernel
                # a comment inside the list
                udev
            Bootable=yes
            """;

    @Test
    void readsSettingsWithTheirSectionsAndContinuationLines() {
        MkosiConfFile conf = MkosiConfFile.of(SEED);

        assertThat(conf.settings()).extracting(MkosiConfFile.Setting::key)
                .containsExactly("Distribution", "PathExists", "Distribution", "Release", "Packages", "Bootable");
        assertThat(conf.settingsIn("Content").get(0).value()).isEqualTo("kernel\nudev");
        assertThat(conf.settingsIn("Match").get(1).value()).isEqualTo("../../resources/buildDebugImage");
    }

    @Test
    void removesOnlyTheChosenSettingsAndKeepsEverythingElseAsItWas() {
        MkosiConfFile conf = MkosiConfFile.of(SEED);

        var removed = conf.removeSettings(s -> s.section().equals("Distribution"));

        assertThat(removed).extracting(MkosiConfFile.Setting::key).containsExactly("Distribution", "Release");
        assertThat(conf.text()).doesNotContain("Release=38").contains("[Distribution]\n\n[Content]")
                .contains("Packages=\n    kernel\n    # a comment inside the list\n    udev\nBootable=yes");
    }

    @Test
    void renamesASectionWithoutTouchingItsSettings() {
        MkosiConfFile conf = MkosiConfFile.of("[Preset]\nDependencies=initrd\n");

        conf.renameSection("Preset", "Config");

        assertThat(conf.text()).isEqualTo("[Config]\nDependencies=initrd\n");
        assertThat(conf.settingsIn("Config")).extracting(MkosiConfFile.Setting::value).containsExactly("initrd");
    }

    @Test
    void appendsASettingInItsOwnSection() {
        MkosiConfFile conf = MkosiConfFile.of("[Output]\nOutputDirectory=build\n");

        conf.append("Output", "Format", "none");

        assertThat(conf.hasSetting("Format")).isTrue();
        assertThat(conf.text()).endsWith("[Output]\nFormat=none\n");
    }
}
