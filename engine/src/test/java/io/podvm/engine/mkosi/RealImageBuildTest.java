package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.BootLeftovers;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.DiskImage;
import io.podvm.engine.testing.PcrProof;
import io.podvm.engine.testing.QemuBoot;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import io.podvm.engine.testing.UkiCommandLine;
import io.podvm.engine.files.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real mkosi builds of the bundled debian flavour: a debug image with a key, an extra package and a qcow2
 * copy, built through the CLI as a user would, and a production image built through the engine API as the
 * Jenkins step does. The assertions look inside the images themselves. The PCR proof runs on the debug image
 * and on a variation of it with another kernel command line; a variation with one more package and a copy
 * whose UKI names a missing root are made from these builds, each once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealImageBuildTest {
    /** An argument the bundled definition does not have, added to the kernel command line. */
    private static final String EXTRA_KERNEL_ARGUMENT = "podvm.proof=cmdline";
    /** A small package (one binary, no dependencies besides libc) that the debug image does not have. */
    private static final String ROOT_ONLY_PACKAGE = "tree";

    private Path work;
    private Path key;
    private Path binaries;
    private JsonNode debug;
    private ImageResult production;

    @BeforeAll
    void buildBothVariants() throws Exception {
        RealTools.require("mkosi");
        work = Files.createTempDirectory("podvm-real-build-");
        key = SshKeyFiles.generate(work, "id_ed25519", "ed25519", "");
        binaries = binariesTree(work.resolve("binaries"));

        CliProcess.Result cli = CliProcess.start(work, Map.of(), "mkosi", "--variant", "debug",
                "--ssh-private-key", key.toString(), "--binaries-tree", binaries.toString(), "--extra-package", "jq",
                "--qcow2", "--output-dir", "debug-out", "--package-cache", RealTools.packageCache().toString(),
                "--json").await(20);
        assertThat(cli.exitCode()).as("podvm mkosi failed:\n%s", cli.stderr()).isZero();
        debug = Json.read(cli.lastStdoutLine());

        production = new ImageBuilder(TestLogs.discard(), work).build(ImageRequest.builder()
                .binariesTree(binaries.toString()).outputDir("production-out")
                .packageCache(RealTools.packageCache().toString()).build());
        System.out.printf("debug image built in %.1f s, production image in %.1f s%n",
                debug.path("seconds").asDouble(), production.seconds());
    }

    /** The images are about 1.7 GB a run: a CI machine that runs the suite every day must not keep them. */
    @AfterAll
    void deleteTheImages() throws IOException {
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    @Test
    void theCliReportsTheImageAsJsonWithCorrectFigures() throws IOException {
        Path image = Path.of(debug.path("image").asText());

        assertThat(image).isEqualTo(work.resolve("debug-out/system.raw"));
        assertThat(debug.path("sha256").asText()).isEqualTo(Sha256.of(image));
        assertThat(debug.path("sizeBytes").asLong()).isEqualTo(Files.size(image));
        assertThat(debug.path("packageCount").asInt()).isEqualTo(packages(Path.of(debug.path("manifest").asText())).size());
        assertThat(debug.path("mkosiVersion").asText()).matches("\\d+\\.\\d+");
        assertThat(debug.path("variant").asText()).isEqualTo("debug");
        assertThat(debug.path("distribution").asText()).isEqualTo("debian");
        assertThat(debug.path("seconds").asDouble()).isPositive();
    }

    @Test
    void bothImagesHaveAnEspWithTheUkiAndARootPartition() throws IOException {
        for (Path image : List.of(debugImage(), Path.of(production.image()))) {
            DiskImage disk = new DiskImage(image);
            assertThat(disk.partitions()).extracting(DiskImage.Partition::type)
                    .containsExactly(DiskImage.ESP_TYPE, DiskImage.ROOT_X86_64_TYPE);
            assertThat(disk.listEsp("::/EFI/BOOT")).contains("BOOTX64.EFI");
        }
    }

    @Test
    void theDebugImageHasRootsKeyWithMode0400AndSsh() throws IOException {
        String expected = SshKeyFiles.publicKeyBody(key);

        new DiskImage(debugImage()).withRoot(root -> {
            Path keys = root.resolve("root/.ssh/authorized_keys");
            assertThat(keys).content().contains(expected);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("r--------");
            assertThat(root.resolve("etc/ssh/sshd_config.d/10-podvm-debug.conf")).content()
                    .contains("PermitRootLogin prohibit-password");
            assertThat(hostKeys(root)).as("host keys are made at first boot, not baked in").isEmpty();
            return null;
        });
        assertThat(packages(Path.of(debug.path("manifest").asText()))).contains("openssh-server");
    }

    @Test
    void theProductionImageHasNoKeyAndNoSsh() throws IOException {
        new DiskImage(Path.of(production.image())).withRoot(root -> {
            assertThat(root.resolve("root/.ssh/authorized_keys")).doesNotExist();
            assertThat(root.resolve("usr/sbin/sshd")).doesNotExist();
            return null;
        });
        assertThat(packages(Path.of(production.manifest()))).doesNotContain("openssh-server");
        assertThat(production.variant()).isEqualTo("production");
        assertThat(production.qcow2()).isNull();
    }

    @Test
    void bothImagesHoldTheBinariesTree() throws IOException {
        for (Path image : List.of(debugImage(), Path.of(production.image()))) {
            new DiskImage(image).withRoot(root -> {
                Path agent = root.resolve("usr/local/bin/podvm-test-agent");
                assertThat(agent).content().startsWith("#!/bin/sh");
                assertThat(Files.isExecutable(agent)).isTrue();
                assertThat(root.resolve("etc/podvm/agent.toml")).content().isEqualTo("name = \"test\"\n");
                return null;
            });
        }
    }

    /** RemoveFiles= lists one path a line: mkosi 24.3 would read paths separated by spaces as one path. */
    @Test
    void theFilesTheDefinitionRemovesAreGone() throws IOException {
        for (Path image : List.of(debugImage(), Path.of(production.image()))) {
            new DiskImage(image).withRoot(root -> {
                for (String removed : List.of("etc/issue", "etc/issue.net", "var/log", "var/cache")) {
                    assertThat(root.resolve(removed)).as("/%s in %s", removed, image).doesNotExist();
                }
                assertThat(root.resolve("usr/lib/tmpfiles.d/var.conf")).as("makes /var/log and /var/cache at boot")
                        .content().contains("d /var/log ", "d /var/cache ");
                return null;
            });
        }
    }

    /** podvm sets the ext4 change times with debugfs after mkosi: the file system must still check clean. */
    @Test
    void theRootFileSystemChecksCleanAndItsChangeTimesAreTheEpoch() throws IOException {
        for (Path image : List.of(debugImage(), Path.of(production.image()))) {
            long offset = new DiskImage(image).partitions().stream()
                    .filter(p -> p.type().equalsIgnoreCase(DiskImage.ROOT_X86_64_TYPE)).findFirst().orElseThrow()
                    .startSector() * 512;
            String partition = image + "?offset=" + offset;
            assertThat(DiskImage.run("e2fsck", "-fn", partition)).contains("Pass 5");
            assertThat(DiskImage.run("debugfs", "-R", "stat /usr/local/bin/podvm-test-agent", partition))
                    .contains(String.format("ctime: 0x%08x:", ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH),
                            String.format("atime: 0x%08x:", ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH));
        }
    }

    /** The result names the time and seed mkosi was given, and every file of the image is clamped to that time. */
    @Test
    void theImagesAreBuiltWithARecordedTimeAndSeed() throws IOException {
        assertThat(debug.path("sourceDateEpoch").asLong()).isEqualTo(ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH);
        assertThat(debug.path("seed").asText())
                .isEqualTo(ReproducibleInputs.seedFor("podvm-debian-bookworm-debug").toString());
        assertThat(production.inputs().seed())
                .isEqualTo(ReproducibleInputs.seedFor("podvm-debian-bookworm-production").toString());
        new DiskImage(Path.of(production.image())).withRoot(root -> {
            // Staged minutes ago, so newer than the epoch unless mkosi clamped it.
            assertThat(Files.getLastModifiedTime(root.resolve("usr/local/bin/podvm-test-agent")).toInstant()
                    .getEpochSecond()).isEqualTo(ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH);
            return null;
        });
    }

    @Test
    void theExtraPackageIsInstalledInTheImageItWasAskedFor() throws IOException {
        new DiskImage(debugImage()).withRoot(root -> {
            assertThat(root.resolve("usr/bin/jq")).exists();
            return null;
        });
        assertThat(packages(Path.of(debug.path("manifest").asText()))).contains("jq");
        assertThat(packages(Path.of(production.manifest()))).doesNotContain("jq");
    }

    @Test
    void theQcow2CopyIsAValidQcow2OfTheSameDisk() throws IOException {
        Path qcow2 = Path.of(debug.path("qcow2").asText());

        JsonNode info = Json.read(DiskImage.run("qemu-img", "info", "--output=json", qcow2.toString()));
        assertThat(info.path("format").asText()).isEqualTo("qcow2");
        assertThat(info.path("virtual-size").asLong()).isEqualTo(Files.size(debugImage()));
        assertThat(DiskImage.run("qemu-img", "check", qcow2.toString())).contains("No errors were found");
    }

    @Test
    void onlyFinishedOutputsAreLeftInTheOutputDirectories() throws IOException {
        assertThat(names(work.resolve("debug-out"))).containsExactlyInAnyOrder("system.raw", "system.manifest",
                "system.qcow2", "system.podvm.json", OutputSet.RECORD);
        assertThat(names(work.resolve("production-out"))).containsExactlyInAnyOrder("system.raw", "system.manifest",
                "system.podvm.json", OutputSet.RECORD);
    }

    /**
     * A user at the serial console of a debug image is logged in as root without a password and can run a
     * command, and the key the image was built with logs in over SSH through the README's port forward. Each
     * check reads a computed answer (not the echo of what was typed).
     */
    @Test
    void theDebugImageLogsRootInOnTheSerialConsoleAndOverSsh() throws Exception {
        Path bootDir = Files.createDirectories(work.resolve("boot"));
        int sshPort = freePort();

        try (QemuBoot boot = QemuBoot.startWithSsh(debugImage(), bootDir, sshPort)) {
            boolean shell = boot.awaitConsole(Pattern.compile("root@[^\\s:]+:[^\\n]*#"), Duration.ofMinutes(8));
            System.out.printf("QEMU (TCG, OVMF) reached a root shell on ttyS0 in %d s%n", boot.elapsed().toSeconds());
            assertThat(shell).as("no root shell on the serial console:\n%s", tail(boot.console())).isTrue();

            boot.type("echo \"podvm-$((6 * 7))-$(id -un)-$(tty)\"");
            assertThat(boot.awaitConsole(Pattern.compile("podvm-42-root-/dev/ttyS0"), Duration.ofMinutes(1)))
                    .as("the command did not run:\n%s", tail(boot.console())).isTrue();

            assertThat(sshUntilAnswered(sshPort, "echo ssh-$((6 * 7))-$(id -un)", Duration.ofMinutes(3)))
                    .as("console:\n%s", tail(boot.console())).contains("ssh-42-root");
        }
    }

    /**
     * The proof of {@code podvm measure} (see {@link PcrProof}): every PCR it predicts from the image alone is the
     * value the (software) TPM holds after {@code podvm boot --tpm} has booted that image; on a mismatch the
     * predicted events and the firmware's event log entries are printed side by side. PCR 11 is also checked
     * against the reference implementation, systemd-measure. One boot serves every assertion.
     */
    @Test
    void thePcrsPodvmMeasurePredictsAreTheOnesTheTpmHoldsAfterPodvmBoot() throws Exception {
        PcrProof.Proof proof = PcrProof.run(work, debugImage());

        System.out.printf("mkosi 24.3 debug image: PCR 4 %s, PCR 9 %s, PCR 11 %s; login after %.1f s (%.1f s in all),"
                + " %s%n", proof.held(4), proof.held(9), proof.held(11), proof.boot().path("secondsToLogin").asDouble(),
                proof.boot().path("seconds").asDouble(), proof.boot().path("accel").asText());
    }

    /**
     * The same definition with one more kernel command line argument (a drop-in, as a user would add it; the
     * same seed and time as the baseline): the .cmdline section is measured into PCR 11 (systemd-stub) and 9
     * (the kernel's EFI stub) and changes the UKI and so its Authenticode digest in PCR 4; the kernel's own
     * digest stays. The proof holds on the changed image too.
     */
    @Test
    void aChangedKernelCommandLineChangesPcr4And9And11AndTheProofStillHolds() throws Exception {
        Path tree = work.resolve("cmdline-tree");
        BundledDefinition.copyTo(tree);
        Files.writeString(tree.resolve("mkosi.presets/system/mkosi.conf.d/90-proof-cmdline.conf"),
                "[Content]\nKernelCommandLine=" + EXTRA_KERNEL_ARGUMENT + "\n");
        ImageResult changed = new ImageBuilder(TestLogs.discard(), work).build(debugLike().dir(tree.toString())
                .distribution("debian").sourceDateEpoch(debug.path("sourceDateEpoch").asText())
                .seed(debug.path("seed").asText()).outputDir("cmdline-out").build());
        System.out.printf("debug image with a changed kernel command line built in %.1f s%n", changed.seconds());
        assertThat(UkiCommandLine.of(Path.of(changed.image()), work)).endsWith(" " + EXTRA_KERNEL_ARGUMENT);
        assertThat(UkiCommandLine.of(debugImage(), work)).doesNotContain(EXTRA_KERNEL_ARGUMENT);

        PcrProof.Proof baseline = PcrProof.measureOnly(work, debugImage());
        PcrProof.Proof proof = PcrProof.run(work, Path.of(changed.image()));

        System.out.printf("changed command line: PCR 4 %s, PCR 9 %s, PCR 11 %s (baseline %s, %s, %s); login"
                + " after %.1f s, %s%n", proof.held(4), proof.held(9), proof.held(11), baseline.predicted(4),
                baseline.predicted(9), baseline.predicted(11), proof.boot().path("secondsToLogin").asDouble(),
                proof.boot().path("accel").asText());
        for (int pcr : new int[] {4, 9, 11}) {
            assertThat(proof.predicted(pcr)).as("PCR %d", pcr).isNotEqualTo(baseline.predicted(pcr));
        }
        assertThat(proof.prediction().path("events").path("4").get(3))
                .as("the kernel's Authenticode event: the kernel is the same")
                .isEqualTo(baseline.prediction().path("events").path("4").get(3));
        assertThat(Files.readString(Path.of(proof.boot().path("console").asText()), StandardCharsets.ISO_8859_1))
                .as("the kernel booted with the argument").contains(EXTRA_KERNEL_ARGUMENT);
    }

    /**
     * On this definition the root is a plain ext4 partition and the firmware and stub measure only the UKI
     * (kernel, initrd, command line, os-release): a package added to the root alone leaves the UKI
     * byte-identical (the build is reproducible), so the predicted PCRs are the baseline's, which the proof
     * has shown the TPM holds. No boot is needed for that. The root does differ: the package is there.
     */
    @Test
    void aPackageAddedToTheExt4RootAloneLeavesTheUkiAndItsPcrsUnchanged() throws Exception {
        ImageResult withPackage = new ImageBuilder(TestLogs.discard(), work).build(debugLike()
                .extraPackages(List.of("jq", ROOT_ONLY_PACKAGE)).outputDir("package-out").build());
        System.out.printf("debug image with one more package built in %.1f s%n", withPackage.seconds());
        new DiskImage(Path.of(withPackage.image())).withRoot(root -> {
            assertThat(root.resolve("usr/bin/" + ROOT_ONLY_PACKAGE)).exists();
            return null;
        });
        new DiskImage(debugImage()).withRoot(root -> {
            assertThat(root.resolve("usr/bin/" + ROOT_ONLY_PACKAGE)).doesNotExist();
            return null;
        });
        assertThat(Sha256.of(Path.of(withPackage.image()))).isNotEqualTo(debug.path("sha256").asText());

        PcrProof.Proof baseline = PcrProof.measureOnly(work, debugImage());
        PcrProof.Proof measured = PcrProof.measureOnly(work, Path.of(withPackage.image()));

        System.out.printf("one more package: UKI %s (baseline %s), PCR 4 %s, PCR 11 %s%n", measured.uki(),
                baseline.uki(), measured.predicted(4), measured.predicted(11));
        assertThat(measured.uki()).as("the UKI's SHA-256").isEqualTo(baseline.uki());
        assertThat(measured.prediction().path("pcrs")).isEqualTo(baseline.prediction().path("pcrs"));
    }

    /**
     * A UKI whose command line names a root partition that does not exist (a copy of the production image with
     * its .cmdline replaced, no new build): the initrd waits for the device (systemd's 90 s) and gives up into
     * emergency mode; podvm boot fails with what the console showed, keeps the console log, and leaves no QEMU,
     * swtpm or state directory.
     */
    @Test
    void aKernelCommandLinePointingAtAMissingRootFailsTheBootClearly() throws Exception {
        Path dir = Files.createDirectories(work.resolve("missing-root"));
        String uuid = UUID.randomUUID().toString();
        String missing = "root=PARTUUID=" + uuid;
        Path image = UkiCommandLine.copyWithAppended(Path.of(production.image()), dir.resolve("system.raw"), missing);

        long start = System.nanoTime();
        CliProcess.Result result = CliProcess.start(dir, Map.of(), "boot", "system.raw", "--timeout", "600")
                .await(15);
        System.out.printf("podvm boot of an image whose root is missing failed after %.1f s:%n%s%n",
                (System.nanoTime() - start) / 1e9, result.stderr());

        assertThat(result.exitCode()).as("stderr:\n%s", result.stderr()).isEqualTo(1);
        // systemd shortens the line to the console's width: the end of the UUID is what is left of it.
        assertThat(result.stderr()).contains("podvm: The image did not boot: the console shows 'Timed out waiting for"
                + " device ").contains(uuid.substring(uuid.length() - 12) + "' and then 'You are in emergency mode.")
                .contains("The console log is kept at " + dir.resolve("system.console.log"))
                .doesNotContain("Exception");
        assertThat(Files.readString(dir.resolve("system.console.log"), StandardCharsets.ISO_8859_1))
                .contains(missing, "emergency mode");
        BootLeftovers.assertNone(result.stderr(), image);
    }

    /** The baseline debug image's request, for variations of it built through the engine API. */
    private ImageRequest.Builder debugLike() throws IOException {
        return ImageRequest.builder().variant("debug").sshPrivateKey(Files.readString(key), null, "sshPrivateKey")
                .binariesTree(binaries.toString()).extraPackages(List.of("jq"))
                .packageCache(RealTools.packageCache().toString());
    }

    /** sshd starts after the console (its host keys are made at first boot): try until it answers. */
    private String sshUntilAnswered(int port, String command, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Process ssh = new ProcessBuilder("ssh", "-i", key.toString(), "-p", Integer.toString(port),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "ConnectTimeout=20", "root@127.0.0.1", command).redirectErrorStream(true).start();
            ssh.getOutputStream().close();
            last = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ssh.waitFor() == 0) {
                return last;
            }
            Thread.sleep(3000);
        }
        return "ssh never answered; last attempt: " + last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Path debugImage() {
        return Path.of(debug.path("image").asText());
    }

    /** A tree shaped like cloud-api-adaptor's podvm-binaries: an executable, a config file. */
    private static Path binariesTree(Path dir) throws IOException {
        Path agent = dir.resolve("usr/local/bin/podvm-test-agent");
        Files.createDirectories(agent.getParent());
        Files.writeString(agent, "#!/bin/sh\necho podvm test agent\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("etc/podvm/agent.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "name = \"test\"\n");
        return dir;
    }

    private static List<String> packages(Path manifest) throws IOException {
        List<String> names = new ArrayList<>();
        Json.read(manifest).path("packages").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    private static List<String> hostKeys(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("etc/ssh"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ssh_host_")).toList();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
