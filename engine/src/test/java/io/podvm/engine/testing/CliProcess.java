package io.podvm.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The podvm CLI run as users run it: a separate JVM, with its own environment and working directory. */
public final class CliProcess {
    private final Path workDir;
    private final Map<String, String> env;
    private final Path stdout;
    private final Path stderr;
    private Process process;
    private List<String> launcher = List.of();

    private CliProcess(Path workDir, Map<String, String> env) throws IOException {
        this.workDir = workDir;
        this.env = env;
        this.stdout = Files.createTempFile("podvm-cli-", ".out");
        this.stderr = Files.createTempFile("podvm-cli-", ".err");
    }

    /** Starts {@code podvm args...}; {@code env} entries with a null value are removed from the environment. */
    public static CliProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, List.of(), env, args);
    }

    /** The same, with options for the CLI's JVM, e.g. {@code -Djava.io.tmpdir=...}. */
    public static CliProcess start(Path workDir, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        CliProcess cli = new CliProcess(workDir, env);
        cli.launch(jvmOptions, args);
        return cli;
    }

    /**
     * Runs the CLI as root without the rights to read and search any file (CAP_DAC_OVERRIDE and
     * CAP_DAC_READ_SEARCH dropped with capsh), so that file modes apply to it as they do to a plain user.
     */
    public static Result runWithoutRootsFileRights(Path workDir, Map<String, String> env, String... args) throws Exception {
        CliProcess cli = new CliProcess(workDir, env);
        cli.launcher = List.of(RealTools.require("capsh").toString(), "--drop=cap_dac_override,cap_dac_read_search",
                "--", "-c", "exec \"$0\" \"$@\"");
        cli.launch(List.of(), args);
        return cli.await(1);
    }

    public static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        return start(workDir, env, args).await(30);
    }

    private void launch(List<String> jvmOptions, String[] args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.podvm.engine.cli.PodvmCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        process = builder.start();
        // Nothing to type: a CLI that reads stdin sees its end at once instead of waiting.
        process.getOutputStream().close();
    }

    public Process process() {
        return process;
    }

    public String stderrSoFar() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    public Result await(long minutes) throws Exception {
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("podvm did not finish within " + minutes + " min; stderr:\n" + stderrSoFar());
        }
        Result result = new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
        return result;
    }

    /** How the CLI ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The JSON object that --json prints last on stdout. */
        public String lastStdoutLine() {
            List<String> lines = stdout.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }
}
