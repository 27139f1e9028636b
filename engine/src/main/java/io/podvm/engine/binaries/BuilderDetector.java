package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.AbortedException;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a container builder that works here, not just one that is installed: docker needs a reachable daemon
 * and buildx, podman and buildah need a version whose build can write its files to a directory.
 */
final class BuilderDetector {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** A builder that answered its probes. */
    record Found(BuilderKind kind, Path path, String version) {
    }

    private final ToolFinder finder;
    private final ProcessRunner runner;

    BuilderDetector(ToolFinder finder, BuildLog log, HostEnvironment host) {
        this.finder = finder;
        this.runner = new ProcessRunner(log, host);
    }

    /** The builder asked for, or the first that works in the order docker, podman, buildah. */
    Found detect(BuilderKind wanted) {
        List<String> reasons = new ArrayList<>();
        for (BuilderKind kind : wanted == null ? List.of(BuilderKind.values()) : List.of(wanted)) {
            Probe probe = probe(kind);
            if (probe.found() != null) {
                return probe.found();
            }
            reasons.add(kind.id() + ": " + probe.why());
        }
        String looked = wanted == null ? "looked for " + BuilderKind.allIds() : "builder '" + wanted.id() + "'";
        throw new InvalidRequestException("builder: no container builder works here (" + looked + "; "
                + String.join("; ", reasons) + "). Install podman or buildah (scripts/install-tools.sh),"
                + " or start Docker with buildx" + (wanted == null ? "" : ", or leave builder out to take any") + ".");
    }

    private record Probe(Found found, String why) {
    }

    private Probe probe(BuilderKind kind) {
        Optional<Path> path = finder.find(kind.id());
        if (path.isEmpty()) {
            return new Probe(null, "not found on PATH");
        }
        return switch (kind) {
            case DOCKER -> probeDocker(path.get());
            case PODMAN -> probeVersioned(kind, path.get(), "podman version", 4, 0, List.of("info", "--format",
                    "{{.Store.GraphDriverName}}"));
            case BUILDAH -> probeVersioned(kind, path.get(), "buildah version", 1, 24, List.of());
        };
    }

    private Probe probeDocker(Path docker) {
        Attempt buildx = attempt(docker, "buildx", "version");
        if (!buildx.ok()) {
            return new Probe(null, docker + " has no buildx plugin (" + buildx.detail() + ")");
        }
        Attempt daemon = attempt(docker, "info", "--format", "{{.ServerVersion}}");
        if (!daemon.ok() || daemon.stdout().isBlank()) {
            return new Probe(null, "the client is there but no Docker daemon answers (" + daemon.detail() + ")");
        }
        ToolVersion version = ToolVersion.find(buildx.stdout(), "buildx");
        return new Probe(new Found(BuilderKind.DOCKER, docker, version == null ? "?" : version.toString()), "");
    }

    /** --output for local directories came with podman 4.0 and buildah 1.24. */
    private Probe probeVersioned(BuilderKind kind, Path tool, String prefix, int major, int minor,
            List<String> worksArgs) {
        Attempt answer = attempt(tool, "--version");
        ToolVersion version = answer.ok() ? ToolVersion.find(answer.stdout(), prefix) : null;
        if (version == null) {
            return new Probe(null, tool + " --version failed (" + answer.detail() + ")");
        }
        if (!version.atLeast(major, minor)) {
            return new Probe(null, kind.id() + " " + version + " cannot write a build's files to a directory"
                    + " (--output needs " + kind.id() + " >= " + major + "." + minor + ")");
        }
        if (!worksArgs.isEmpty()) {
            Attempt works = attempt(tool, worksArgs.toArray(String[]::new));
            if (!works.ok()) {
                return new Probe(null, kind.id() + " " + version + " is installed but does not work ("
                        + works.detail() + ")");
            }
        }
        return new Probe(new Found(kind, tool, version.toString()), "");
    }

    private record Attempt(boolean ok, String stdout, String detail) {
    }

    private Attempt attempt(Path tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        List<String> out = new ArrayList<>();
        RecentLines err = new RecentLines(null);
        try {
            ExecResult result = runner.run(ExecSpec.of(command).inherit(ChildEnvironment.CONTAINERS).timeout(PROBE_TIMEOUT)
                    .onStdout(line -> { synchronized (out) { out.add(line); } }).onStderr(err));
            String detail = result.succeeded() ? "" : "exit " + result.exitCode()
                    + (err.last().isEmpty() ? "" : ": " + err.last());
            synchronized (out) {
                return new Attempt(result.succeeded(), String.join("\n", out), detail);
            }
        } catch (AbortedException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return new Attempt(false, "", e.getMessage()); // The probe timed out: this builder does not work.
        } catch (PodvmException e) {
            return new Attempt(false, "", e.getMessage());
        }
    }
}
