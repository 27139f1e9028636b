package io.podvm.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the set-up and inspection commands of the tests themselves (not the engine's), failing with their output. */
public final class TestCommands {
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private TestCommands() {
    }

    /** Runs {@code command}; returns its output (stdout and stderr together). */
    public static String run(String... command) {
        return run(LIMIT, Map.of(), null, command);
    }

    /** The same with {@code env} added to the environment and {@code stdin} (or nothing) as its input. */
    public static String run(Map<String, String> env, String stdin, String... command) {
        return run(LIMIT, env, stdin, command);
    }

    /** The same, failing when the command has not finished within {@code limit}. */
    public static String run(Duration limit, Map<String, String> env, String stdin, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            write(process.getOutputStream(), stdin);
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return fail("Test command did not finish within " + limit.toSeconds() + " s: "
                        + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                fail("Test command failed (" + process.exitValue() + "): " + String.join(" ", command) + "\n"
                        + output.join());
            }
            return output.join();
        } catch (IOException e) {
            return fail("Cannot run " + List.of(command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("Interrupted");
        }
    }

    private static void write(OutputStream in, String stdin) throws IOException {
        try (in) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String read(InputStream out) {
        try {
            return new String(out.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
