package io.podvm.engine.mkosi;

import io.podvm.engine.testing.DiskImage;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users' own Debian trees (issue 11) built for real and looked at by mounting the image's root partition:
 * an old-layout tree gets its top level, a modern tree's debug profile is chosen by --variant debug.
 * Each build is a small non-bootable disk; run under flock /tmp/podvm-real-build.lock.
 */
class UserTreesBuildTest {
    @TempDir
    Path work;

    @Test
    void anOldLayoutTreesImageHasTheTopLevelsFilesScriptsAndRemovals() throws Exception {
        Path tree = UserTrees.copy("old-layout", work.resolve("user"));
        // One image is enough here; presets as files and subimages are checked by UserTreesSummaryTest.
        Files.delete(tree.resolve("mkosi.presets/extras.conf"));
        Path system = tree.resolve("mkosi.presets/system/mkosi.conf");
        Files.writeString(system, Files.readString(system).replace("[Preset]\nDependencies=extras\n", ""));
        TestLogs.Captured log = new TestLogs.Captured();

        ImageResult result = new ImageBuilder(log.log(), work).build(ImageRequest.builder().dir(tree.toString())
                .mkosi(RealTools.require("mkosi").toString()).outputDir(work.resolve("out").toString())
                .packageCache(RealTools.packageCache().toString()).build());

        System.out.printf("mkosi %s built the old-layout fixture in %.1f s%n", result.mkosiVersion(), result.seconds());
        assertThat(result.distribution()).as("taken from mkosi's summary").isEqualTo("debian");
        // One image: the system preset is the main image; no top-level image is built next to it.
        assertThat(log.toString().lines().filter(l -> l.matches(".*Building \\S+ image.*")))
                .as("mkosi's 'Building ... image' lines").hasSize(1);
        new DiskImage(Path.of(result.image())).withRoot(root -> {
            System.out.println("old-layout image files from the top level:");
            for (String file : new String[] {"etc/systemd/network/80-fixture.network",
                    "etc/systemd/resolved.conf.d/fixture.conf", "etc/systemd/system/podvm-fixture.service",
                    "etc/systemd/system/podvm-fixture.service.d/10-fixture.conf",
                    "usr/lib/systemd/system-preset/30-fixture.preset",
                    "etc/systemd/system/multi-user.target.wants/podvm-fixture.service", "etc/podvm-fixture-postinst"}) {
                assertThat(Files.exists(root.resolve(file), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(file).isTrue();
                System.out.println("  /" + file);
            }
            assertThat(root.resolve("etc/podvm-fixture-postinst")).content().contains("from-the-top-level");
            assertThat(root.resolve("etc/issue")).doesNotExist();
            assertThat(root.resolve("etc/issue.net")).doesNotExist();
            return null;
        });
    }

    @Test
    void theDebugVariantOfAModernTreeHasItsDebugProfilesPackagesAndAutologin() throws Exception {
        Path tree = UserTrees.copy("modern-profiles", work.resolve("user"));
        TestLogs.Captured log = new TestLogs.Captured();

        ImageResult result = new ImageBuilder(log.log(), work).build(ImageRequest.builder().dir(tree.toString())
                .variant("debug").mkosi(RealTools.require("mkosi-25").toString())
                .outputDir(work.resolve("out").toString()).packageCache(RealTools.packageCache().toString()).build());

        System.out.printf("mkosi %s built the modern fixture (debug) in %.1f s%n", result.mkosiVersion(), result.seconds());
        assertThat(result.variant()).isEqualTo("debug");
        new DiskImage(Path.of(result.image())).withRoot(root -> {
            assertThat(root.resolve("usr/bin/less")).exists();
            try (Stream<Path> dropIns = Files.walk(root.resolve("usr/lib/systemd/system"))) {
                assertThat(dropIns.map(Path::toString).filter(p -> p.contains("getty") && p.endsWith("autologin.conf")))
                        .as("mkosi's autologin drop-ins").isNotEmpty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
    }
}
