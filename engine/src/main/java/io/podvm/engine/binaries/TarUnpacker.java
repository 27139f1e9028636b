package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks tar archives with GNU tar, which recognises gzip, zstd and plain layers by their content, refuses
 * members that climb out with "..", and keeps modes exactly (--preserve-permissions) whatever the umask.
 */
final class TarUnpacker {
    private final Path tar;
    private final ProcessRunner runner;
    private final BuildLog log;

    TarUnpacker(Path tar, BuildLog log, HostEnvironment host) {
        this.tar = tar;
        this.log = log;
        this.runner = new ProcessRunner(log, host);
    }

    void unpack(Path archive, Path into) throws IOException {
        Files.createDirectories(into);
        RecentLines output = new RecentLines(log);
        ExecResult result = runner.run(ExecSpec.of(tar.toString(), "--extract", "--file", archive.toString(),
                "--directory", into.toString(), "--preserve-permissions", "--numeric-owner")
                .onStdout(output).onStderr(output));
        if (!result.succeeded()) {
            throw new PodvmException("tar could not unpack " + archive.getFileName() + " (exit " + result.exitCode()
                    + (output.last().isEmpty() ? "" : ": " + output.last()) + ").");
        }
    }
}
