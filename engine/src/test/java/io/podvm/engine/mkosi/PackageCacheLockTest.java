package io.podvm.engine.mkosi;

import io.podvm.engine.AbortedException;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The package cache lock against another process (another podvm, another agent JVM) and an abort. */
class PackageCacheLockTest {
    @TempDir
    Path cache;

    @Test
    void waitsForAnotherProcessSaysWhichAndGetsTheCacheWhenItEnds() throws Exception {
        Process other = holdInAnotherProcess();
        TestLogs.Captured log = new TestLogs.Captured();
        try {
            CompletableFuture<PackageCacheLock> acquired = CompletableFuture.supplyAsync(
                    () -> PackageCacheLock.acquire(cache, log.log()));
            Thread.sleep(1_500);
            assertThat(acquired).isNotDone();
            assertThat(log.text()).contains("Waiting for the package cache " + cache + " held by pid " + other.pid());

            other.destroy();
            try (PackageCacheLock lock = acquired.get(10, TimeUnit.SECONDS)) {
                assertThat(Files.readString(cache.resolve(PackageCacheLock.FILE)).trim())
                        .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            }
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void anAbortEndsTheWaitWithASentence() throws Exception {
        Process other = holdInAnotherProcess();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try {
            Thread waiter = new Thread(() -> {
                try {
                    PackageCacheLock.acquire(cache, TestLogs.discard()).close();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            waiter.start();
            Thread.sleep(1_000);
            waiter.interrupt();
            waiter.join(5_000);

            assertThat(waiter.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(AbortedException.class)
                    .hasMessageContaining("waiting for the package cache " + cache).hasMessageContaining("pid " + other.pid());
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void buildsInOneJvmTakeTurns() throws Exception {
        TestLogs.Captured log = new TestLogs.Captured();
        try (PackageCacheLock first = PackageCacheLock.acquire(cache, log.log())) {
            CompletableFuture<PackageCacheLock> second = CompletableFuture.supplyAsync(
                    () -> PackageCacheLock.acquire(cache, log.log()));
            Thread.sleep(500);
            assertThat(second).isNotDone();
            first.close();
            second.get(5, TimeUnit.SECONDS).close();
        }
        assertThat(log.text()).contains("held by pid " + ProcessHandle.current().pid());
    }

    /** A process holding the same kind of lock (fcntl, as Java's FileChannel.lock) with its pid in the file. */
    private Process holdInAnotherProcess() throws Exception {
        Path file = cache.resolve(PackageCacheLock.FILE);
        Process process = new ProcessBuilder("python3", "-c", "import fcntl,os,sys,time\n"
                + "f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); f.write(str(os.getpid())+'\\n'); f.flush()\n"
                + "print('locked', flush=True); time.sleep(600)", file.toString()).redirectErrorStream(true).start();
        assertThat(new String(process.getInputStream().readNBytes(7))).isEqualTo("locked\n");
        return process;
    }
}
