package io.podvm.engine.binaries;

import io.podvm.engine.tools.Executables;

import java.nio.file.Path;
import java.util.Optional;

/** Finds a program by name; PATH in production, a directory of fakes in tests. */
@FunctionalInterface
public interface ToolFinder {
    ToolFinder PATH = Executables::find;

    Optional<Path> find(String name);
}
