package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Picks the tool that pulls: the one asked for, or the first found of skopeo and podman; both need tar. */
final class PullerDetector {
    private final ToolFinder finder;
    private final BuildLog log;
    private final HostEnvironment host;

    PullerDetector(ToolFinder finder, BuildLog log, HostEnvironment host) {
        this.finder = finder;
        this.log = log;
        this.host = host;
    }

    ImagePuller detect(PullerKind wanted, String user) {
        Path tar = finder.find("tar").orElseThrow(() -> new InvalidRequestException("puller: tar was not found on"
                + " PATH, and unpacking an image needs it; install tar (scripts/install-tools.sh)."));
        TarUnpacker unpacker = new TarUnpacker(tar, log, host);
        for (PullerKind kind : wanted == null ? List.of(PullerKind.values()) : List.of(wanted)) {
            Optional<Path> path = finder.find(kind.id());
            if (path.isPresent()) {
                return switch (kind) {
                    case SKOPEO -> new SkopeoPuller(path.get(), unpacker, log, user, host);
                    case PODMAN -> new PodmanPuller(path.get(), unpacker, log, user, host);
                };
            }
        }
        String looked = wanted == null ? PullerKind.allIds() : wanted.id();
        throw new InvalidRequestException("puller: no tool to pull images was found on PATH (looked for " + looked
                + "); install skopeo or podman (scripts/install-tools.sh)"
                + (wanted == null ? "." : ", or leave puller out to take any."));
    }
}
