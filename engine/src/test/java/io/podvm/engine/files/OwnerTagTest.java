package io.podvm.engine.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OwnerTagTest {
    private static final String PREFIX = ".podvm-stage-";

    @TempDir
    Path dir;

    @Test
    void keepsTheDirectoriesOfALiveOwnerAndThoseWithoutAMark() throws Exception {
        Path mine = Files.createTempDirectory(dir, OwnerTag.prefix(PREFIX));
        Path unmarked = Files.createDirectory(dir.resolve(PREFIX + "123456789"));

        assertThat(OwnerTag.sweep(dir, PREFIX)).isEmpty();
        assertThat(mine).exists();
        assertThat(unmarked).exists();
    }

    @Test
    void removesTheDirectoryOfAnOwnerThatHasEnded() throws Exception {
        Process process = new ProcessBuilder("sleep", "60").start();
        String tag = OwnerTag.tagOf(process.pid()).orElseThrow();
        process.destroyForcibly().waitFor();
        Path dead = Files.createDirectories(dir.resolve(PREFIX + tag + "-42/resources"));
        Files.writeString(dead.resolve("authorized_keys"), "ssh-ed25519 AAAA test");

        assertThat(OwnerTag.sweep(dir, PREFIX)).containsExactly(dir.resolve(PREFIX + tag + "-42"));
        assertThat(dir.resolve(PREFIX + tag + "-42")).doesNotExist();
    }

    /** A reused pid: a live process has the pid, but started at another time than the owner. */
    @Test
    void aReusedPidDoesNotKeepTheDirectoryOfTheDeadOwner() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path reused = Files.createDirectory(dir.resolve(PREFIX + pid + "-1-42"));

        assertThat(OwnerTag.sweep(dir, PREFIX)).containsExactly(reused);
    }

    @Test
    void leavesOtherNamesAlone() throws Exception {
        Path other = Files.createDirectory(dir.resolve("podvm-secrets-1-1-42"));

        assertThat(OwnerTag.sweep(dir, PREFIX)).isEmpty();
        assertThat(other).exists();
    }
}
