package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * skopeo copies the image into an OCI layout (no image storage, no root needed); the layers are then unpacked
 * and applied in order here, whiteouts included, as a container runtime would stack them.
 */
final class SkopeoPuller implements ImagePuller {
    private final Path skopeo;
    private final TarUnpacker tar;
    private final BuildLog log;
    private final ProcessRunner runner;
    private final String user;

    SkopeoPuller(Path skopeo, TarUnpacker tar, BuildLog log, String user, HostEnvironment host) {
        this.skopeo = skopeo;
        this.tar = tar;
        this.log = log;
        this.runner = new ProcessRunner(log, host);
        this.user = user;
    }

    @Override
    public PullerKind kind() {
        return PullerKind.SKOPEO;
    }

    @Override
    public void pull(ImageReference image, boolean insecure, Map<String, String> environment, Path tree, Path scratch)
            throws IOException {
        Path layout = scratch.resolve("oci-layout");
        List<String> command = new ArrayList<>(List.of(skopeo.toString(), "copy"));
        if (insecure) {
            command.add("--src-tls-verify=false");
        }
        command.addAll(List.of("docker://" + image.canonical(), "oci:" + layout + ":podvm"));
        RecentLines output = new RecentLines(log);
        ExecResult result = runner.run(ExecSpec.of(command).inherit(ChildEnvironment.CONTAINERS).env(environment)
                .onStdout(output).onStderr(output));
        if (!result.succeeded()) {
            throw PullFailure.explain(kind(), image, user, output, result.exitCode());
        }
        List<Path> layers = new OciLayout(layout).layers();
        log.info("Applying " + layers.size() + " layer(s) of " + image + ", lowest first.");
        for (int i = 0; i < layers.size(); i++) {
            Path unpacked = scratch.resolve("layer-" + i);
            tar.unpack(layers.get(i), unpacked);
            LayerApplier.apply(unpacked, tree);
            FileTrees.deleteRecursively(unpacked);
        }
        if (layers.isEmpty()) {
            java.nio.file.Files.createDirectories(tree);
        }
    }
}
