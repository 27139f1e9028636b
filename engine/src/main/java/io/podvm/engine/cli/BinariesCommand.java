package io.podvm.engine.cli;

import io.podvm.engine.binaries.BinariesRequest;
import io.podvm.engine.binaries.BinariesResult;
import io.podvm.engine.binaries.BinariesTreeMaker;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code podvm binaries}: makes the guest binaries tree; the {@code podvmBinaries} step takes the same options. */
@Command(name = "binaries", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Makes the guest binaries tree (resources/binaries-tree) that the image build copies into"
                + " the image: built from the binaries Dockerfile, or pulled from a podvm-binaries image.")
final class BinariesCommand implements Callable<Integer> {
    static final String PASSWORD_VARIABLE = "PODVM_REGISTRY_PASSWORD";

    @Option(names = "--mode", paramLabel = "build|pull", required = true,
            description = "build: run the binaries Dockerfile here; pull: take the tree from a published image.")
    String mode;

    @Option(names = "--dockerfile", paramLabel = "FILE", description = "build: the binaries Dockerfile"
            + " (default: Dockerfile in the context).")
    String dockerfile;

    @Option(names = "--context", paramLabel = "DIR", description = "build: the build context directory.")
    String context;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "build: a build argument such as"
            + " TEE_PLATFORM=snp or ARCH=amd64 (repeatable).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--builder", paramLabel = "docker|podman|buildah", description = "build: the container builder"
            + " (default: the first that works here, in that order).")
    String builder;

    @Option(names = "--isolation", paramLabel = "chroot|oci|rootless", defaultValue = "chroot",
            description = "build with podman or buildah: how RUN steps run (default: chroot, which needs no"
                    + " container runtime).")
    String isolation;

    @Option(names = "--image", paramLabel = "REF", description = "pull: the podvm-binaries image, by tag or digest.")
    String image;

    @Option(names = "--registry-user", paramLabel = "USER", description = "pull: the registry user; the password"
            + " comes from $" + PASSWORD_VARIABLE + ".")
    String registryUser;

    @Option(names = "--insecure-registry", description = "pull: the registry serves plain HTTP or an unverified"
            + " certificate.")
    boolean insecureRegistry;

    @Option(names = "--puller", paramLabel = "skopeo|podman", description = "pull: the tool that pulls"
            + " (default: the first found, in that order).")
    String puller;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = BinariesRequest.DEFAULT_OUTPUT,
            description = "Where the tree goes; a previous tree there is replaced only on success"
                    + " (default: " + BinariesRequest.DEFAULT_OUTPUT + ").")
    String output;

    @Option(names = "--overlay", paramLabel = "DIR", description = "Extra files copied on top of the tree"
            + " (repeatable, in order).")
    List<String> overlays = new ArrayList<>();

    @Option(names = "--json", description = "Print the result as one JSON line, last on stdout.")
    boolean json;

    @Override
    public Integer call() {
        BinariesRequest request = BinariesRequest.builder().mode(mode).dockerfile(dockerfile).context(context)
                .buildArgs(buildArgs).builder(builder).isolation(isolation).image(image).registryUser(registryUser)
                .insecureRegistry(insecureRegistry).puller(puller).output(output).overlays(overlays).build();
        String password = System.getenv(PASSWORD_VARIABLE);
        SecretMasker masker = CliConsole.masker();
        masker.add(password);
        BuildLog log = new BuildLog(System.err, masker);
        BinariesResult result = new BinariesTreeMaker(log, Path.of("").toAbsolutePath()).make(request, password);
        CliOutput.print(json, result.toMap());
        return 0;
    }
}
