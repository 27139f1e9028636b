package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real uplosi 0.4.0 against moto's AWS emulator on 127.0.0.1. Steps that run for real: STS
 * GetCallerIdentity, the pre-cleaning lookups (DescribeImages, DescribeSnapshots, HeadBucket), CreateBucket,
 * the S3 upload of the image, then, with the VM Import calls added to moto, ImportSnapshot and its task,
 * RegisterImage, the image-available waiter, CreateTags, CopyImage to a replication region,
 * ModifyImageAttribute (publish) and the blob's deletion. Plain moto stops at ImportSnapshot.
 */
class AwsUploadWithMotoTest {
    @TempDir
    Path dir;
    Path workspace;
    Path temp;

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(dir.resolve("workspace"));
        temp = Files.createDirectories(dir.resolve("tmp"));
        UploadFixtures.image(workspace, 4);
        Files.writeString(workspace.resolve("VERSION"), "0.1.0\n");
    }

    @Test
    void cliUploadsToTheEmulatorPrintsTheReferencesAndBumpsTheVersion() throws Exception {
        try (MotoServer moto = MotoServer.withVmImport(dir);
             CommandLineWatcher watcher = new CommandLineWatcher(UploadFixtures.secrets())) {
            CliRun run = cli(moto, "upload", "system.raw", "--provider", "aws", "--name", "podvm-nightly",
                    "--image-version-file", "VERSION", "--increment-version", "--set", "aws.bucket=podvm-uploads",
                    "--set", "aws.replicationRegions=[\"eu-west-1\"]", "--set", "aws.publish=true",
                    "--uplosi", UploadFixtures.realUplosi(), "--timeout", "3m", "--json");

            assertThat(run.exit).as(run.stderr).isZero();
            JsonNode result = Json.read(run.stdoutLines.get(run.stdoutLines.size() - 1));
            assertThat(result.get("provider").asText()).isEqualTo("aws");
            assertThat(result.get("version").asText()).isEqualTo("0.1.0");
            assertThat(result.get("nextVersion").asText()).isEqualTo("0.1.1");
            assertThat(result.get("seconds").asDouble()).isPositive();
            List<String> refs = new ArrayList<>();
            result.get("refs").forEach(r -> refs.add(r.asText()));
            assertThat(refs).hasSize(2);
            assertThat(refs.get(0)).matches("arn:aws:ec2:us-east-1:123456789012:image/ami-[0-9a-f]+");
            assertThat(refs.get(1)).matches("arn:aws:ec2:eu-west-1:123456789012:image/ami-[0-9a-f]+");
            assertThat(run.stderr).contains("Uploading os image as temporary blob podvm-nightly-0.1.0.raw",
                    "Importing podvm-nightly-0.1.0.raw as snapshot", "Replicating image", "Publishing ami");
            assertThat(Files.readString(workspace.resolve("VERSION"))).isEqualTo("0.1.1\n");

            assertThat(watcher.saw(" upload " + workspace.resolve("system.raw"))).isTrue();
            assertThat(watcher.leaks()).isEmpty();
            assertThat(run.stdout + run.stderr).doesNotContain(UploadFixtures.secrets());
            assertThat(UploadFixtures.filesHoldingSecrets(dir)).isEmpty();
            assertThat(UploadFixtures.engineDirs(temp)).isEmpty();
        }
    }

    @Test
    void plainMotoStopsAtImportSnapshotWithAClearErrorAndNoBump() throws Exception {
        UploadFixtures.CapturedLog log = new UploadFixtures.CapturedLog();
        try (MotoServer moto = MotoServer.plain(dir)) {
            UploadRequest request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                    .imageVersionFile("VERSION").incrementVersion(true).set("aws.bucket=podvm-uploads")
                    .credentials(UploadFixtures.aws()).environment("AWS_ENDPOINT_URL", moto.endpoint())
                    .uplosi(UploadFixtures.realUplosi()).tempDir(temp.toString()).build();
            assertThatThrownBy(() -> new Uploader(log.log, workspace, Map.of()).upload(request))
                    .isInstanceOf(PodvmException.class)
                    .hasMessageStartingWith("Uploading to aws failed at the step 'importing snapshot'")
                    .hasMessageContaining("ImportSnapshot").hasMessageContaining("vmimport");
        }
        assertThat(log.text()).contains("Uploading os image as temporary blob podvm-0.1.0.raw");
        assertThat(Files.readString(workspace.resolve("VERSION"))).isEqualTo("0.1.0\n");
        assertThat(log.text()).doesNotContain(UploadFixtures.secrets());
        assertThat(UploadFixtures.filesHoldingSecrets(dir)).isEmpty();
        assertThat(UploadFixtures.engineDirs(temp)).isEmpty();
    }

    @Test
    void uplosisOwnValidationIsReportedAsAConfigurationError() throws Exception {
        UploadFixtures.CapturedLog log = new UploadFixtures.CapturedLog();
        UploadRequest request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").set("aws.bucket=Not_A_Bucket").credentials(UploadFixtures.aws())
                .environment("AWS_ENDPOINT_URL", "http://127.0.0.1:" + UploadFixtures.refusedPort())
                .uplosi(UploadFixtures.realUplosi()).tempDir(temp.toString()).build();
        assertThatThrownBy(() -> new Uploader(log.log, workspace, Map.of()).upload(request))
                .hasMessageContaining("Uploading to aws failed at the step 'validating config'")
                .hasMessageContaining("Not_A_Bucket").hasMessageContaining("uplosi rejected the configuration");
    }

    private record CliRun(int exit, String stdout, List<String> stdoutLines, String stderr) {
    }

    /** podvm as a shell user runs it: its own JVM, credentials in its environment. */
    private CliRun cli(MotoServer moto, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"), "io.podvm.engine.cli.PodvmCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("AZURE_") || k.startsWith("GOOGLE_"));
        env.put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        File out = dir.resolve("cli.out").toFile();
        File err = dir.resolve("cli.err").toFile();
        Process process = builder.redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        return new CliRun(process.exitValue(), stdout, stdout.lines().toList(),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}
