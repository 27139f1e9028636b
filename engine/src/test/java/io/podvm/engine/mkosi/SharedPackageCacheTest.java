package io.podvm.engine.mkosi;

import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real builds at once on one cold package cache, as two Jenkins builds on one agent do: before the cache
 * was locked the second failed after seconds with apt's "rename failed ... partial/..." and podvm said only
 * "exit 100" (two plain mkosi builds started at one instant reproduce it too). Now the second waits for the
 * first, says whose lock it waits for, and both images are built from one download. The tree is a tiny non-bootable Debian disk image, so the test costs two small builds.
 */
class SharedPackageCacheTest {
    @TempDir
    Path work;

    @Test
    void twoBuildsAtOnceOnOneColdCacheBothSucceed() throws Exception {
        RealTools.require("mkosi");
        Path tree = tinyTree(work.resolve("tree"));
        Path cache = work.resolve("cold-cache");
        Path mkosi = startingTogether(work.resolve("barrier"));
        TestLogs.Captured first = new TestLogs.Captured();
        TestLogs.Captured second = new TestLogs.Captured();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        try {
            List<Future<ImageResult>> builds = pool.invokeAll(List.of(
                    build(first, tree, "out-1", cache, mkosi), build(second, tree, "out-2", cache, mkosi)));
            for (int i = 0; i < 2; i++) {
                TestLogs.Captured log = i == 0 ? first : second;
                assertThat(catching(builds.get(i))).as("build %d; its log:%n%s", i + 1, log).isNull();
                assertThat(builds.get(i).get().sizeBytes()).isPositive();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        System.out.printf("two concurrent builds on one cold cache: both done in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        assertThat(first.text() + second.text()).containsPattern("Waiting for the package cache \\S+ held by pid \\d+");
        try (Stream<Path> debs = Files.walk(cache)) {
            assertThat(debs.filter(p -> p.toString().endsWith(".deb"))).as("the packages are cached").isNotEmpty();
        }
    }

    private Callable<ImageResult> build(TestLogs.Captured log, Path tree, String out, Path cache, Path mkosi) {
        ImageRequest request = ImageRequest.builder().dir(tree.toString()).outputDir(out)
                .packageCache(cache.toString()).mkosi(mkosi.toString()).build();
        return () -> new ImageBuilder(log.log(), work).build(request);
    }

    private static Throwable catching(Future<ImageResult> build) throws InterruptedException {
        try {
            build.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * The real mkosi, whose 'build' waits (up to 15 s) until the other build's has come too, so that both
     * download at the same instant as they did when the bug was seen: without the barrier the second build
     * often came a few seconds later, when the fast mirror here had already filled the cache. With the lock
     * the second build reaches the barrier only after the first has finished, and passes it at once.
     */
    private static Path startingTogether(Path barrier) throws Exception {
        Files.createDirectories(barrier);
        return new FakeTools(barrier.resolveSibling("bin")).write("mkosi", """
                #!/bin/bash
                if [[ " $* " == *" build "* ]]; then
                  touch "@BARRIER@/$$"
                  for _ in $(seq 150); do [ "$(ls "@BARRIER@" | wc -l)" -ge 2 ] && break; sleep 0.1; done
                fi
                exec "@MKOSI@" "$@"
                """.replace("@BARRIER@", barrier.toString()).replace("@MKOSI@", RealTools.require("mkosi").toString()));
    }

    /** A Debian disk image without kernel or bootloader: the package download is what the test is about. */
    static Path tinyTree(Path tree) throws Exception {
        Files.createDirectories(tree.resolve("mkosi.pkgmngr/etc/apt/sources.list.d"));
        Files.writeString(tree.resolve("mkosi.conf"), """
                [Distribution]
                Distribution=debian
                Release=bookworm

                [Output]
                Format=disk
                Output=tiny
                OutputDirectory=build
                ManifestFormat=json

                [Content]
                Bootable=no
                """);
        Files.copy(Path.of("..", "mkosi.pkgmngr", "etc", "apt", "sources.list.d", "mkosi.sources"),
                tree.resolve("mkosi.pkgmngr/etc/apt/sources.list.d/mkosi.sources"));
        return tree;
    }
}
