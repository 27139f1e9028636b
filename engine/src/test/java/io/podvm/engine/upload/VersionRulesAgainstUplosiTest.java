package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * podvm's version rules against the oracle: the real uplosi 0.4.0 runs {@code upload -i} on moto with each
 * version file, and podvm accepts a version exactly when uplosi uploads it and bumps it to the version podvm
 * computes. uplosi refuses some only after the upload (leading zeros, a patch number beyond Go's int) and
 * garbles one (the largest int64 patch wraps to a negative number): podvm refuses those before.
 */
class VersionRulesAgainstUplosiTest {
    private static final List<String> VERSIONS = List.of("1.2.3", "0.0.0", " 1.2.3 \n", "99999999999.0.0",
            "123456789012345678901234567890.1.2", "1.2.9223372036854775806", "1.2.9223372036854775807",
            "1.2.9223372036854775808", "01.02.03", "1.02.3", "1.2.03", "00.0.0", "1.2.3-rc1", "v1.2.3", "1.2",
            "1.2.3.4", "", "1.2.3\n4");

    @TempDir
    Path dir;

    /** What uplosi did with one version file. */
    record Outcome(String version, int exitCode, boolean uploaded, String after, String error) {
    }

    @Test
    void podvmAcceptsExactlyWhatUplosiUploadsAndBumpsCorrectly() throws Exception {
        Path image = GptImages.withEsp(dir.resolve("system.raw"), 4);
        List<String> disagreements = new ArrayList<>();
        try (MotoServer moto = MotoServer.withVmImport(dir)) {
            int n = 0;
            for (String version : VERSIONS) {
                Outcome uplosi = runUplosi(moto, image, version, n++);
                String podvm = podvmVerdict(version);
                boolean uplosiOk = uplosi.exitCode() == 0 && uplosi.after().equals(writtenByUplosi(version, podvm));
                boolean podvmOk = !podvm.startsWith("refused");
                if (uplosiOk != podvmOk) {
                    disagreements.add(uplosi + " vs podvm " + podvm);
                }
                if (!podvmOk && uplosi.uploaded()) {
                    // Refused by podvm but taken by uplosi's own check: uplosi fails (or garbles) only after.
                    assertThat(podvm).as(version).startsWith("refused (increment)");
                }
                System.out.println("version " + version.replace("\n", "\\n") + ": uplosi exit " + uplosi.exitCode()
                        + (uplosi.uploaded() ? " after uploading" : " before uploading") + ", file now '"
                        + uplosi.after().replace("\n", "\\n") + "' " + uplosi.error() + "; podvm: " + podvm);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    /**
     * The version file as uplosi leaves it when it bumps {@code old} to {@code next}: it writes over the file
     * without truncating it (upload.go writeVersionFile), so a longer old content keeps its tail. podvm
     * writes the user's file itself; only uplosi's private copy looks like this.
     */
    private static String writtenByUplosi(String old, String next) {
        return next + (old.length() > next.length() ? old.substring(next.length()) : "");
    }

    /** The next version podvm would write, or why it refuses. */
    private static String podvmVerdict(String content) {
        String version = ImageVersion.trimSpace(content);
        try {
            ImageVersion.checkFormat("f", version);
        } catch (InvalidRequestException e) {
            return "refused (format)";
        }
        try {
            ImageVersion.checkIncrementable("f", version);
            return ImageVersion.increment(version);
        } catch (InvalidRequestException e) {
            return "refused (increment)";
        }
    }

    private Outcome runUplosi(MotoServer moto, Path image, String version, int n) throws Exception {
        Path work = Files.createDirectories(dir.resolve("run-" + n));
        Files.writeString(work.resolve("uplosi.conf"), "[base]\nprovider = \"aws\"\nname = \"podvm-diff-" + n
                + "\"\nimageVersionFile = \"VERSION\"\n[base.aws]\nregion = \"us-east-1\"\nbucket = \"podvm-diff\"\n");
        Files.writeString(work.resolve("VERSION"), version);
        ProcessBuilder builder = new ProcessBuilder(UploadFixtures.realUplosi(), "upload", "-i", image.toString())
                .directory(work.toFile()).redirectOutput(work.resolve("out").toFile())
                .redirectError(work.resolve("err").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        builder.environment().put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_ENDPOINT_URL", moto.endpoint());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("uplosi finished").isTrue();
        String err = Files.readString(work.resolve("err"), StandardCharsets.UTF_8);
        String error = err.lines().filter(l -> l.startsWith("Error: ")).findFirst().orElse("");
        String after = Files.readString(work.resolve("VERSION"), StandardCharsets.UTF_8);
        return new Outcome(version, process.exitValue(), err.contains("Uploading os image as temporary blob"),
                after, error);
    }
}
