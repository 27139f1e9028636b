package io.podvm.engine.process;

import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment the engine works in: the CLI's own, or the one a Jenkins step computes ({@code withEnv},
 * {@code tool}, node properties, {@code withCredentials}). Tools are found on its PATH, and each child
 * process is given the part of it that the tool needs (see {@link ChildEnvironment}), never the JVM's.
 * Serializable because it travels to the agent with the request.
 */
public final class HostEnvironment implements Serializable {
    private static final long serialVersionUID = 1L;
    /** What a POSIX shell searches when PATH is unset. */
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final TreeMap<String, String> variables;

    private HostEnvironment(Map<String, String> variables) {
        this.variables = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name != null && value != null) {
                this.variables.put(name, value);
            }
        });
    }

    /** This JVM's environment: the CLI's. */
    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv());
    }

    /** A given environment, for example a Jenkins step's {@code EnvVars}; entries with a null name or value are left out. */
    public static HostEnvironment of(Map<String, String> variables) {
        return new HostEnvironment(variables);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /**
     * Finds a program the way a shell does: a name with a slash is that path (relative to the JVM's working
     * directory), anything else is looked up on this environment's PATH. Only executable regular files count.
     */
    public Optional<Path> findExecutable(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isEmpty()) {
            return Optional.empty();
        }
        if (nameOrPath.contains("/")) {
            Path path = Path.of(nameOrPath);
            return isExecutableFile(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
        }
        for (String dir : variables.getOrDefault("PATH", DEFAULT_PATH).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, nameOrPath);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** An unmodifiable copy of every variable. */
    public Map<String, String> variables() {
        return Collections.unmodifiableMap(new TreeMap<>(variables));
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    /** Names only: values may be secrets. */
    @Override
    public String toString() {
        return "HostEnvironment[" + variables.size() + " variables]";
    }
}
