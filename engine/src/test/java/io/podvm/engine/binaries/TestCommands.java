package io.podvm.engine.binaries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the set-up commands of the tests themselves (not the engine's), failing with their output. */
final class TestCommands {
    private TestCommands() {
    }

    static String run(Map<String, String> env, String stdin, String... command) {
        return run(env, stdin, null, command);
    }

    static String run(Map<String, String> env, String stdin, Path directory, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                fail("Test set-up command failed: " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            return fail("Cannot run " + List.of(command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("Interrupted");
        }
    }

    static String run(String... command) {
        return run(Map.of(), null, command);
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
