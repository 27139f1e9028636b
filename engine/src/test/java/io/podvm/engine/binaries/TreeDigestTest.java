package io.podvm.engine.binaries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TreeDigestTest {
    @TempDir
    Path dir;

    private Path tree(String name) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(root.resolve("usr/local/bin"));
        Files.writeString(root.resolve("usr/local/bin/kata-agent"), "agent");
        Files.setPosixFilePermissions(root.resolve("usr/local/bin/kata-agent"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/agent-config.toml"), "x = 1\n");
        Files.createSymbolicLink(root.resolve("usr/local/bin/agent"), Path.of("kata-agent"));
        return root;
    }

    @Test
    void equalTreesHaveEqualDigestsWhateverTheirTimes() throws IOException {
        Path a = tree("a");
        Path b = tree("b");
        Files.setLastModifiedTime(b.resolve("etc/agent-config.toml"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        TreeDigest.Summary first = TreeDigest.of(a);
        TreeDigest.Summary second = TreeDigest.of(b);
        assertThat(first.digest()).startsWith("sha256:").isEqualTo(second.digest());
        assertThat(first.files()).isEqualTo(2);
        assertThat(first.bytes()).isEqualTo(5 + 6);
        assertThat(first.symlinks()).containsExactly("usr/local/bin/agent");
    }

    @Test
    void oneChangedByteModeOrLinkChangesTheDigest() throws IOException {
        String original = TreeDigest.of(tree("a")).digest();
        Path content = tree("content");
        Files.writeString(content.resolve("etc/agent-config.toml"), "x = 2\n");
        Path mode = tree("mode");
        Files.setPosixFilePermissions(mode.resolve("etc/agent-config.toml"), PosixFilePermissions.fromString("rw-------"));
        Path link = tree("link");
        Files.delete(link.resolve("usr/local/bin/agent"));
        Files.createSymbolicLink(link.resolve("usr/local/bin/agent"), Path.of("/usr/local/bin/kata-agent"));
        Path renamed = tree("renamed");
        Files.move(renamed.resolve("etc/agent-config.toml"), renamed.resolve("etc/agent-config.tom"));
        assertThat(TreeDigest.of(content).digest()).isNotEqualTo(original);
        assertThat(TreeDigest.of(mode).digest()).isNotEqualTo(original);
        assertThat(TreeDigest.of(link).digest()).isNotEqualTo(original);
        assertThat(TreeDigest.of(renamed).digest()).isNotEqualTo(original);
    }

    @Test
    void anEmptyDirectoryCounts() throws IOException {
        String original = TreeDigest.of(tree("a")).digest();
        Path withDir = tree("dir");
        Files.createDirectories(withDir.resolve("var/lib/empty"));
        assertThat(TreeDigest.of(withDir).digest()).isNotEqualTo(original);
    }
}
