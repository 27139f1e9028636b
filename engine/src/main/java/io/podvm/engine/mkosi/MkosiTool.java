package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.process.HostEnvironment;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

/** An mkosi binary and the version it reports; the engine adapts its invocation to that version. */
public record MkosiTool(Path path, MkosiVersion version) {
    public static final String INSTALL_HINT = "install mkosi " + MkosiVersion.OLDEST_SUPPORTED + " or newer, for"
            + " example 24.3 from Debian bookworm-backports (apt-get install -t bookworm-backports mkosi) or 25.3"
            + " from trixie; scripts/install-tools.sh does it";

    /**
     * How long mkosi gets after SIGTERM to stop its build and remove its workspace before the rest of its tree
     * is signalled: measured by MkosiAbortTest (see the README), with margin for a loaded machine.
     */
    public static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Finds and checks mkosi before any work starts. */
    public static MkosiTool detect(String nameOrPath, BuildLog log) {
        return detect(nameOrPath, log, HostEnvironment.current());
    }

    /** Finds mkosi on the given environment's PATH and asks it its version. */
    public static MkosiTool detect(String nameOrPath, BuildLog log, HostEnvironment host) {
        Path path = host.findExecutable(nameOrPath).orElseThrow(() -> new InvalidRequestException(
                "mkosi: '" + nameOrPath + "' was not found" + (nameOrPath.contains("/") ? "" : " on PATH")
                        + "; " + INSTALL_HINT + "."));
        ExecResult result = new ProcessRunner(log, host).run(ExecSpec.of(path.toString(), "--version")
                .timeout(Duration.ofSeconds(30)).captureStdout());
        // A program that does not answer --version as mkosi does is the wrong program given, not a failed build.
        if (!result.succeeded() || result.output().isEmpty()) {
            throw new InvalidRequestException("mkosi: '" + path + " --version' failed (exit " + result.exitCode()
                    + "), so it is not a working mkosi; give the path of mkosi, or " + INSTALL_HINT + ".");
        }
        MkosiVersion version;
        try {
            version = MkosiVersion.parse(result.output().get(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mkosi: '" + path + " --version' printed '" + result.output().get(0)
                    + "', which is not an mkosi version; give the path of mkosi, or " + INSTALL_HINT + ".");
        }
        if (!version.supported()) {
            throw new InvalidRequestException("mkosi: version " + version + " at " + path + " is too old; podvm"
                    + " needs mkosi " + MkosiVersion.OLDEST_SUPPORTED + " or newer (tested with 24.3, 25.3 and 27.1); "
                    + INSTALL_HINT + ".");
        }
        if (version.major() > MkosiVersion.NEWEST_KNOWN) {
            log.warn("mkosi " + version + " is newer than the versions podvm was tested with (up to "
                    + MkosiVersion.NEWEST_KNOWN + "); continuing.");
        }
        return new MkosiTool(path, version);
    }

    /** This mkosi's own settings table, asked from it (see {@link MkosiSettings}). */
    /**
     * This mkosi's settings table, read from mkosi itself. mkosi 15 to 18 get an empty one: their trees are not
     * translated, and what they accept is theirs to say.
     */
    MkosiSettings settings(BuildLog log) {
        return version.atLeast(19) ? MkosiSettings.ask(path, version, log) : new MkosiSettings(version, List.of());
    }

    /** The option that names the package cache changed name in mkosi 19. */
    String packageCacheOption(Path cache) {
        return (version.atLeast(19) ? "--package-cache-dir=" : "--cache-dir=") + cache;
    }
}
