package io.podvm.engine.mkosi;

import io.podvm.engine.AbortedException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One build at a time on a package cache. Two apt runs that fill one cache at once rename into the same
 * {@code partial/} directory and the second fails ("rename failed ... partial/...", exit 100), and mkosi gives
 * no way to lock only its download phase, so the lock is held for the whole mkosi build. A second build on
 * the cache waits, says for whom, and then finds the packages already downloaded.
 *
 * <p>The lock is an fcntl lock on {@code .podvm-lock} in the cache, which other processes (another podvm, a
 * Jenkins agent) see; builds inside one JVM (parallel Jenkins steps on one agent) queue on a semaphore first,
 * because one JVM cannot hold the same file lock twice. The holder writes its pid into the file, for the
 * message of whoever waits. The wait is a poll, so that an abort ends it at once.
 */
final class PackageCacheLock implements AutoCloseable {
    static final String FILE = ".podvm-lock";
    private static final Map<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private PackageCacheLock(Semaphore local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static PackageCacheLock acquire(Path cache, BuildLog log) {
        Path file = cache.resolve(FILE);
        Semaphore local = IN_THIS_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Semaphore(1));
        boolean said = false;
        try {
            if (!local.tryAcquire()) {
                // Another build in this JVM holds it; it may not have written its pid into the file yet.
                log.info(waiting(cache, Long.toString(ProcessHandle.current().pid())));
                said = true;
                local.acquire();
            }
        } catch (InterruptedException e) {
            throw abortedWhileWaiting(cache, file);
        }
        try {
            return new PackageCacheLock(local, null, null).lockFile(file, cache, log, said);
        } catch (RuntimeException e) {
            local.release();
            throw e;
        }
    }

    private PackageCacheLock lockFile(Path file, Path cache, BuildLog log, boolean said) {
        FileChannel opened = null;
        try {
            opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            while ((held = opened.tryLock()) == null) {
                // Said after a first pause: a holder that has just locked writes its pid a moment later.
                TimeUnit.MILLISECONDS.sleep(500);
                if (!said) {
                    log.info(waiting(cache, holder(file)));
                    said = true;
                }
            }
            opened.truncate(0);
            opened.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            return new PackageCacheLock(local, opened, held);
        } catch (InterruptedException e) {
            close(opened);
            throw abortedWhileWaiting(cache, file);
        } catch (ClosedByInterruptException e) {
            // An abort just after tryLock() succeeded: writing the pid closed the channel, and the lock with it.
            throw new AbortedException("Aborted while locking the package cache " + cache + ".");
        } catch (IOException e) {
            close(opened);
            throw new PodvmException("Cannot lock the package cache " + cache + " (" + e.getMessage() + "); give"
                    + " a package cache directory on a local file system that this user can write.", e);
        }
    }

    /** Sets the interrupt again, after reading the holder, for the caller's abort handling. */
    private static AbortedException abortedWhileWaiting(Path cache, Path file) {
        String holder = holder(file);
        Thread.currentThread().interrupt();
        return new AbortedException("Aborted while waiting for the package cache " + cache + ", which another"
                + " build (pid " + holder + ") was using.");
    }

    private static String waiting(Path cache, String holder) {
        return "Waiting for the package cache " + cache + " held by pid " + holder + ": builds that share a"
                + " package cache run one after the other.";
    }

    /** The pid the holder wrote, or "unknown" while it has not written it yet. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).trim();
            return pid.matches("\\d+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases the lock; nothing else to do.
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // Closing the channel below releases it as well.
        } finally {
            close(channel);
            local.release();
        }
    }
}
