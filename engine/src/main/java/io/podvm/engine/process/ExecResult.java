package io.podvm.engine.process;

import java.util.List;

/** How a process ended, and its stdout lines when they were asked for. */
public record ExecResult(int exitCode, List<String> stdout) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
