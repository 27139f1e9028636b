package io.podvm.engine.binaries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Records the command line of every process on the machine, and the credential files under a directory,
 * while a test runs the engine: the password must show up in none of the former, and the latter must be 0400.
 */
final class CommandLineWatcher implements AutoCloseable {
    private final Set<String> commandLines = ConcurrentHashMap.newKeySet();
    private final Set<String> secretFiles = ConcurrentHashMap.newKeySet();
    private final Path secretsParent;
    private final Thread thread;
    private volatile boolean running = true;

    CommandLineWatcher(Path secretsParent) {
        this.secretsParent = secretsParent;
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
        if (secretsParent == null || !Files.isDirectory(secretsParent)) {
            return;
        }
        try (Stream<Path> all = Files.walk(secretsParent)) {
            all.filter(Files::isRegularFile).forEach(f -> {
                try {
                    secretFiles.add(f.getFileName() + " " + java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(f)));
                } catch (java.io.IOException gone) {
                    // Deleted between the listing and the look: that is the point.
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException gone) {
            // The directory went away while it was walked.
        }
    }

    Set<String> commandLines() {
        return commandLines;
    }

    Set<String> secretFiles() {
        return secretFiles;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
