package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.files.OutputPlaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One build at a time per output directory: an exclusive lock on {@link #FILE} inside it. A second build does
 * not wait (it would then replace the first one's outputs, which is not what either asked for); it fails at
 * once with a sentence naming the holder's pid and start time. The kernel drops the lock when its process
 * dies, {@code kill -9} included, so a dead holder never blocks anyone. The file holds the holder's details
 * and is deleted on release, so a build leaves nothing of it behind.
 */
final class OutputLock implements AutoCloseable {
    static final String FILE = ".podvm.lock";

    /**
     * Directories locked by this JVM (a Jenkins agent runs several builds in one): Java throws instead of
     * reporting a held lock there, and closing a second channel on the file could drop the first one's lock.
     */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();
    private static final int ATTEMPTS = 5;

    private final Path dir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path dir, Path file, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of an existing directory, or fails with a sentence that names the build holding it. */
    static OutputLock take(Path dir, String what) {
        Path key = OutputPlaces.real(dir);
        String details = details(what);
        String other = HELD_HERE.putIfAbsent(key, details);
        if (other != null) {
            throw busy(dir, other);
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                OutputLock taken = tryOnce(key, details);
                if (taken != null) {
                    return taken;
                }
            }
            throw busy(dir, holder(key.resolve(FILE)));
        } catch (RuntimeException e) {
            HELD_HERE.remove(key);
            throw e;
        } catch (IOException e) {
            HELD_HERE.remove(key);
            throw new UncheckedIOException(e);
        }
    }

    /** The lock, or null when the file was replaced under us by a holder that just released it (try again). */
    private static OutputLock tryOnce(Path dir, String details) throws IOException {
        Path file = dir.resolve(FILE);
        Object before = fileKey(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw busy(dir, holder);
        }
        // A holder deletes the file before it lets go, so the file opened may no longer be the one at the path
        // (or the one at the path may be new): only a lock on the file at the path counts. The check compares
        // the path's identity before and after; it must not open the file, since closing any descriptor of a
        // file drops this process's lock on it.
        Object after = fileKey(file);
        if (before == null || !before.equals(after)) {
            lock.release();
            channel.close();
            return null;
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(details.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new OutputLock(dir, file, channel, lock);
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String details(String what) {
        ProcessHandle self = ProcessHandle.current();
        String started = self.info().startInstant().map(Instant::toString).orElse("at an unknown time");
        return "pid " + self.pid() + ", started " + started + ", " + what;
    }

    private static String holder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static InvalidRequestException busy(Path dir, String holder) {
        return new InvalidRequestException("outputDir: '" + dir + "' is in use by another podvm build ("
                + (holder.isEmpty() ? "its details are not written yet" : holder) + "); two builds into one output"
                + " directory would replace each other's outputs, so wait until it ends or give another output"
                + " directory.");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            HELD_HERE.remove(dir);
        }
    }
}
