package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.files.OutputPlaces;
import io.podvm.engine.files.OwnerTag;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.files.TreeListing;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.RecentLines;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ChildEnvironment;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.tools.Platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Builds a podvm image with mkosi: checks everything it can first, stages the tree, runs mkosi, and moves
 * the outputs into the output directory only when every step succeeded. The staging directory lives inside
 * the output directory, so the final move is a rename, and it is deleted whatever happens.
 */
public final class ImageBuilder {
    private static final Duration SUMMARY_TIMEOUT = Duration.ofMinutes(2);
    private static final String STAGE_PREFIX = ".podvm-stage-";

    private final BuildLog log;
    private final ProcessRunner runner;
    /** Where relative paths of the request are resolved: the CLI's working directory or the workspace. */
    private final Path base;
    /** Where mkosi and qemu-img are found, and what they are given of it. */
    private final HostEnvironment host;
    /** mkosi options of an incremental build, set when its tree is staged. */
    private List<String> incrementalOptions = List.of();
    /** The staged binaries tree and the rest of the staged definition, for the image's content key. */
    private TreeListing stagedBinaries;
    private TreeListing stagedConfiguration;

    public ImageBuilder(BuildLog log, Path base) {
        this(log, base, HostEnvironment.current());
    }

    public ImageBuilder(BuildLog log, Path base, HostEnvironment host) {
        this.log = log;
        this.runner = new ProcessRunner(log, host);
        this.base = base;
        this.host = host;
    }

    public ImageResult build(ImageRequest request) {
        long start = System.nanoTime();
        Plan plan = check(request);
        DiskSpace.require(spaceNeeds(request, plan));
        // Every check has passed: only now is anything created.
        try (OutputLock lock = OutputLock.take(OutputDirectory.prepare(plan.outputDir()), "podvm mkosi")) {
            packageCache(plan.packageCache());
            Path stage = createStage(plan.outputDir());
            Path rebuild = request.checkReproducible() ? createStage(plan.outputDir()) : null;
            try {
                // The check's second image is built first, so that a failure of either publishes nothing.
                ReproducibilityCheck.Run other = rebuild == null ? null : timed(() -> buildOnly(request, plan, rebuild));
                long published = System.nanoTime();
                ImageResult result = buildIn(request, plan, stage, start);
                return other == null ? result : new ReproducibilityCheck(log).compare(result,
                        Math.round((System.nanoTime() - published) / 1e7) / 100.0, other, rebuild.resolve("compare"));
            } catch (IOException e) {
                throw new PodvmException("The image build failed: " + e + ".", e);
            } finally {
                deleteStage(stage);
                if (rebuild != null) {
                    deleteStage(rebuild);
                }
            }
        }
    }

    /**
     * Stages and translates the tree into {@code target} without building it, and returns the mkosi command
     * that would build it there: for looking at what mkosi is given, and for measuring mkosi alone.
     */
    public List<String> stageOnly(ImageRequest request, Path target) {
        Plan plan = check(request);
        Path tree = resolve(target);
        if (Files.exists(tree)) {
            throw new InvalidRequestException("stage: '" + tree + "' exists; give a path that does not.");
        }
        try {
            stageTree(request, plan, tree);
        } catch (IOException e) {
            throw new PodvmException("Staging the tree failed: " + e + ".", e);
        }
        List<String> command = mkosiCommand(request, plan, "--force", "build");
        command.addAll(1, List.of("-C", tree.toString()));
        return command;
    }

    /** Everything the build needs, checked before any long work starts. */
    private record Plan(MkosiTool mkosi, Path qemuImg, Path tree, Path binaries, Path outputDir, Path packageCache,
            MkosiSettings settings, List<String> profiles, ReproducibleInputs inputs) {
    }

