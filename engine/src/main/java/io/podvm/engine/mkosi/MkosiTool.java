package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.tools.Executables;

import java.nio.file.Path;
import java.time.Duration;

/** An mkosi binary and the version it reports; the engine adapts its invocation to that version. */
public record MkosiTool(Path path, MkosiVersion version) {
    public static final String INSTALL_HINT = "install mkosi " + MkosiVersion.OLDEST_SUPPORTED + " or newer, for"
            + " example 24.3 from Debian bookworm-backports (apt-get install -t bookworm-backports mkosi) or 25.3"
            + " from trixie; scripts/install-tools.sh does it";

    /** Finds and checks mkosi before any work starts. */
    public static MkosiTool detect(String nameOrPath, BuildLog log) {
        Path path = Executables.find(nameOrPath).orElseThrow(() -> new InvalidRequestException(
                "mkosi: '" + nameOrPath + "' was not found" + (nameOrPath.contains("/") ? "" : " on PATH")
                        + "; " + INSTALL_HINT + "."));
        ExecResult result = new ProcessRunner(log).run(ExecSpec.of(path.toString(), "--version")
                .timeout(Duration.ofSeconds(30)).captureStdout());
        if (!result.succeeded() || result.output().isEmpty()) {
            throw new PodvmException("'" + path + " --version' failed (exit " + result.exitCode()
                    + "); check the mkosi installation, or " + INSTALL_HINT + ".");
        }
        MkosiVersion version;
        try {
            version = MkosiVersion.parse(result.output().get(0));
        } catch (IllegalArgumentException e) {
            throw new PodvmException("'" + path + " --version' printed '" + result.output().get(0)
                    + "', which is not an mkosi version; " + INSTALL_HINT + ".");
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
    MkosiSettings settings(BuildLog log) {
        return MkosiSettings.ask(path, version, log);
    }

    /** The option that names the package cache changed name in mkosi 19. */
    String packageCacheOption(Path cache) {
        return (version.atLeast(19) ? "--package-cache-dir=" : "--cache-dir=") + cache;
    }
}
