package io.podvm.engine.mkosi;

import io.podvm.engine.AbortedException;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aborting a real mkosi build: a signal to the CLI, or an interrupt of the engine thread (what Jenkins does
 * when a build is aborted), ends mkosi's whole process tree and leaves no staged tree, no partial image, no
 * key file, and nothing in the temporary directories (mkosi's workspace was once left in /var/tmp). The CLI
 * exits as shells report a process ended by that signal: 143 after SIGTERM, 130 after SIGINT. Prints the abort
 * latencies (signal to the end of the CLI, with its cleanup) at the end.
 */
class MkosiAbortTest {
    /** mkosi's stop grace (20 s) plus the rest of the tree's 2 s and margin. */
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration AT_BUILD_START = Duration.ofSeconds(5);
    private static final List<Long> LATENCIES_MS = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path work;

    @Test
    void sigtermToTheCliEndsMkosiAndCleansUp() throws Exception {
        abortTheCliWith("TERM", 143, AT_BUILD_START, work);
    }

    @Test
    void sigintToTheCliEndsMkosiAndCleansUp() throws Exception {
        abortTheCliWith("INT", 130, AT_BUILD_START, work);
    }

    /** Aborts at random points of the build (installing packages, building the initrd, the image). */
    @Test
    void repeatedAbortsAtRandomPointsLeaveNothing() throws Exception {
        Random random = new Random();
        for (int i = 0; i < 4; i++) {
            Duration at = Duration.ofMillis(random.nextInt(45_000));
            String signal = i % 2 == 0 ? "TERM" : "INT";
            System.out.printf("abort %d: SIG%s %d ms after 'mkosi build' started%n", i + 1, signal, at.toMillis());
            abortTheCliWith(signal, signal.equals("TERM") ? 143 : 130, at, Files.createDirectory(work.resolve("run-" + i)));
        }
    }

    @AfterAll
    static void printLatencies() {
        List<Long> sorted = LATENCIES_MS.stream().sorted().toList();
        if (!sorted.isEmpty()) {
            System.out.printf("abort latency over %d aborts: min %d ms, median %d ms, max %d ms%n", sorted.size(),
                    sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        }
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
        Set<String> varTmp = entries(VAR_TMP);
        Set<String> tmp = entries(TMP);
        engine.start();
        List<ProcessHandle> tree = waitForMkosiBuild(ProcessHandle.current(), log::toString, AT_BUILD_START);

        long start = System.nanoTime();
        engine.interrupt();
        engine.join(LIMIT.toMillis() + 5_000);
        LATENCIES_MS.add((System.nanoTime() - start) / 1_000_000);

        assertThat(engine.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertEverythingEnded(tree, start);
        assertNothingLeft(work.resolve("out"));
        assertNothingNewIn(VAR_TMP, varTmp, name -> true);
        assertNothingNewIn(TMP, tmp, name -> name.startsWith("mkosi"));
    }

    /**
     * The CLI gets a temporary directory of its own (TMPDIR and java.io.tmpdir), which must be empty after
     * the abort; /var/tmp, where mkosi puts its workspace by default, must hold nothing new, and /tmp, which
     * other tests on the machine share, no new mkosi directory.
     */
    private void abortTheCliWith(String signal, int exitCode, Duration at, Path dir) throws Exception {
        RealTools.require("mkosi");
        Path key = SshKeyFiles.generate(dir, "id", "ed25519", "");
        Path ownTmp = Files.createDirectory(dir.resolve("tmp"));
        Set<String> varTmp = entries(VAR_TMP);
        Set<String> tmp = entries(TMP);
        CliProcess cli = CliProcess.start(dir, List.of("-Djava.io.tmpdir=" + ownTmp), Map.of("TMPDIR", ownTmp.toString()),
                "mkosi", "--variant", "debug", "--ssh-private-key", key.toString(), "--output-dir", "out",
                "--package-cache", RealTools.packageCache().toString());
        List<ProcessHandle> tree = waitForMkosiBuild(cli.process().toHandle(), () -> {
            try {
                return cli.stderrSoFar();
            } catch (IOException e) {
                return "";
            }
        }, at);

        long start = System.nanoTime();
        new ProcessBuilder("kill", "-" + signal, Long.toString(cli.process().pid())).start().waitFor();
        boolean ended = cli.process().waitFor(LIMIT.toSeconds() + 5, TimeUnit.SECONDS);
        LATENCIES_MS.add((System.nanoTime() - start) / 1_000_000);

        assertThat(ended).as("the CLI ended after SIG%s", signal).isTrue();
        assertEverythingEnded(tree, start);
        assertNothingLeft(dir.resolve("out"));
        assertNothingNewIn(ownTmp, Set.of(), name -> true);
        assertNothingNewIn(VAR_TMP, varTmp, name -> true);
        assertNothingNewIn(TMP, tmp, name -> name.startsWith("mkosi"));
        CliProcess.Result result = cli.await(1);
        assertThat(result.stderr()).contains("Aborting: stopping");
        assertThat(result.exitCode()).as("exit status after SIG%s", signal).isEqualTo(exitCode);
    }

    private static final Path VAR_TMP = Path.of("/var/tmp");
    private static final Path TMP = Path.of("/tmp");

    private static Set<String> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * Other builds on the machine (other test runs) share /var/tmp and /tmp: an entry that a live process names
     * on its command line (mkosi binds its workspace into its sandboxes) belongs to one of them, not to the
     * aborted build, whose processes have all ended by now.
     */
    private static void assertNothingNewIn(Path dir, Set<String> before, Predicate<String> relevant) throws IOException {
        Set<String> now = entries(dir);
        now.removeAll(before);
        List<String> inUse = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")).toList();
        assertThat(now.stream().filter(relevant)
                .filter(name -> inUse.stream().noneMatch(line -> line.contains(dir.resolve(name).toString()))))
                .as("left in %s after the abort", dir).isEmpty();
    }

    /** Waits until mkosi is building (not just reading the config), then {@code at} more, then snapshots the tree. */
    static List<ProcessHandle> waitForMkosiBuild(ProcessHandle root, java.util.function.Supplier<String> log,
            Duration at) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (log.get().contains("--force build")) {
                Thread.sleep(at.toMillis());
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
