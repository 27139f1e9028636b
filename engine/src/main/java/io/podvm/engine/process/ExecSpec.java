package io.podvm.engine.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What to run: the command, where, with which environment (the host's variables the tool needs, plus those set
 * here), and where its output lines go.
 */
public final class ExecSpec {
    final List<String> command;
    Path directory;
    final Map<String, String> environment = new LinkedHashMap<>();
    ChildEnvironment inherited = ChildEnvironment.BASE;
    Duration timeout;
    Consumer<String> stdout;
    Consumer<String> stderr;
    boolean captureStdout;
    boolean captureOutput;

    private ExecSpec(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static ExecSpec of(List<String> command) {
        return new ExecSpec(command);
    }

    public static ExecSpec of(String... command) {
        return new ExecSpec(List.of(command));
    }

    public ExecSpec directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Secrets go here, never on the command line. */
    public ExecSpec env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ExecSpec env(Map<String, String> values) {
        environment.putAll(values);
        return this;
    }

    /** Which of the host's variables the tool is given besides those set with {@link #env}; the base list if not called. */
    public ExecSpec inherit(ChildEnvironment list) {
        this.inherited = list;
        return this;
    }

    public ExecSpec timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Where stdout lines go instead of the build log. */
    public ExecSpec onStdout(Consumer<String> sink) {
        this.stdout = sink;
        return this;
    }

    public ExecSpec onStderr(Consumer<String> sink) {
        this.stderr = sink;
        return this;
    }

    /** Keep stdout lines in the result (for short outputs such as versions and image references). */
    public ExecSpec captureStdout() {
        this.captureStdout = true;
        return this;
    }

    /**
     * Keep stdout and stderr lines in the result, in the order they came, instead of logging them: for
     * queries such as {@code --version} and {@code --help}, which tools answer on either stream.
     */
    public ExecSpec captureOutput() {
        this.captureOutput = true;
        return this;
    }

    public List<String> command() {
        return command;
    }

    List<String> commandCopy() {
        return new ArrayList<>(command);
    }

    /** How long the tool gets after SIGTERM to stop its own children and clean up on abort (default 5 s). */
    Duration stopGrace = ProcessTree.DEFAULT_GRACE;

    public ExecSpec stopGrace(Duration grace) {
        this.stopGrace = grace;
        return this;
    }
}
