package io.podvm.engine.process;

import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tool that runs beside the engine's work (a VM, a software TPM) rather than being waited for: started
 * with its output streamed line by line, and ended with its whole process tree by {@link #close()}, which
 * the caller does in a {@code finally} so that abort, timeout and failure leave nothing running.
 */
public final class BackgroundProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> recent = new ArrayList<>();

    private BackgroundProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code command} as {@link ProcessRunner} starts a tool: found on the host's PATH, with the host's
     * {@link ChildEnvironment#BASE} variables only, ended by the kernel if podvm dies. Each output line goes to
     * {@code sink} and is kept among the last few lines.
     */
    public static BackgroundProcess start(BuildLog log, HostEnvironment host, List<String> command,
            Consumer<String> sink) {
        log.info("$ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(ParentDeathSignal.wrap(command, host)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(ChildEnvironment.BASE.from(host));
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new PodvmException("Cannot start " + command.get(0) + ": " + e.getMessage()
                    + ". Check that it is installed and on PATH (run 'podvm doctor').", e);
        }
        BackgroundProcess started = new BackgroundProcess(command.get(0), process);
        started.pump(process.getInputStream(), sink);
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    /** The exit code, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Its last output lines (at most 40), for an error message. */
    public synchronized List<String> recentLines() {
        return List.copyOf(recent);
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    private void pump(InputStream stream, Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    remember(line);
                    sink.accept(line);
                }
            } catch (IOException ended) {
                // The process was ended; what it printed so far has been passed on.
            }
        }, "podvm-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void remember(String line) {
        recent.add(line);
        if (recent.size() > 40) {
            recent.remove(0);
        }
    }

    /** Ends the process and everything it started (SIGTERM, then SIGKILL after the grace period). */
    @Override
    public void close() {
        ProcessTree.end(process.toHandle(), ProcessTree.DEFAULT_GRACE);
    }
}
