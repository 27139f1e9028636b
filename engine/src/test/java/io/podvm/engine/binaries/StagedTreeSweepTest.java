package io.podvm.engine.binaries;

import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The work directory a killed 'podvm binaries' left beside its output is removed by the next run. */
class StagedTreeSweepTest {
    @TempDir
    Path dir;

    @Test
    void theNextRunRemovesTheWorkDirectoryOfAKilledRunAndKeepsThoseOfLiveOnes() throws Exception {
        Process dead = new ProcessBuilder("sleep", "60").start();
        String tag = dead.pid() + "-" + startTicks(dead.pid());
        dead.destroyForcibly().waitFor();
        Path left = Files.createDirectories(dir.resolve(".binaries-tree.podvm-" + tag + "-42/tree/usr/bin"));
        Path live = Files.createDirectory(dir.resolve(".binaries-tree.podvm-" + ProcessHandle.current().pid() + "-"
                + startTicks(ProcessHandle.current().pid()) + "-43"));
        TestLogs.Captured log = new TestLogs.Captured();

        try (StagedTree staged = StagedTree.beside(dir.resolve("binaries-tree"), log.log())) {
            assertThat(left.getParent().getParent()).doesNotExist();
            assertThat(live).exists();
            assertThat(log.text()).contains("left by a podvm run that is no longer running");
        }
    }

    private static String startTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }
}
