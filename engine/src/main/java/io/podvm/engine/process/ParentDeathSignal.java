package io.podvm.engine.process;

import io.podvm.engine.tools.Executables;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lets a tool die with podvm when podvm itself is killed (kill -9, an agent that dies) and has no chance to
 * stop it: the tool is started through util-linux's {@code setpriv --pdeathsig TERM}, which sets
 * PR_SET_PDEATHSIG and then execs the tool, so the tool keeps its pid and nothing else changes.
 *
 * <p>Why this and not the alternatives: a systemd-run scope would hold the whole tree in a cgroup, but it needs
 * a running systemd and its bus, which CI containers and many Jenkins agents lack (PID 1 is not systemd here);
 * a PID namespace ({@code unshare --pid --kill-child}) needs root or a user namespace that changes the tool's
 * uid. setpriv is in util-linux, which every Linux distribution installs (Debian 12: /usr/bin/setpriv).
 *
 * <p>Why SIGTERM and not SIGKILL: the signal reaches only the top process (PR_SET_PDEATHSIG is not inherited
 * by children). mkosi forks its build into a child process and sandboxes tools with bwrap --die-with-parent
 * bound to that child, so a SIGKILL to the top would leave the build running as an orphan; on SIGTERM mkosi
 * stops its own tree, as it does when podvm aborts it. uplosi, qemu-img, skopeo and podman end on SIGTERM too.
 *
 * <p>Linux sends the signal when the <em>thread</em> that started the process ends, not the whole JVM. The
 * thread that calls {@link ProcessRunner#run} waits for the tool until it has ended, so that thread lives at
 * least as long as the tool. What remains: grandchildren of a tool that ignores SIGTERM, and a podvm killed in
 * the microseconds between fork and the prctl call; the next run sweeps the files such a run left
 * ({@link io.podvm.engine.files.OwnerTag}).
 */
final class ParentDeathSignal {
    private static final Optional<Path> SETPRIV = find();

    private ParentDeathSignal() {
    }

    /**
     * The command to start instead of {@code command}. Unchanged where setpriv is missing (not Linux) or the
     * tool cannot be found on the host's PATH, so that starting it fails with the usual "Cannot start" sentence.
     */
    static List<String> wrap(List<String> command, HostEnvironment host) {
        if (SETPRIV.isEmpty()) {
            return command;
        }
        Optional<Path> tool = host.findExecutable(command.get(0));
        if (tool.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.get().toString(), "--pdeathsig", "TERM", "--",
                tool.get().toString()));
        wrapped.addAll(command.subList(1, command.size()));
        return wrapped;
    }

    private static Optional<Path> find() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.empty();
        }
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return Executables.find("setpriv");
    }
}
