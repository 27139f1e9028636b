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
            awaitLog(log, "Waiting for the package cache " + cache + " held by pid " + other.pid());
            assertThat(acquired).isNotDone();

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
            awaitLog(log, "held by pid " + ProcessHandle.current().pid());
            assertThat(second).isNotDone();
            first.close();
            second.get(5, TimeUnit.SECONDS).close();
        }
    }

    /** An abort just as the lock is taken closes the channel while the pid is written: an abort, not a failure. */
    @Test
    void anAbortAsTheLockIsTakenIsAnAbortToo() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread locker = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                PackageCacheLock.acquire(cache, TestLogs.discard()).close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        locker.start();
        locker.join(5_000);

        assertThat(thrown.get()).isInstanceOf(AbortedException.class)
                .hasMessage("Aborted while locking the package cache " + cache + ".");
        try (PackageCacheLock again = PackageCacheLock.acquire(cache, TestLogs.discard())) {
            assertThat(again).as("the aborted attempt released both locks").isNotNull();
        }
    }

    /** The waiter says it waits only after its first pause: poll for that instead of guessing a sleep. */
    private static void awaitLog(TestLogs.Captured log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log.text().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(log.text()).contains(text);
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
