package io.podvm.engine.cli;

import io.podvm.engine.diff.ImageDiff;
import io.podvm.engine.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podvm diff OLD NEW}: what changed between two images, from their manifests. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Shows the packages added, removed and changed between two images (mkosi manifests), and the"
                + " binaries tree's changed files when both have NAME.podvm.json beside the manifest.",
                "Exits 0 whether or not anything changed."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "The older manifest, e.g. last/system.manifest.")
    Path oldManifest;

    @Parameters(index = "1", paramLabel = "NEW", description = "The newer manifest, e.g. build/system.manifest.")
    Path newManifest;

    @Option(names = "--json", description = "Print the diff as one JSON line.")
    boolean json;

    @Override
    public Integer call() {
        ImageDiff diff = ImageDiff.of(oldManifest, newManifest);
        if (json) {
            System.out.println(Json.line(diff.toMap()));
        } else {
            diff.lines().forEach(System.out::println);
        }
        return 0;
    }
}
