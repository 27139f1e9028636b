package io.podvm.engine.mkosi;

import io.podvm.engine.AbortedException;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aborting a real mkosi build: a signal to the CLI, or an interrupt of the engine thread (what Jenkins does
 * when a build is aborted), ends mkosi's whole process tree within 10 s and leaves no staged tree, no
 * partial image and no key file.
 */
class MkosiAbortTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path work;

    @Test
    void sigtermToTheCliEndsMkosiAndCleansUp() throws Exception {
        abortTheCliWith("TERM");
    }

    @Test
    void sigintToTheCliEndsMkosiAndCleansUp() throws Exception {
        abortTheCliWith("INT");
    }

    @Test
    void anInterruptOfTheEngineThreadEndsMkosiAndCleansUp() throws Exception {
        RealTools.require("mkosi");
        Path key = SshKeyFiles.generate(work, "id", "ed25519", "");
        TestLogs.Captured log = new TestLogs.Captured();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        ImageRequest request = ImageRequest.builder().variant("debug")
                .sshPrivateKey(Files.readString(key), null, "sshKeyCredentialsId").outputDir("out")
                .packageCache(RealTools.packageCache().toString()).build();
        Thread engine = new Thread(() -> {
            try {
                new ImageBuilder(log.log(), work).build(request);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        engine.start();
        List<ProcessHandle> tree = waitForMkosiBuild(ProcessHandle.current(), log::toString);

        long start = System.nanoTime();
        engine.interrupt();
        engine.join(LIMIT.toMillis() + 5_000);

        assertThat(engine.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertEverythingEnded(tree, start);
        assertNothingLeft(work.resolve("out"));
    }

    private void abortTheCliWith(String signal) throws Exception {
        RealTools.require("mkosi");
        Path key = SshKeyFiles.generate(work, "id", "ed25519", "");
        CliProcess cli = CliProcess.start(work, Map.of(), "mkosi", "--variant", "debug", "--ssh-private-key",
                key.toString(), "--output-dir", "out", "--package-cache", RealTools.packageCache().toString());
        List<ProcessHandle> tree = waitForMkosiBuild(cli.process().toHandle(), () -> {
            try {
                return cli.stderrSoFar();
            } catch (IOException e) {
                return "";
            }
        });

        long start = System.nanoTime();
        new ProcessBuilder("kill", "-" + signal, Long.toString(cli.process().pid())).start().waitFor();
        boolean ended = cli.process().waitFor(LIMIT.toSeconds() + 5, TimeUnit.SECONDS);

        assertThat(ended).as("the CLI ended after SIG%s", signal).isTrue();
        assertEverythingEnded(tree, start);
        assertNothingLeft(work.resolve("out"));
        assertThat(cli.await(1).stderr()).contains("Aborting: stopping");
    }

    /** Waits until mkosi is building (not just reading the config), then snapshots the process tree. */
    private static List<ProcessHandle> waitForMkosiBuild(ProcessHandle root, java.util.function.Supplier<String> log)
            throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (log.get().contains("--force build")) {
                Thread.sleep(5_000);
                List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
                assertThat(tree).as("mkosi's processes").anyMatch(p -> p.info().commandLine().orElse("").contains("mkosi"));
                return tree;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("mkosi build did not start; log:\n" + log.get());
    }

    private static void assertEverythingEnded(List<ProcessHandle> tree, long start) throws InterruptedException {
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - start < LIMIT.toNanos()) {
            Thread.sleep(100);
        }
        assertThat(tree.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                .as("processes still alive %d ms after the abort", (System.nanoTime() - start) / 1_000_000)
                .isEmpty();
    }

    private static void assertNothingLeft(Path outputDir) throws IOException {
        try (Stream<Path> left = Files.walk(outputDir)) {
            assertThat(left.filter(p -> !p.equals(outputDir)).map(p -> outputDir.relativize(p).toString()))
                    .as("no staged tree, partial image or key file").isEmpty();
        }
    }
}
