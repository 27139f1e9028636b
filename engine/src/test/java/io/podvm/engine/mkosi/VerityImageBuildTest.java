package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.DiskImage;
import io.podvm.engine.testing.PcrProof;
import io.podvm.engine.testing.RealTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled debug image with {@code --root verity}, built once through the CLI as a user would and booted once
 * with {@code podvm boot}: its partitions and root hash, what the booted system shows (read by a probe service of
 * the test's binaries tree, which prints to the serial console before the login), the PCRs {@code podvm measure}
 * predicts, and a copy with one flipped byte in the root partition that must not boot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerityImageBuildTest {
    private static final String ROOT_VERITY_X86_64_TYPE = "2C7357ED-EBD2-46D9-AEC1-23D437EC2BF5";

    private Path work;
    private JsonNode built;
    private JsonNode booted;
    private String console;

    @BeforeAll
    void buildAndBootTheDebugVerityImage() throws Exception {
        RealTools.require("mkosi");
        work = Files.createTempDirectory("podvm-verity-");
        Path binaries = binariesTree(work.resolve("binaries"));

        CliProcess.Result cli = CliProcess.start(work, Map.of(), "mkosi", "--root", "verity", "--variant", "debug",
                "--binaries-tree", binaries.toString(), "--output-dir", "out", "--package-cache",
                RealTools.packageCache().toString(), "--json").await(20);
        assertThat(cli.exitCode()).as("podvm mkosi failed:\n%s", cli.stderr()).isZero();
        built = Json.read(cli.lastStdoutLine());
        System.out.println("podvm mkosi --root verity --json: " + cli.lastStdoutLine());

        // The one boot, with the proof that every PCR podvm measure predicts is the TPM's (PCR 11 covers the
        // UKI's command line, and so the root hash).
        booted = PcrProof.run(work, image()).boot();
        console = Files.readString(Path.of(booted.path("console").asText()), StandardCharsets.ISO_8859_1)
                .replace("\r", "");
    }

    /** Two disk images and their partitions, 1.4 GB: not left in /tmp by every run. */
    @AfterAll
    void deleteTheImages() throws IOException {
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    @Test
    void theResultNamesTheVerityRoot() {
        assertThat(built.path("root").asText()).isEqualTo("verity");
        assertThat(built.path("variant").asText()).isEqualTo("debug");
    }

    /**
     * systemd-repart sets the root partition's UUID from the first 128 bits of the root hash and the verity
     * partition's from the last 128 bits; mkosi writes the hash into the UKI's command line.
     */
    @Test
    void theImageIsAnEspAnErofsRootAndItsHashTreeWhoseRootHashIsInTheUkisCommandLine() throws IOException {
        JsonNode partitions = Json.read(DiskImage.run("sfdisk", "-J", image().toString()))
                .path("partitiontable").path("partitions");
        assertThat(partitions).extracting(p -> p.path("type").asText())
                .containsExactly(DiskImage.ESP_TYPE, DiskImage.ROOT_X86_64_TYPE, ROOT_VERITY_X86_64_TYPE);
        Path data = extract(partitions.get(1), "root.erofs");
        Path hash = extract(partitions.get(2), "root.verity");
        assertThat(DiskImage.run("blkid", "-p", "-o", "value", "-s", "TYPE", data.toString()).trim()).isEqualTo("erofs");

        String rootHash = rootHashOnTheCommandLine();
        String uuids = (partitions.get(1).path("uuid").asText() + partitions.get(2).path("uuid").asText())
                .replace("-", "").toLowerCase();
        System.out.printf("root hash %s; partitions: root %d bytes, verity %d bytes; image %d bytes%n", rootHash,
                Files.size(data), Files.size(hash), built.path("sizeBytes").asLong());
        assertThat(rootHash).matches("[0-9a-f]{64}").isEqualTo(uuids);
        assertThat(DiskImage.run("veritysetup", "verify", "-v", data.toString(), hash.toString(), rootHash))
                .contains("Command successful");
    }

    @Test
    void theRootIsMountedReadOnlyFromTheVerityDeviceAndUsrCannotBeWritten() {
        assertThat(probe("ROOT")).startsWith("/dev/mapper/root erofs").contains(" ro,");
        assertThat(probe("DM")).isEqualTo("verity");
        assertThat(probe("USR")).contains("Read-only file system").doesNotContain("writable");
        assertThat(probe("CMDLINE")).contains("roothash=" + rootHashOnTheCommandLine(), "systemd.volatile=state");
    }

    /** The state that must be writable: /var and /tmp on tmpfs, machine-id made by systemd at boot. */
    @Test
    void varAndTmpAreWritableAndTheMachineIdIsMadeAtBoot() {
        assertThat(probe("VAR")).startsWith("tmpfs");
        assertThat(probe("TMP")).isEqualTo("tmpfs");
        assertThat(probe("ETC")).matches("tmpfs\\[/machine-id\\] [0-9a-f]{32}");
    }

    @Test
    void theBootHasNoFailedUnitAndThePodvmServiceAndSshdRunWithHostKeysMadeAtBoot() {
        assertThat(booted.path("booted").asBoolean()).isTrue();
        assertThat(booted.path("failedUnits").size()).as("failed units: %s", booted.path("failedUnits")).isZero();
        assertThat(booted.path("services").path("kata-agent.service").asText()).isEqualTo("active");
        assertThat(probe("KATA")).isEqualTo("active");
        assertThat(probe("SSHD")).isEqualTo("active");
        assertThat(probe("HOSTKEYS")).contains("ssh_host_ed25519_key ", "ssh_host_rsa_key ");
    }

    /** The erofs superblock is at byte 1024 of the root partition: the boot reads it, and verity refuses it. */
    @Test
    void aFlippedByteInTheRootPartitionStopsTheBootWithAVerityError() throws Exception {
        Path corrupt = Files.copy(image(), work.resolve("corrupt.raw"));
        long rootStart = Json.read(DiskImage.run("sfdisk", "-J", corrupt.toString())).path("partitiontable")
                .path("partitions").get(1).path("start").asLong() * 512;
        try (RandomAccessFile file = new RandomAccessFile(corrupt.toFile(), "rw")) {
            file.seek(rootStart + 1024);
            int b = file.read();
            file.seek(rootStart + 1024);
            file.write(b ^ 0x01);
        }
        Set<Long> before = emulators();
        Path consoleLog = work.resolve("corrupt.console.log");

        CliProcess.Result boot = CliProcess.start(work, Map.of(), "boot", corrupt.toString(), "--timeout", "600",
                "--keep-console", consoleLog.toString(), "--json").await(15);

        System.out.println("podvm boot of the corrupted image: exit " + boot.exitCode() + "\n" + tail(boot.stderr()));
        assertThat(boot.exitCode()).as("stderr:\n%s", boot.stderr()).isEqualTo(1);
        assertThat(boot.stderr()).contains("The image did not boot", "The root file system failed its integrity check:"
                + " 'device-mapper: verity: ");
        assertThat(Files.readString(consoleLog, StandardCharsets.ISO_8859_1))
                .containsPattern("device-mapper: verity: [0-9:]+: data block \\d+ is corrupted");
        assertThat(emulators()).as("QEMU and swtpm of the failed boot are gone").isSubsetOf(before);
    }

    private String probe(String key) {
        Matcher m = Pattern.compile("(?m)^PROBE-" + key + "=(.*)$").matcher(console);
        assertThat(m.find()).as("the probe printed PROBE-%s; console:\n%s", key, tail(console)).isTrue();
        return m.group(1).trim();
    }

    private String rootHashOnTheCommandLine() {
        Path uki = work.resolve("uki.efi");
        Path cmdline = work.resolve("uki.cmdline");
        if (!Files.exists(cmdline)) {
            DiskImage.run("mcopy", "-n", "-i", image() + "@@1048576", "::/EFI/BOOT/BOOTX64.EFI", uki.toString());
            DiskImage.run("objcopy", "-O", "binary", "--only-section=.cmdline", uki.toString(), cmdline.toString());
        }
        try {
            Matcher m = Pattern.compile("(?:^|\\s)roothash=([0-9a-f]+)").matcher(Files.readString(cmdline));
            assertThat(m.find()).as("roothash= in the UKI's .cmdline").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path extract(JsonNode partition, String name) {
        Path file = work.resolve(name);
        DiskImage.run("dd", "if=" + image(), "of=" + file, "bs=512", "skip=" + partition.path("start").asLong(),
                "count=" + partition.path("size").asLong(), "status=none");
        return file;
    }

    private Path image() {
        return Path.of(built.path("image").asText());
    }

    /** The PIDs of the running QEMU and swtpm processes. */
    private static Set<Long> emulators() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command()
                .map(c -> c.endsWith("/qemu-system-x86_64") || c.endsWith("/swtpm")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * A binaries tree with a podvm service (a kata-agent stand-in that sleeps) and a probe that prints what the
     * booted system looks like to the serial console, before the console's login (so that it does not mix into
     * what podvm boot types there).
     */
    private static Path binariesTree(Path dir) throws IOException {
        write(dir, "etc/systemd/system/kata-agent.service", "[Unit]\nDescription=Stand-in for kata-agent (podvm test)\n\n"
                + "[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n");
        write(dir, "etc/systemd/system/podvm-verity-probe.service", "[Unit]\nDescription=What the root looks like"
                + " from inside (podvm test)\nAfter=kata-agent.service ssh.service podvm-ssh-host-keys.service\n"
                + "Before=serial-getty@ttyS0.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/bin/podvm-verity-probe\n\n"
                + "[Install]\nWantedBy=multi-user.target\n");
        write(dir, "etc/systemd/system-preset/10-podvm-test.preset", "enable podvm-verity-probe.service\n");
        Path probe = write(dir, "usr/local/bin/podvm-verity-probe", String.join("\n", List.of("#!/bin/sh",
                "exec >/dev/ttyS0 2>&1",
                "echo \"PROBE-ROOT=$(findmnt -n -o SOURCE,FSTYPE,OPTIONS /)\"",
                "echo \"PROBE-DM=$(dmsetup table root 2>&1 | cut -d' ' -f3)\"",
                "echo \"PROBE-USR=$(touch /usr/podvm-probe 2>&1 && echo writable)\"",
                "echo \"PROBE-VAR=$(findmnt -n -o SOURCE,FSTYPE /var)\"",
                "echo \"PROBE-TMP=$(findmnt -n -o FSTYPE /tmp)\"",
                "echo \"PROBE-ETC=$(findmnt -n -o SOURCE /etc/machine-id) $(cat /etc/machine-id)\"",
                "echo \"PROBE-KATA=$(systemctl is-active kata-agent.service)\"",
                "echo \"PROBE-SSHD=$(systemctl is-active ssh.service)\"",
                "echo \"PROBE-HOSTKEYS=$(ls /var/lib/podvm-ssh | tr '\\n' ' ')\"",
                "echo \"PROBE-CMDLINE=$(cat /proc/cmdline)\"", "")));
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static Path write(Path dir, String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