    private Plan check(ImageRequest request) {
        Platform.requireLinux("mkosi");
        Path tree = request.bundled() ? null : checkTree(resolve(request.dir()));
        Path binaries = binariesTree(request, tree);
        Path outputDir = OutputDirectory.check(resolve(request.outputDir()), base, tree, binaries);
        Path qemuImg = request.qcow2() ? host.findExecutable("qemu-img").orElseThrow(() -> new InvalidRequestException(
                "qcow2: qemu-img was not found on PATH; install it (apt-get install qemu-utils) or drop qcow2."))
                : null;
        if (request.root() == RootFileSystem.VERITY && host.findExecutable("mkfs.erofs").isEmpty()) {
            // systemd-repart runs it on this host at the end of the build: missing, it would fail after minutes.
            throw InvalidRequestException.of("root", request.root().id(), "the verity root is an erofs made by"
                    + " mkfs.erofs, which is not on PATH; install it (apt-get install erofs-utils) or use the ext4 root");
        }
        Path cache = checkPackageCache(request.packageCache() != null ? resolve(request.packageCache()) : defaultPackageCache());
        MkosiTool mkosi = MkosiTool.detect(request.mkosi(), log, host);
        if (request.incremental()) {
            IncrementalBuild.requireSupported(mkosi.version());
        }
        if (request.root() == RootFileSystem.VERITY && !mkosi.version().atLeast(19)) {
            throw InvalidRequestException.of("root", request.root().id(), "the verity root is built with mkosi 19 or"
                    + " newer (tried with 24.3 and 25.3), and this mkosi is " + mkosi.version() + "; use a newer mkosi"
                    + " (--mkosi) or the ext4 root");
        }
        MkosiSettings settings = mkosi.settings(log);
        List<String> profiles = TreeChecks.check(request, tree, settings);
        return new Plan(mkosi, qemuImg, tree, binaries, outputDir, cache, settings, profiles,
                reproducibleInputs(request, tree, mkosi));
    }

    /** The seed's mkosi before 19 is built as it always was; podvm's reproducibility settings need 19 or newer. */
    private ReproducibleInputs reproducibleInputs(ImageRequest request, Path tree, MkosiTool mkosi) {
        if (mkosi.version().atLeast(19)) {
            return ReproducibleInputs.of(request, tree);
        }
        log.warn("mkosi " + mkosi.version() + " is older than 19: podvm does not give it SourceDateEpoch= and Seed=,"
                + " so its images are not reproducible.");
        return null;
    }

    private ImageResult buildIn(ImageRequest request, Plan plan, Path stage, long start) throws IOException {
        MkosiSummary summary = buildOnly(request, plan, stage);
        Path image = summary.image().toRealPath();
        Path manifest = Files.exists(summary.manifest()) ? summary.manifest().toRealPath() : null;
        Path qcow2 = plan.qemuImg() == null ? null : convertToQcow2(plan.qemuImg(), image);
        String sha256 = Sha256.of(image);
        long size = Files.size(image);
        int packages = packageCount(manifest);
        ImageContent content = ImageContent.of(manifest, stagedBinaries, stagedConfiguration);
        Path contentFile = ImageContent.fileFor(image);
        content.write(contentFile);
        // Every step has succeeded: only now do the outputs appear under their final names, as one set; the
        // content key comes last, so that the one beside the image always describes that image.
        List<Path> files = new ArrayList<>(List.of(image));
        Stream.of(qcow2, manifest, contentFile).filter(Objects::nonNull).forEach(files::add);
        Iterator<Path> placed = OutputSet.publish(files, plan.outputDir()).iterator();
        return new ImageResult(placed.next().toString(), qcow2 == null ? null : placed.next().toString(), sha256,
                size, manifest == null ? null : placed.next().toString(), packages,
                plan.mkosi().version().toString(), request.variant().id(),
                request.distribution() != null ? request.distribution() : summary.distribution(),
                request.bundled() ? request.root().id() : null,
                Math.round((System.nanoTime() - start) / 1e7) / 100.0, content.contentKey(), request.incremental(),
                plan.inputs(), null);
    }

