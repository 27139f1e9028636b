package io.podvm.engine.binaries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class LayerApplierTest {
    @TempDir
    Path dir;

    private Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void whiteoutsDeleteLowerEntriesAndOpaqueDirectoriesStartEmpty() throws IOException {
        Path tree = dir.resolve("tree");
        Path lower = dir.resolve("lower");
        write(lower, "etc/keep", "keep");
        write(lower, "etc/remove-me", "gone");
        write(lower, "opt/old/a", "a");
        write(lower, "opt/old/sub/b", "b");
        write(lower, "var/dir-becomes-file/x", "x");
        LayerApplier.apply(lower, tree);

        Path upper = dir.resolve("upper");
        write(upper, "etc/.wh.remove-me", "");
        write(upper, "opt/old/.wh..wh..opq", "");
        write(upper, "opt/old/fresh", "new");
        write(upper, "var/dir-becomes-file", "now a file");
        write(upper, "etc/keep", "replaced");
        LayerApplier.apply(upper, tree);

        assertThat(tree.resolve("etc/remove-me")).doesNotExist();
        assertThat(tree.resolve("etc/keep")).hasContent("replaced");
        assertThat(tree.resolve("opt/old/a")).doesNotExist();
        assertThat(tree.resolve("opt/old/sub")).doesNotExist();
        assertThat(tree.resolve("opt/old/fresh")).hasContent("new");
        assertThat(tree.resolve("var/dir-becomes-file")).isRegularFile().hasContent("now a file");
        try (var all = Files.walk(tree)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    @Test
    void aWhiteoutNeverFollowsALinkOutOfTheTree() throws IOException {
        Path outside = write(dir, "outside/precious", "precious");
        Path tree = dir.resolve("tree");
        Path lower = dir.resolve("lower");
        Files.createDirectories(lower);
        Files.createSymbolicLink(lower.resolve("escape"), outside.getParent());
        LayerApplier.apply(lower, tree);

        Path upper = dir.resolve("upper");
        write(upper, "escape/.wh.precious", "");
        write(upper, "escape/.wh..wh..opq", "");
        LayerApplier.apply(upper, tree);

        assertThat(outside).hasContent("precious");
    }

    @Test
    void aDirectoryReplacesALinkAndKeepsTheLayersMode() throws IOException {
        Path tree = dir.resolve("tree");
        Path lower = dir.resolve("lower");
        Files.createDirectories(lower);
        Files.createSymbolicLink(lower.resolve("bin"), Path.of("usr/bin"));
        LayerApplier.apply(lower, tree);

        Path upper = dir.resolve("upper");
        write(upper, "bin/tool", "tool");
        Files.setPosixFilePermissions(upper.resolve("bin"), PosixFilePermissions.fromString("rwxr-x---"));
        LayerApplier.apply(upper, tree);

        assertThat(Files.isDirectory(tree.resolve("bin"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(tree.resolve("bin/tool")).hasContent("tool");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("bin")))).isEqualTo("rwxr-x---");
    }
}
