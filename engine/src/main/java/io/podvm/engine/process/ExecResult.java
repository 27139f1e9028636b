package io.podvm.engine.process;

import java.util.List;

/** How a process ended, and the lines it printed when they were asked for (captureStdout, captureOutput). */
public record ExecResult(int exitCode, List<String> output) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
