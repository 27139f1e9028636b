package io.podvm.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Samples the command line of every process on the machine (/proc/PID/cmdline, through ProcessHandle) while a
 * test runs the engine, and optionally the credential files under a directory with their modes: a secret must
 * show up on no command line (the real tools cannot record their own argv), and credential files must be 0400.
 */
public final class CommandLineWatcher implements AutoCloseable {
    private final Set<String> commandLines = ConcurrentHashMap.newKeySet();
    private final Set<String> secretFiles = ConcurrentHashMap.newKeySet();
    private final Path secretsDir;
    private final Thread thread;
    private volatile boolean running = true;

    /** Watches command lines only. */
    public CommandLineWatcher() {
        this(null);
    }

    /** Watches command lines, and the files under {@code secretsDir} (which may not exist yet). */
    public CommandLineWatcher(Path secretsDir) {
        this.secretsDir = secretsDir;
        this.thread = new Thread(this::watch, "command-line-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(commandLines::add));
            lookForSecretFiles();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void lookForSecretFiles() {
        if (secretsDir == null || !Files.isDirectory(secretsDir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(secretsDir)) {
            all.filter(Files::isRegularFile).forEach(this::recordMode);
        } catch (IOException | UncheckedIOException gone) {
            // The directory went away while it was walked.
        }
    }

    private void recordMode(Path file) {
        try {
            secretFiles.add(file.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        } catch (IOException gone) {
            // Deleted between the listing and the look: that is the point.
        }
    }

    /** Every command line seen. */
    public Set<String> commandLines() {
        return commandLines;
    }

    /** The files seen under the secrets directory, each as "name mode", e.g. "auth.json r--------". */
    public Set<String> secretFiles() {
        return secretFiles;
    }

    /** Whether a command line containing {@code text} was seen, to prove the sampling saw the tool. */
    public boolean saw(String text) {
        return commandLines.stream().anyMatch(l -> l.contains(text));
    }

    /** The command lines that held one of {@code secrets}. */
    public Set<String> leaksOf(List<String> secrets) {
        return commandLines.stream().filter(l -> secrets.stream().anyMatch(l::contains)).collect(Collectors.toSet());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
