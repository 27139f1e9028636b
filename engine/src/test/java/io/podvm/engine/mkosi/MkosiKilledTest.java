package io.podvm.engine.mkosi;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of podvm in the middle of a real mkosi build: podvm cannot clean up, so mkosi must stop with it (it
 * went on building as an orphan), and the next run into the same output directory must remove the stage the
 * dead run left there, with its resources/authorized_keys and mkosi's workspace (it stayed forever).
 */
class MkosiKilledTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void mkosiStopsWithAKilledPodvmAndTheNextRunRemovesItsStage() throws Exception {
        RealTools.require("mkosi");
        Path key = SshKeyFiles.generate(work, "id", "ed25519", "");
        CliProcess cli = CliProcess.start(work, Map.of(), "mkosi", "--variant", "debug", "--ssh-private-key",
                key.toString(), "--output-dir", "out", "--package-cache", RealTools.packageCache().toString());
        List<ProcessHandle> tree = MkosiAbortTest.waitForMkosiBuild(cli.process().toHandle(), () -> {
            try {
                return cli.stderrSoFar();
            } catch (IOException e) {
                return "";
            }
        }, Duration.ofSeconds(10));

        long start = System.nanoTime();
        cli.process().destroyForcibly();
        // await() also removes the files that held the CLI's output.
        assertThat(cli.await(1).exitCode()).as("podvm killed with SIGKILL").isEqualTo(137);
        try {
            while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - start < LIMIT.toNanos()) {
                Thread.sleep(100);
            }
            assertThat(tree.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                    .as("mkosi's processes %d ms after podvm was killed", (System.nanoTime() - start) / 1_000_000)
                    .isEmpty();
        } finally {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        System.out.printf("mkosi's %d processes ended %d ms after podvm was killed%n", tree.size(),
                (System.nanoTime() - start) / 1_000_000);
        List<String> left = stages(work.resolve("out"));
        System.out.println("left by the killed run: " + left);
        assertThat(left).as("what a killed run cannot remove").isNotEmpty();

        // The next run: an mkosi that cannot read the tree ends it quickly, after the stage was made.
        Path fake = new FakeTools(work.resolve("fake")).write("mkosi", """
                #!/bin/sh
                case "$*" in *--version*) echo "mkosi 24.3"; exit 0 ;; esac
                echo "fake mkosi: cannot read the tree" >&2
                exit 1
                """);
        CliProcess.Result next = CliProcess.run(work, Map.of(), "mkosi", "--mkosi", fake.toString(),
                "--output-dir", "out", "--package-cache", RealTools.packageCache().toString());

        assertThat(next.stderr()).contains("left by a podvm run that is no longer running");
        assertThat(stages(work.resolve("out"))).as("stages after the next run").isEmpty();
    }

    private static List<String> stages(Path out) throws IOException {
        try (Stream<Path> entries = Files.list(out)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".podvm-stage-")).toList();
        }
    }
}
