package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the binaries Dockerfile with a container builder that writes the final stage's files to a directory
 * ({@code --output type=local,dest=DIR}), the way the seed's {@code make binaries} ran docker buildx.
 */
final class ContainerBuild {
    private final BuildLog log;
    private final ProcessRunner runner;

    ContainerBuild(BuildLog log, HostEnvironment host) {
        this.log = log;
        this.runner = new ProcessRunner(log, host);
    }

    void run(BuilderDetector.Found builder, Path dockerfile, Path context, Map<String, String> buildArgs,
            String isolation, Path dest) {
        List<String> command = command(builder, dockerfile, context, buildArgs, isolation, dest);
        RecentLines output = new RecentLines(log);
        ExecResult result = runner.run(ExecSpec.of(command).inherit(ChildEnvironment.CONTAINERS).directory(context).onStdout(output).onStderr(output));
        if (!result.succeeded()) {
            throw new PodvmException(builder.kind().id() + " could not build " + dockerfile + " (exit "
                    + result.exitCode() + (output.last().isEmpty() ? "" : ": " + output.last()) + "); the whole"
                    + " output is in the log above. The previous binaries tree, if any, was left as it was.");
        }
    }

    /** The builder's command line: no secrets ever go here (build arguments are not secrets to Docker either). */
    static List<String> command(BuilderDetector.Found builder, Path dockerfile, Path context,
            Map<String, String> buildArgs, String isolation, Path dest) {
        List<String> command = new ArrayList<>();
        command.add(builder.path().toString());
        switch (builder.kind()) {
            case DOCKER -> command.addAll(List.of("buildx", "build", "--progress=plain"));
            case PODMAN -> command.addAll(List.of("build", "--isolation=" + isolation));
            case BUILDAH -> command.addAll(List.of("bud", "--isolation=" + isolation));
        }
        command.addAll(List.of("--file", dockerfile.toString(), "--output", "type=local,dest=" + dest));
        buildArgs.forEach((name, value) -> command.addAll(List.of("--build-arg", name + "=" + value)));
        command.add(context.toString());
        return command;
    }
}
