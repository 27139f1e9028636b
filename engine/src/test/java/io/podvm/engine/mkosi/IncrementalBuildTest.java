package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The staged tree an incremental build gets, and the cache it is given; the real builds are in the benchmark and IncrementalImageBuildTest. */
class IncrementalBuildTest {
    private static final MkosiVersion MKOSI_24 = MkosiVersion.parse("mkosi 24.3");

    @TempDir
    Path work;

    private final TestLogs.Captured log = new TestLogs.Captured();

    @Test
    void theBinariesTreeAndRootsKeysAreCopiedAfterTheCacheAndNothingElseMoves() throws IOException {
        Path tree = staged("tree", "agent v1");
        String before = confs(tree);

        List<String> options = new IncrementalBuild(log.log()).prepare(tree, work.resolve("cache"), MKOSI_24);

        String after = confs(tree);
        assertThat(before).contains("SkeletonTrees=../../resources/binaries-tree")
                .contains("SkeletonTrees=../../resources/authorized_keys:/root/.ssh/authorized_keys");
        assertThat(after).doesNotContain("SkeletonTrees=../../resources/binaries-tree")
                .doesNotContain("SkeletonTrees=../../resources/authorized_keys")
                .contains("ExtraTrees=../../resources/binaries-tree")
                .contains("ExtraTrees=../../resources/authorized_keys:/root/.ssh/authorized_keys")
                .contains("SkeletonTrees=../../mkosi.skeleton").contains("SkeletonTrees=../../mkosi.skeleton-debug");
        assertThat(options).hasSize(2).first().isEqualTo("--incremental=yes");
        assertThat(options.get(1)).startsWith("--cache-dir=" + work.resolve("cache").resolve(IncrementalBuild.CACHE_ROOT));
        assertThat(Path.of(options.get(1).substring("--cache-dir=".length()))).isDirectory();
    }

    @Test
    void anotherBinariesTreeOrKeyReusesTheCacheButAnotherDefinitionDoesNot() throws IOException {
        IncrementalBuild incremental = new IncrementalBuild(log.log());
        String first = incremental.prepare(staged("a", "agent v1"), work.resolve("cache"), MKOSI_24).get(1);
        String newBinaries = incremental.prepare(staged("b", "agent v2"), work.resolve("cache"), MKOSI_24).get(1);
        Path changed = staged("c", "agent v1");
        Files.writeString(changed.resolve("mkosi.skeleton/etc/podvm-added"), "x");
        String newSkeleton = incremental.prepare(changed, work.resolve("cache"), MKOSI_24).get(1);
        String newMkosi = incremental.prepare(staged("d", "agent v1"), work.resolve("cache"),
                MkosiVersion.parse("mkosi 25.3")).get(1);

        assertThat(newBinaries).isEqualTo(first);
        assertThat(newSkeleton).isNotEqualTo(first);
        assertThat(newMkosi).isNotEqualTo(first);
    }

    @Test
    void mkosiBefore19IsRefusedNamingTheField() {
        assertThatThrownBy(() -> IncrementalBuild.requireSupported(MkosiVersion.parse("mkosi 18")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("incremental: mkosi 18")
                .hasMessageContaining("19 or newer");
    }

    /** The bundled debug definition with a key and a binaries tree, translated for mkosi 24 as a build would. */
    private Path staged(String name, String agent) throws IOException {
        Path binaries = work.resolve(name + "-binaries/usr/local/bin");
        Files.createDirectories(binaries);
        Files.writeString(binaries.resolve("agent"), agent);
        Path key = SshKeyFiles.generate(work, name + "-key", "ed25519", "");
        ImageRequest request = ImageRequest.builder().variant("debug")
                .authorizedKeys(Files.readString(key.resolveSibling(key.getFileName() + ".pub")), "--authorized-keys")
                .build();
        Path tree = work.resolve(name);
        new TreeStager(log.log()).stage(request, binaries.getParent().getParent(), tree);
        new PresetTranslator(log.log()).translate(tree, PresetTranslatorTest.settingsOf("mkosi"));
        return tree;
    }

    private static String confs(Path tree) throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            return all.filter(p -> p.toString().endsWith(".conf")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }
}
