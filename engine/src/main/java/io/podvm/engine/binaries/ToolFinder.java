package io.podvm.engine.binaries;

import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.tools.Executables;

import java.nio.file.Path;
import java.util.Optional;

/** Finds a program by name; on an environment's PATH in production, a directory of fakes in tests. */
@FunctionalInterface
public interface ToolFinder {
    /** On this JVM's PATH. */
    ToolFinder PATH = Executables::find;

    Optional<Path> find(String name);

    /** On the PATH of the given environment (a Jenkins step's, with its {@code withEnv} and {@code tool}). */
    static ToolFinder on(HostEnvironment environment) {
        return environment::findExecutable;
    }
}
