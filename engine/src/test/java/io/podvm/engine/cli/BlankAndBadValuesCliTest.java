package io.podvm.engine.cli;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every string option of the three commands refuses an empty value with exit code 2 and a sentence that
 * names the option and shows the value as typed; so does a zero timeout, in the user's words.
 */
class BlankAndBadValuesCliTest {
    @TempDir
    Path work;

    private record Run(int exitCode, String stderr) {
    }

    /** In this JVM: the refusal comes before any work, so nothing but the message is produced. */
    private static Run podvm(List<String> args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = PodvmCli.run(args.toArray(String[]::new));
            return new Run(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private static List<String> with(List<String> valid, String option) {
        List<String> args = new ArrayList<>(valid);
        if (option.equals("IMAGE")) {
            args.set(args.indexOf("system.raw"), "");
        } else if (args.contains(option)) {
            args.set(args.indexOf(option) + 1, "");
        } else {
            args.addAll(List.of(option, ""));
        }
        return args;
    }

    private static void assertEachRefusesEmpty(List<String> valid, List<String> options) {
        for (String option : options) {
            Run run = podvm(with(valid, option));
            assertThat(run.exitCode()).as(option + ": " + run.stderr()).isEqualTo(2);
            assertThat(run.stderr()).as(option).startsWith("podvm: " + option + ": '' is not valid; ")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void mkosiOptions() {
        assertEachRefusesEmpty(List.of("mkosi"), List.of("--dir", "--variant", "--distribution", "--release",
                "--authorized-keys", "--ssh-private-key", "--binaries-tree", "--extra-package", "--output-dir",
                "--mkosi", "--package-cache", "--stage-only"));
    }

    @Test
    void binariesOptions() {
        assertEachRefusesEmpty(List.of("binaries", "--mode", "pull", "--image", "quay.io/a/b:1"),
                List.of("--mode", "--image", "--registry-user", "--puller", "--output", "--overlay"));
        assertEachRefusesEmpty(List.of("binaries", "--mode", "build", "--context", "ctx"),
                List.of("--dockerfile", "--context", "--build-arg", "--builder", "--isolation"));
    }

    @Test
    void uploadOptions() {
        assertEachRefusesEmpty(List.of("upload", "system.raw", "--provider", "aws", "--image-version", "1.0.0"),
                List.of("IMAGE", "--provider", "--name", "--config-dir", "--set", "--enable-variant",
                        "--disable-variant", "--uplosi", "--timeout"));
        assertEachRefusesEmpty(List.of("upload", "system.raw", "--provider", "aws"),
                List.of("--image-version", "--image-version-file"));
        assertEachRefusesEmpty(List.of("upload", "system.raw", "--provider", "gcp", "--image-version", "1.0.0"),
                List.of("--gcp-credentials"));
        assertEachRefusesEmpty(List.of("upload", "system.raw", "--provider", "openstack", "--image-version", "1.0.0"),
                List.of("--openstack-clouds"));
    }

    @Test
    void aZeroTimeoutIsRefusedInTheUsersWords() {
        for (String zero : List.of("0s", "0m", "PT0S", "-PT5S")) {
            Run run = podvm(List.of("upload", "system.raw", "--provider", "aws", "--image-version", "1.0.0",
                    "--timeout", zero));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.stderr()).startsWith("podvm: --timeout: '" + zero + "' is not valid; the timeout must be"
                    + " positive, such as 90s, 30m or 2h.");
        }
    }

    @Test
    void aPrivateKeyOthersCanReadIsWarnedAbout() throws Exception {
        Path key = SshKeyFiles.generate(work, "id_ed25519", "ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        CliProcess.Result run = CliProcess.run(work, Map.of(), "mkosi", "--variant", "debug", "--ssh-private-key",
                key.toString(), "--mkosi", work.resolve("no-mkosi-here").toString());

        assertThat(run.stderr()).contains("[podvm] WARNING: --ssh-private-key: '" + key + "' can be read by others"
                + " than its owner (mode rw-r--r--); a private key should be readable by its owner only (chmod 600");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        CliProcess.Result quiet = CliProcess.run(work, Map.of(), "mkosi", "--variant", "debug", "--ssh-private-key",
                key.toString(), "--mkosi", work.resolve("no-mkosi-here").toString());
        assertThat(quiet.stderr()).doesNotContain("WARNING").contains("no-mkosi-here");
    }
}