    /** Stages the tree in {@code stage} and runs mkosi there; the outputs stay in the stage. */
    private MkosiSummary buildOnly(ImageRequest request, Plan plan, Path stage) throws IOException {
        Path tree = stage.resolve("tree");
        stageTree(request, plan, tree);
        MkosiSummary summary = summary(request, plan, tree);
        runBuild(request, plan, tree);
        if (plan.inputs() != null && Files.isRegularFile(summary.image())) {
            // What mkfs.ext4 and mkfs.vfat (as systemd-repart 254 runs them) take from the clock: see the classes.
            new Ext4ChangeTimes(log).clamp(summary.image(), plan.inputs().sourceDateEpoch(), stage.resolve("ext4"));
            new VfatLabelTime(log).clamp(summary.image(), plan.inputs().sourceDateEpoch());
        }
        return summary;
    }

    private static ReproducibilityCheck.Run timed(ReproducibilityCheck.Build build) throws IOException {
        long start = System.nanoTime();
        Path image = build.run().image().toRealPath();
        return new ReproducibilityCheck.Run(image, Sha256.of(image), Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    }

    /** The tree mkosi is given: the definition with the request applied, in the layout this mkosi reads. */
    private void stageTree(ImageRequest request, Plan plan, Path tree) throws IOException {
        new TreeStager(log).stage(request, plan.binaries(), tree);
        new PresetTranslator(log).translate(tree, plan.settings());
        stagedBinaries = TreeListing.of(tree.resolve(TreeStager.BINARIES_TREE));
        stagedConfiguration = TreeListing.of(tree, TreeStager.BINARIES_TREE::equals);
        if (request.incremental()) {
            incrementalOptions = new IncrementalBuild(log).prepare(tree, plan.packageCache(), plan.mkosi().version());
        }
        if (plan.inputs() != null) {
            plan.inputs().writeDropIns(tree, plan.mkosi().version());
        }
    }

    private MkosiSummary summary(ImageRequest request, Plan plan, Path tree) {
        if (!plan.mkosi().version().atLeast(19)) {
            // mkosi before 19 has no JSON summary; the seed's layout writes build/system.raw.
            return new MkosiSummary(tree.resolve("build"), "system", request.distribution());
        }
        List<String> json = new ArrayList<>();
        RecentLines output = new RecentLines(log);
        MkosiErrorLine error = errorLine(request, plan, tree);
        ExecResult result = runner.run(ExecSpec.of(mkosiCommand(request, plan, "--json", "summary"))
                .inherit(ChildEnvironment.MKOSI).directory(tree).timeout(SUMMARY_TIMEOUT).onStdout(json::add)
                .onStderr(output.andThen(error)));
        if (!result.succeeded()) {
            throw new InvalidRequestException("mkosi cannot read the tree (exit " + result.exitCode()
                    + reason(output, error) + ")." + error.reason() + " The whole output is in the log above."
                    + " Nothing was built.");
        }
        MkosiSummary summary = MkosiSummary.parse(json, tree);
        TreeChecks.requirePackageManager(summary.distribution());
        return summary;
    }

    private void runBuild(ImageRequest request, Plan plan, Path tree) throws IOException {
        // mkosi's workspace and temporary files go into the stage, which podvm deletes whatever happens: in
        // /var/tmp they outlived every abort that cut mkosi's own cleanup short.
        Path scratch = Files.createDirectories(tree.resolveSibling("mkosi-tmp"));
        RecentLines output = new RecentLines(log);
        MkosiErrorLine error = errorLine(request, plan, tree);
        ExecSpec build = ExecSpec.of(mkosiCommand(request, plan, "--workspace-dir=" + scratch, "--force", "build"))
                .inherit(ChildEnvironment.MKOSI).directory(tree).env("TMPDIR", scratch.toString())
                .stopGrace(MkosiTool.STOP_GRACE).onStdout(output.andThen(error)).onStderr(output.andThen(error));
        ExecResult result;
        try (PackageCacheLock cache = PackageCacheLock.acquire(plan.packageCache(), log)) {
            result = runner.run(build);
        }
        if (!result.succeeded()) {
            throw new PodvmException("mkosi build failed (exit " + result.exitCode() + reason(output, error) + ")."
                    + error.reason() + " The whole output is in the log above. No image was written to the output"
                    + " directory." + DiskSpace.fullNote(List.of(plan.outputDir(), plan.packageCache())).orElse(""));
        }
    }

    /** The tool's own last error line, so that the closing sentence says why (disk full, a missing package). */
    private static String reason(RecentLines output) {
        String line = output.lastError();
        return line.isEmpty() ? "" : ": " + line;
    }

    /** The tool's error line, unless it is mkosi's own, which {@code mkosi} reports with the user's paths. */
    private static String reason(RecentLines output, MkosiErrorLine mkosi) {
        String line = output.lastError().strip();
        return line.startsWith("‣") && !mkosi.reason().isEmpty() ? "" : reason(output);
    }

    private List<String> mkosiCommand(ImageRequest request, Plan plan, String... tail) {
        List<String> command = new ArrayList<>(List.of(plan.mkosi().path().toString(),
                plan.mkosi().packageCacheOption(plan.packageCache())));
        if (request.distribution() != null) {
            command.add("--distribution=" + request.distribution());
        }
        if (request.release() != null) {
            command.add("--release=" + request.release());
        }
        command.addAll(incrementalOptions);
        plan.profiles().forEach(p -> command.add("--profile=" + p));
        if (plan.inputs() != null) {
            command.addAll(plan.inputs().mkosiOptions());
        }
        command.addAll(List.of(tail));
        return command;
    }

    /** mkosi's last error line, with staged paths shown as paths of the user's tree. */
    private MkosiErrorLine errorLine(ImageRequest request, Plan plan, Path tree) {
        // The lines reach the log through the RecentLines they are also given to.
        MkosiErrorLine error = new MkosiErrorLine(line -> { }, plan.mkosi().version());
        String user = request.bundled() ? "(bundled podvm definition)" : resolve(request.dir()).toString();
        if (request.bundled() || Files.isDirectory(resolve(request.dir()).resolve(PresetTranslator.PRESETS))) {
            error.mapPath(tree.resolve(PresetTranslator.IMAGES), user + "/" + PresetTranslator.PRESETS);
        }
        return error.mapPath(tree, user);
    }

    private Path convertToQcow2(Path qemuImg, Path image) {
        Path qcow2 = image.resolveSibling(image.getFileName().toString().replaceFirst("\\.raw$", "") + ".qcow2");
        RecentLines output = new RecentLines(log);
        ExecResult result = runner.run(ExecSpec.of(qemuImg.toString(), "convert", "-f", "raw", "-O", "qcow2",
                image.toString(), qcow2.toString()).onStdout(output).onStderr(output));
        if (!result.succeeded()) {
            throw new PodvmException("qemu-img convert failed (exit " + result.exitCode() + reason(output) + "); no"
                    + " image was written to the output directory.");
        }
        return qcow2;
    }

    private static int packageCount(Path manifest) throws IOException {
        if (manifest == null) {
            return 0;
        }
        JsonNode packages = Json.read(manifest).path("packages");
        return packages.isArray() ? packages.size() : 0;
    }

    private Path checkTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidRequestException("dir: '" + dir + "' is not a directory; give an mkosi tree (a"
                    + " directory with mkosi.conf), or no dir for the bundled podvm definition.");
        }
        checkReadable(dir, "");
        checkReadable(dir.resolve("mkosi.conf"), "its ");
        checkReadable(dir.resolve("mkosi.conf.d"), "its ");
        if (!Files.isRegularFile(dir.resolve("mkosi.conf")) && !Files.isDirectory(dir.resolve("mkosi.conf.d"))) {
            throw new InvalidRequestException("dir: '" + dir + "' is not an mkosi tree: it has no mkosi.conf or"
                    + " mkosi.conf.d/.");
        }
        return dir;
    }

    /**
     * A tree this user cannot read must be reported as such, not as "no mkosi.conf": without the right to read
     * or search a directory, the files in it look absent.
     */
    private static void checkReadable(Path path, String whose) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String problem = null;
        if (!Files.exists(path)) {
            problem = "is a symbolic link to nothing";
        } else if (!Files.isReadable(path) || Files.isDirectory(path) && !Files.isExecutable(path)) {
            problem = "cannot be read by this user (permission denied)";
        } else if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                entries.iterator().hasNext();
            } catch (IOException | DirectoryIteratorException e) {
                problem = "cannot be read (" + e.getMessage() + ")";
            }
        }
        if (problem != null) {
            throw new InvalidRequestException("dir: " + whose + "'" + path + "' " + problem + "; give an mkosi tree"
                    + " this user can read (run podvm as its owner or fix its permissions).");
        }
    }

    /** The binaries tree to copy in, or null when there is none to copy. */
    private Path binariesTree(ImageRequest request, Path tree) {
        if (request.binariesTree() != null) {
            Path given = resolve(request.binariesTree());
            if (!Files.isDirectory(given)) {
                throw new InvalidRequestException("binariesTree: '" + given + "' is not a directory; build it"
                        + " with 'podvm binaries' or leave binariesTree out.");
            }
            return given;
        }
        Path fallback = (tree == null ? base : tree).resolve(TreeStager.BINARIES_TREE);
        return Files.isDirectory(fallback) ? fallback : null;
    }

    private Path resolve(Path path) {
        return base.resolve(path).normalize();
    }

    /** Checked without creating it: it must be a directory, or one that can be made. */
    private static Path checkPackageCache(Path dir) {
        Path existing = OutputPlaces.nearestExisting(dir);
        if (!Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new InvalidRequestException("packageCache: '" + dir + "' cannot be created ('" + existing + "' is "
                    + (Files.isDirectory(existing) ? "not writable" : "not a directory")
                    + "); give a directory this user can write.");
        }
        return dir;
    }

    private static Path packageCache(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidRequestException("packageCache: '" + dir + "' cannot be created (" + e.getMessage()
                    + "); give a directory this user can write.");
        }
    }

    /** What the build will need on disk, from the definition's partitions; see {@link DiskSpace}. */
    private static List<DiskSpace.Need> spaceNeeds(ImageRequest request, Plan plan) {
        try {
            String partitions = TreeStager.repartDirectory(request.root()) + "/";
            ImageSizeEstimate image = request.bundled()
                    ? ImageSizeEstimate.of(BundledDefinition.read(n -> n.contains(partitions) && n.endsWith(".conf")))
                    : ImageSizeEstimate.ofTree(plan.tree());
            return DiskSpace.forBuild(image, request.qcow2(), plan.binaries(), plan.outputDir(), plan.packageCache());
        } catch (IOException e) {
            throw new PodvmException("Estimating the disk space the build needs failed: " + e + ".", e);
        }
    }

    private Path defaultPackageCache() {
        String xdg = host.get("XDG_CACHE_HOME").orElse(null);
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(host.get("HOME").orElse(System.getProperty("user.home")), ".cache");
        return cache.resolve("podvm").resolve("mkosi-packages");
    }

    private Path createStage(Path outputDir) {
        // A run killed with -9 leaves its stage (with resources/authorized_keys and mkosi's workspace) behind.
        for (Path left : OwnerTag.sweep(outputDir, STAGE_PREFIX)) {
            log.info("Removed " + left + ", left by a podvm run that is no longer running.");
        }
        try {
            return Files.createTempDirectory(outputDir, OwnerTag.prefix(STAGE_PREFIX));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteStage(Path stage) {
        try {
            FileTrees.deleteRecursively(stage);
        } catch (IOException e) {
            log.warn("Could not delete the staging directory " + stage + ": " + e.getMessage());
        }
    }
}
