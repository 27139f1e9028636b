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
 * test runs the engine, the environment of every process the test's JVM started and their descendants
 * (/proc/PID/environ), and optionally the credential files under a directory with their modes: a secret must
 * show up on no command line and in no tool's environment (the real tools cannot record their own), and
 * credential files must be 0400.
 */
public final class CommandLineWatcher implements AutoCloseable {
    private final Set<String> commandLines = ConcurrentHashMap.newKeySet();
    private final Set<String> secretFiles = ConcurrentHashMap.newKeySet();
    private final Set<Environ> environs = ConcurrentHashMap.newKeySet();
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
            ProcessHandle.current().descendants().forEach(p -> readEnviron(p.pid()));
            ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(commandLines::add));
            lookForSecretFiles();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** What one process was started with: its command line and its environment, NUL bytes as spaces/newlines. */
    public record Environ(String command, String environment) {
        /** podvm's own JVM (the CLI, whose user set the secret for it) and the JVM's spawn helper, which is
         * that JVM until it executes the tool with the environment the engine built. */
        boolean isPodvmItself() {
            return command.contains("io.podvm.engine.cli.PodvmCli") || command.contains("jspawnhelper");
        }
    }

    private void readEnviron(long pid) {
        try {
            String command = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
            String environment = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', '\n');
            if (!command.isEmpty()) {
                environs.add(new Environ(command, environment));
            }
        } catch (IOException | UncheckedIOException gone) {
            // The process ended between the listing and the read.
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

    /** The environments of the processes this JVM started and their descendants, podvm's own JVMs left out. */
    public Set<Environ> toolEnvirons() {
        return environs.stream().filter(e -> !e.isPodvmItself()).collect(Collectors.toSet());
    }

    /** Whether podvm's own JVM was seen holding {@code secret}: the proof that a test put it where it could leak from. */
    public boolean sawPodvmHolding(String secret) {
        return environs.stream().anyMatch(e -> e.isPodvmItself() && e.environment().contains(secret));
    }

    /** Whether the environment of a tool whose command line contains {@code text} was read. */
    public boolean sawEnvironOf(String text) {
        return toolEnvirons().stream().anyMatch(e -> e.command().contains(text));
    }

    /** The tools (command lines) whose environment held one of {@code secrets}, with the variable that did. */
    public Set<String> environLeaksOf(List<String> secrets) {
        return toolEnvirons().stream().flatMap(e -> e.environment().lines()
                        .filter(v -> secrets.stream().anyMatch(v::contains))
                        .map(v -> e.command() + " <- " + v.substring(0, Math.max(0, v.indexOf('=')))))
                .collect(Collectors.toSet());
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
