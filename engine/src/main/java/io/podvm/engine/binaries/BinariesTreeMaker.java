package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.secret.SecretDirectory;
import io.podvm.engine.tools.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes the guest binaries tree ({@code resources/binaries-tree}) that the image build copies into the image:
 * built from the binaries Dockerfile, or pulled from a published podvm-binaries image; overlays on top. Every
 * check runs before the long work; the tree is made beside the output and replaces it only when complete.
 */
public final class BinariesTreeMaker {
    private final BuildLog log;
    /** Where relative paths of the request are resolved: the CLI's working directory or the workspace. */
    private final Path base;
    private final ToolFinder finder;
    /** Parent of the credential directory (Jenkins: the workspace's tmp dir), or null for the system's. */
    private final Path secretsParent;
    /** What the tools are given of the environment (and, unless a test hands in a finder, where they are found). */
    private final HostEnvironment host;

    public BinariesTreeMaker(BuildLog log, Path base) {
        this(log, base, HostEnvironment.current());
    }

    /** Tools are found on the environment's PATH and given what they need of it. */
    public BinariesTreeMaker(BuildLog log, Path base, HostEnvironment host) {
        this(log, base, null, host);
    }

    /** As above, with the credential directory under {@code secretsParent} (Jenkins: {@code WorkspaceList.tempDir}). */
    public BinariesTreeMaker(BuildLog log, Path base, Path secretsParent, HostEnvironment host) {
        this(log, base, secretsParent, ToolFinder.on(host), host);
    }

    /**
     * @param secretsParent where the 0700 credential directory is made (Jenkins: {@code WorkspaceList.tempDir}),
     *                      or null for the system's temporary directory
     * @param finder        how programs are found (tests hand in a directory of fakes)
     */
    public BinariesTreeMaker(BuildLog log, Path base, Path secretsParent, ToolFinder finder) {
        this(log, base, secretsParent, finder, HostEnvironment.current());
    }

    private BinariesTreeMaker(BuildLog log, Path base, Path secretsParent, ToolFinder finder, HostEnvironment host) {
        this.log = log;
        this.base = base;
        this.finder = finder;
        this.secretsParent = secretsParent;
        this.host = host;
    }

    /**
     * @param registryPassword the registry password for {@link BinariesRequest#registryUser()}, or null; it reaches
     *                         the puller only through a temporary auth file, and is masked in the log
     */
    public BinariesResult make(BinariesRequest request, String registryPassword) {
        long start = System.nanoTime();
        Platform.requireLinux("binaries");
        Path output = resolve(request.output());
        List<Path> overlays = Overlays.check(request.overlays().stream().map(this::resolve).toList());
        OutputTree.check(output, base, overlays);
        RegistryLogin login = request.mode() == Mode.PULL ? login(request, registryPassword) : null;
        Work work = request.mode() == Mode.BUILD ? checkBuild(request, output) : checkPull(request, login);
        try (StagedTree staged = StagedTree.beside(output, log)) {
            String tool = work.run(staged);
            Overlays.copyOnto(overlays, staged.tree(), log);
            TreeDigest.Summary summary = TreeDigest.of(staged.tree());
            staged.commit();
            log.info("The binaries tree is in place: " + output + " (" + summary.files() + " files, "
                    + summary.bytes() + " bytes, " + summary.digest() + ").");
            return new BinariesResult(output.toString(), request.mode().id(), source(request), tool, summary.files(),
                    summary.bytes(), summary.digest(), summary.symlinks(),
                    Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        } catch (IOException e) {
            throw new PodvmException("Making the binaries tree failed: " + e + ". The previous tree, if any, was"
                    + " left as it was.", e);
        }
    }

    /** The long part of a run, after every check passed; returns the name of the tool that did it. */
    @FunctionalInterface
    private interface Work {
        String run(StagedTree staged) throws IOException;
    }

    private Work checkBuild(BinariesRequest request, Path output) {
        Path context = resolve(request.context());
        if (!Files.isDirectory(context)) {
            throw new InvalidRequestException("context: '" + context + "' is not a directory; give the build context"
                    + " of the binaries Dockerfile (for cloud-api-adaptor, the repository's root).");
        }
        Path dockerfile = request.dockerfile() == null ? context.resolve("Dockerfile") : resolve(request.dockerfile());
        if (!Files.isRegularFile(dockerfile)) {
            throw new InvalidRequestException("dockerfile: " + (request.dockerfile() == null
                    ? "none was given and '" + dockerfile + "' does not exist"
                    : "'" + dockerfile + "' is not a file") + "; give the binaries Dockerfile (for"
                    + " cloud-api-adaptor, podvm/Dockerfile.podvm_binaries).");
        }
        if (output.toString().contains(",")) {
            throw InvalidRequestException.of("output", output, "the builders' --output option cannot take a path"
                    + " with a comma; choose another directory");
        }
        BuilderDetector.Found builder = new BuilderDetector(finder, log, host).detect(request.containerBuilder());
        log.info("Building " + dockerfile + " with " + builder.kind().id() + " " + builder.version() + ".");
        return staged -> {
            new ContainerBuild(log, host).run(builder, dockerfile, context, request.buildArgs(), request.isolation(),
                    staged.tree());
            return builder.kind().id();
        };
    }

    private Work checkPull(BinariesRequest request, RegistryLogin login) {
        ImagePuller puller = new PullerDetector(finder, log, host).detect(request.puller(),
                login == null ? null : login.user());
        Path tar = finder.find("tar").orElseThrow();
        ImageReference image = request.image();
        log.info("Pulling " + image.canonical() + " with " + puller.kind().id()
                + (login == null ? " anonymously." : " as '" + login.user() + "'."));
        return staged -> {
            try (SecretDirectory secrets = SecretDirectory.create(secretsParent)) {
                Map<String, String> env = login == null ? Map.of()
                        : Map.of(RegistryLogin.AUTH_FILE_VARIABLE, login.writeAuthFile(secrets, image.registry()).toString());
                puller.pull(image, request.insecureRegistry(), env, staged.tree(), staged.scratch("pull"));
            }
            if (PublishedPayload.isIn(staged.tree())) {
                PublishedPayload.unpack(staged.tree(), new TarUnpacker(tar, log, host), staged.scratch("payload"), log);
            }
            return puller.kind().id();
        };
    }

    private RegistryLogin login(BinariesRequest request, String password) {
        boolean hasPassword = password != null && !password.isEmpty();
        if (request.registryUser() == null) {
            if (hasPassword) {
                throw new InvalidRequestException("registryUser: a registry password was given without a user;"
                        + " give the user too, or neither for an anonymous pull.");
            }
            return null;
        }
        if (!hasPassword) {
            throw new InvalidRequestException("registryPassword: user '" + request.registryUser() + "' was given"
                    + " without a password (the CLI reads it from PODVM_REGISTRY_PASSWORD).");
        }
        RegistryLogin login = new RegistryLogin(request.registryUser(), password);
        login.maskIn(log.masker());
        return login;
    }

    private static String source(BinariesRequest request) {
        return request.mode() == Mode.PULL ? request.image().toString()
                : (request.dockerfile() == null ? request.context().resolve("Dockerfile") : request.dockerfile()).toString();
    }

    private Path resolve(Path path) {
        return base.resolve(path).normalize();
    }
}
