package io.podvm.engine.upload;

import io.podvm.engine.AbortedException;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.files.OwnerTag;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.secret.SecretDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads an image with uplosi: checks everything it can first, then runs uplosi in a private working
 * directory (0700, outside the workspace) with the generated uplosi.conf, credentials in the environment
 * or in a private credential directory, and uplosi's own temporary files kept in the working directory.
 * Both directories are deleted whatever happens; a version file is bumped only after a successful upload.
 */
public final class Uploader {
    private final BuildLog log;
    private final ProcessRunner runner;
    /** Where relative paths of the request are resolved: the CLI's working directory or the workspace. */
    private final Path base;

    /** The machine's environment, where credentials come from when the request has none. */
    private final Map<String, String> machineEnvironment;
    /** Where uplosi is found, and what it is given of it. */
    private final HostEnvironment host;

    public Uploader(BuildLog log, Path base) {
        this(log, base, HostEnvironment.current());
    }

    public Uploader(BuildLog log, Path base, HostEnvironment host) {
        this(log, base, host, host.variables());
    }

    /** For tests: tools from this JVM's PATH, machine credentials from {@code machineEnvironment}. */
    Uploader(BuildLog log, Path base, Map<String, String> machineEnvironment) {
        this(log, base, HostEnvironment.current(), machineEnvironment);
    }

    private Uploader(BuildLog log, Path base, HostEnvironment host, Map<String, String> machineEnvironment) {
        this.log = log;
        this.runner = new ProcessRunner(log, host);
        this.base = base;
        this.machineEnvironment = Map.copyOf(machineEnvironment);
        this.host = host;
    }

    public UploadResult upload(UploadRequest request) {
        long start = System.nanoTime();
        ProviderCredentials credentials = credentials(request);
        credentials.secrets().forEach(log.masker()::add);
        credentials.check(request.provider());
        Path image = checkImage(request);
        SkipIfUnchanged skip = SkipIfUnchanged.prepare(log, resolveState(request), image);
        Optional<UploadResult> recorded = skip == null ? Optional.empty() : skip.recorded(request.provider(), start);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        Path work = createWorkDir(request.tempDir() == null ? null : base.resolve(request.tempDir()));
        try {
            // The whole configuration is checked before uplosi runs at all, even for its --help.
            UplosiConfig config = UplosiConfig.prepare(request, credentials, base, work);
            config.warnings().forEach(log::warn);
            config.notes().forEach(log::info);
            if (request.incrementVersion()) {
                config.versionFiles().forEach(VersionFile::checkIncrementable);
            }
            UplosiTool uplosi = UplosiTool.detect(request.uplosi(), log, host);
            uplosi.checkSupports(request.provider());
            List<String> refs = run(request, credentials, uplosi, config, image, work);
            String next = request.incrementVersion() ? bumpVersionFiles(config, uplosi) : null;
            log.info("Uploaded " + image.getFileName() + " version " + config.version() + " to " + request.provider()
                    + ": " + String.join(", ", refs) + (next == null ? "" : "; the next version is " + next));
            UploadResult result = new UploadResult(refs, request.provider().id(), config.version(), next,
                    Math.round((System.nanoTime() - start) / 1e7) / 100.0);
            if (skip != null) {
                skip.record(request.provider(), result);
            }
            return result;
        } finally {
            delete(work);
        }
    }

    private ProviderCredentials credentials(UploadRequest request) {
        if (!request.credentials().isEmpty()) {
            return request.credentials();
        }
        log.info("No credentials were given; using this machine's for " + request.provider() + ".");
        return ProviderCredentials.fromMachine(machineEnvironment, request.provider());
    }

    private Path resolveState(UploadRequest request) {
        return request.skipIfUnchanged() == null ? null : base.resolve(request.skipIfUnchanged()).normalize();
    }

    private Path checkImage(UploadRequest request) {
        Path image = base.resolve(request.image()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            throw InvalidRequestException.of("image", request.image(), Files.exists(image)
                    ? "the image must be a readable regular file (a raw disk image such as build/system.raw)"
                    : "no such file; build the image first (podvm mkosi) or check the path");
        }
        RawImageCheck.check(image, request.image().toString());
        return image;
    }

