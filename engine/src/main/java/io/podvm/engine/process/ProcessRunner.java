package io.podvm.engine.process;

import io.podvm.engine.AbortedException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a tool with its output streamed line by line into the build log. An interrupt of the calling
 * thread, or the timeout, ends the tool's whole process tree and throws {@link AbortedException}.
 */
public final class ProcessRunner {
    private final BuildLog log;
    /** Where a child's inherited variables come from; the JVM's own environment is never passed on whole. */
    private final HostEnvironment host;

    public ProcessRunner(BuildLog log) {
        this(log, HostEnvironment.current());
    }

    public ProcessRunner(BuildLog log, HostEnvironment host) {
        this.log = log;
        this.host = host;
    }

    public ExecResult run(ExecSpec spec) {
        if (Thread.currentThread().isInterrupted()) {
            throw new AbortedException("Aborted before " + spec.command.get(0) + " started.");
        }
        log.info("$ " + String.join(" ", spec.command));
        Process process = start(spec);
        List<String> captured = Collections.synchronizedList(new ArrayList<>());
        Consumer<String> stdout = spec.stdout != null ? spec.stdout : log::line;
        Consumer<String> stderr = spec.stderr != null ? spec.stderr : log::line;
        if (spec.captureOutput) {
            stdout = captured::add;
            stderr = captured::add;
        } else if (spec.captureStdout) {
            stdout = stdout.andThen(captured::add);
        }
        Thread outPump = pump(process.getInputStream(), stdout, "stdout");
        Thread errPump = pump(process.getErrorStream(), stderr, "stderr");
        int exit = waitFor(process, spec);
        join(outPump);
        join(errPump);
        return new ExecResult(exit, List.copyOf(captured));
    }

    private Process start(ExecSpec spec) {
        ProcessBuilder builder = new ProcessBuilder(ParentDeathSignal.wrap(spec.commandCopy(), host));
        if (spec.directory != null) {
            builder.directory(spec.directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(spec.inherited.from(host));
        builder.environment().putAll(spec.environment);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new PodvmException("Cannot start " + spec.command.get(0) + ": " + e.getMessage()
                    + ". Check that it is installed and on PATH (run 'podvm doctor').", e);
        }
    }

    private int waitFor(Process process, ExecSpec spec) {
        String name = spec.command.get(0);
        try {
            if (spec.timeout == null) {
                return process.waitFor();
            }
            if (process.waitFor(spec.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            ProcessTree.end(process.toHandle(), spec.stopGrace);
            throw new AbortedException(name + " did not finish within " + spec.timeout.toSeconds()
                    + " s and was stopped, with every process it had started.");
        } catch (InterruptedException e) {
            log.warn("Aborting: stopping " + name + " and every process it started.");
            ProcessTree.end(process.toHandle(), spec.stopGrace);
            Thread.currentThread().interrupt();
            throw new AbortedException("Aborted while " + name + " was running; it has been stopped, with every"
                    + " process it had started.");
        }
    }

    private static Thread pump(InputStream stream, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "podvm-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A grandchild that keeps the pipe open must not hang the engine once the tool itself has ended. */
    private static void join(Thread pump) {
        try {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
