package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * podman pulls the image into its storage, creates a container that is never started and exports that
 * container's merged file system; podman has applied the layers itself. The image stays in podman's storage
 * (a later pull of the same image is then quick); the container is always removed.
 */
final class PodmanPuller implements ImagePuller {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path podman;
    private final TarUnpacker tar;
    private final BuildLog log;
    private final ProcessRunner runner;
    private final String user;

    PodmanPuller(Path podman, TarUnpacker tar, BuildLog log, String user, HostEnvironment host) {
        this.podman = podman;
        this.tar = tar;
        this.log = log;
        this.runner = new ProcessRunner(log, host);
        this.user = user;
    }

    @Override
    public PullerKind kind() {
        return PullerKind.PODMAN;
    }

    @Override
    public void pull(ImageReference image, boolean insecure, Map<String, String> environment, Path tree, Path scratch)
            throws IOException {
        List<String> pull = new ArrayList<>(List.of(podman.toString(), "pull"));
        if (insecure) {
            pull.add("--tls-verify=false");
        }
        pull.add(image.canonical());
        RecentLines output = new RecentLines(log);
        ExecResult pulled = runner.run(ExecSpec.of(pull).inherit(ChildEnvironment.CONTAINERS).env(environment)
                .onStdout(output).onStderr(output));
        if (!pulled.succeeded()) {
            throw PullFailure.explain(kind(), image, user, output, pulled.exitCode());
        }
        String container = "podvm-binaries-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        Path rootfs = scratch.resolve("rootfs.tar");
        try {
            // The command is never run; podman wants one for images that name none (FROM scratch).
            podman("create", "--name", container, image.canonical(), "/podvm-binaries-never-started");
            podman("export", "--output", rootfs.toString(), container);
        } finally {
            removeQuietly(container);
        }
        tar.unpack(rootfs, tree);
    }

    private void podman(String... args) {
        List<String> command = new ArrayList<>(List.of(podman.toString()));
        command.addAll(List.of(args));
        RecentLines output = new RecentLines(log);
        ExecResult result = runner.run(ExecSpec.of(command).inherit(ChildEnvironment.CONTAINERS)
                .onStdout(output).onStderr(output));
        if (!result.succeeded()) {
            throw new PodvmException("podman " + args[0] + " failed (exit " + result.exitCode()
                    + (output.last().isEmpty() ? "" : ": " + output.last()) + "); the previous binaries tree,"
                    + " if any, was left as it was.");
        }
    }

    private void removeQuietly(String container) {
        try {
            runner.run(ExecSpec.of(podman.toString(), "rm", "--force", "--ignore", container)
                    .inherit(ChildEnvironment.CONTAINERS)
                    .onStdout(line -> { }).onStderr(log::line));
        } catch (PodvmException e) {
            log.warn("Could not remove the container " + container + ": " + e.getMessage());
        }
    }
}