    private List<String> run(UploadRequest request, ProviderCredentials credentials, UplosiTool uplosi, UplosiConfig config, Path image, Path work) {
        try (SecretDirectory secrets = SecretDirectory.create(request.tempDir() == null ? null
                : base.resolve(request.tempDir()))) {
            Map<String, String> env = environment(request, credentials, secrets, work);
            config.write(work);
            log.info("uplosi " + uplosi.version() + " uploads to " + request.provider() + ", version "
                    + config.version() + (config.scopes().get(0).variant() == null ? ""
                    : ", variants " + config.scopes().stream().map(UplosiConfig.Scope::variant).toList()));
            UplosiFailure failure = new UplosiFailure(request.provider());
            AwsUploadTrace trace = new AwsUploadTrace();
            List<String> refs = Collections.synchronizedList(new ArrayList<>());
            ExecSpec spec = ExecSpec.of(uplosi.command(image, request.incrementVersion(),
                    request.enableVariants(), request.disableVariants())).directory(work)
                    .inherit(UplosiEnvironment.forUpload(request)).env(env)
                    .timeout(request.timeout()).onStdout(line -> reference(line, refs))
                    .onStderr(line -> {
                        log.line(line);
                        failure.stderr(log.masker().mask(line)); // its error becomes our message, masked too
                        trace.line(line);
                    });
            ExecResult result;
            try {
                result = execute(request, failure, spec);
            } catch (AbortedException e) {
                cleanUp(request, config, env, trace, "the aborted upload");
                throw e;
            } catch (PodvmException e) {
                cleanUp(request, config, env, trace, "the upload that timed out");
                throw e;
            }
            if (!result.succeeded()) {
                cleanUp(request, config, env, trace, "the failed upload");
                throw failure.failed(result.exitCode());
            }
            if (request.provider() == Provider.AWS) {
                awsLeftovers(config, env).abortStaleUploads(trace);
            }
            if (refs.isEmpty()) {
                throw new PodvmException("uplosi reported success uploading to " + request.provider() + " but printed"
                        + " no image reference; see its log above.");
            }
            return List.copyOf(refs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write uplosi's configuration in " + work, e);
        }
    }

    /** A timeout is a failure of the upload; an interrupt is an abort and stays one. */
    private ExecResult execute(UploadRequest request, UplosiFailure failure, ExecSpec spec) {
        try {
            return runner.run(spec);
        } catch (AbortedException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            throw failure.timedOut(request.timeout().toSeconds());
        }
    }

    /** What uplosi cannot clean up itself after a failure or an abort (on AWS: see {@link AwsLeftovers}). */
    private void cleanUp(UploadRequest request, UplosiConfig config, Map<String, String> env, AwsUploadTrace trace,
            String what) {
        if (request.provider() == Provider.AWS) {
            awsLeftovers(config, env).cleanUp(trace, what);
        }
    }

    private AwsLeftovers awsLeftovers(UplosiConfig config, Map<String, String> env) {
        return new AwsLeftovers(log, env, variant -> awsRegion(config, variant, env));
    }

    /** The aws.region that uplosi used for a variant ("" for none): its scope's, else AWS_REGION's. */
    private static String awsRegion(UplosiConfig config, String variant, Map<String, String> env) {
        return config.scopes().stream()
                .filter(scope -> variant.equals(scope.variant() == null ? "" : scope.variant()))
                .map(scope -> scope.settings().get("aws"))
                .filter(Map.class::isInstance)
                .map(table -> ((Map<?, ?>) table).get("region"))
                .filter(String.class::isInstance).map(String.class::cast).findFirst()
                .orElse(env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")));
    }

    /** uplosi prints image references on stdout, one a line; anything else there is only logged. */
    private void reference(String line, List<String> refs) {
        log.line(line);
        String ref = line.strip();
        if (!ref.isEmpty() && !ref.contains(" ")) {
            refs.add(ref);
        }
    }

    private Map<String, String> environment(UploadRequest request, ProviderCredentials credentials,
            SecretDirectory secrets, Path work) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        env.putAll(credentials.environment());
        if (request.provider() == Provider.GCP) {
            env.put("GOOGLE_APPLICATION_CREDENTIALS", secrets.write(credentials.gcpServiceAccountJson(), ".json").toString());
        }
        if (request.provider() == Provider.OPENSTACK) {
            env.put("OS_CLIENT_CONFIG_FILE", secrets.write(credentials.openstackCloudsYaml(), ".yaml").toString());
        }
        // uplosi's own temporary files (the GCP tarball of the image) go where we delete them.
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        env.put("TMPDIR", tmp.toString());
        return env;
    }

    private String bumpVersionFiles(UplosiConfig config, UplosiTool uplosi) {
        for (VersionFile file : config.versionFiles()) {
            checkUplosiBump(file, uplosi);
            file.commitNext();
            log.info("Version file " + file.original() + ": " + file.version() + " -> " + file.next());
        }
        return config.primaryVersionFile().next();
    }

    /** uplosi's -i bumps the private copy; a different result means its rule changed, which we report. */
    private void checkUplosiBump(VersionFile file, UplosiTool uplosi) {
        if (uplosi.form() != UplosiTool.Form.UPLOAD_COMMAND) {
            return;
        }
        try {
            String bumped = file.copyVersion();
            if (!file.next().equals(bumped)) {
                log.warn("uplosi left version '" + bumped + "' in its copy of " + file.original() + "; podvm writes "
                        + file.next() + " (the patch number plus one).");
            }
        } catch (IOException e) {
            log.warn("Cannot read uplosi's copy of the version file: " + e.getMessage());
        }
    }

    private static Path createWorkDir(Path parent) {
        try {
            var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            Path where = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(where);
            // Runs killed with -9 leave theirs; the name carries the owner's pid and start time.
            OwnerTag.sweep(where, "podvm-uplosi-");
            return Files.createTempDirectory(where, OwnerTag.prefix("podvm-uplosi-"), mode);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a private working directory for uplosi", e);
        }
    }

    private void delete(Path work) {
        try {
            FileTrees.deleteRecursively(work);
        } catch (IOException e) {
            log.warn("Cannot delete uplosi's working directory " + work + ": " + e.getMessage());
        }
    }
}
