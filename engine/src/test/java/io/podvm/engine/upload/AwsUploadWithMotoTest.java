package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.CommandLineWatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 4, "0.1.0");
    }

    @Test
    void cliUploadsToTheEmulatorPrintsTheReferencesAndBumpsTheVersion() throws Exception {
        try (MotoServer moto = MotoServer.withVmImport(dir);
             CommandLineWatcher watcher = new CommandLineWatcher()) {
            CliProcess.Result run = cli(moto, "upload", "system.raw", "--provider", "aws", "--name", "podvm-nightly",
                    "--image-version-file", "VERSION", "--increment-version", "--set", "aws.bucket=podvm-uploads",
                    "--set", "aws.replicationRegions=[\"eu-west-1\"]", "--set", "aws.publish=true",
                    "--uplosi", UploadFixtures.realUplosi(), "--timeout", "3m", "--json");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode result = Json.read(run.lastStdoutLine());
            assertThat(result.get("provider").asText()).isEqualTo("aws");
            assertThat(result.get("version").asText()).isEqualTo("0.1.0");
            assertThat(result.get("nextVersion").asText()).isEqualTo("0.1.1");
            assertThat(result.get("seconds").asDouble()).isPositive();
            List<String> refs = new ArrayList<>();
            result.get("refs").forEach(r -> refs.add(r.asText()));
            assertThat(refs).hasSize(2);
            assertThat(refs.get(0)).matches("arn:aws:ec2:us-east-1:123456789012:image/ami-[0-9a-f]+");
            assertThat(refs.get(1)).matches("arn:aws:ec2:eu-west-1:123456789012:image/ami-[0-9a-f]+");
            assertThat(run.stderr()).contains("Uploading os image as temporary blob podvm-nightly-0.1.0.raw",
                    "Importing podvm-nightly-0.1.0.raw as snapshot", "Replicating image", "Publishing ami");
            assertThat(workspace.version()).isEqualTo("0.1.1\n");

            assertThat(watcher.saw(" upload " + workspace.dir().resolve("system.raw"))).isTrue();
            assertThat(watcher.leaksOf(UploadFixtures.secrets())).isEmpty();
            assertThat(watcher.sawPodvmHolding(PODVM_SECRET)).isTrue();
            assertThat(watcher.sawEnvironOf(" upload ")).isTrue();
            assertThat(watcher.environLeaksOf(List.of(PODVM_SECRET))).isEmpty();
            assertThat(watcher.environLeaksOf(List.of(UploadFixtures.AWS_SECRET))).isNotEmpty()
                    .allMatch(tool -> tool.contains(" upload ") && tool.endsWith("<- AWS_SECRET_ACCESS_KEY"));
            assertThat(run.stdout() + run.stderr()).doesNotContain(UploadFixtures.secrets());
            workspace.assertNoSecretsLeft();
        }
    }

    @Test
    void plainMotoStopsAtImportSnapshotWithAClearErrorAndNoBump() throws Exception {
        try (MotoServer moto = MotoServer.plain(dir)) {
            UploadRequest.Builder request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                    .imageVersionFile("VERSION").incrementVersion(true).set("aws.bucket=podvm-uploads")
                    .credentials(UploadFixtures.aws()).environment("AWS_ENDPOINT_URL", moto.endpoint())
                    .uplosi(UploadFixtures.realUplosi()).tempDir(workspace.temp().toString());
            assertThatThrownBy(() -> workspace.upload(request))
                    .isInstanceOf(PodvmException.class)
                    .hasMessageStartingWith("Uploading to aws failed at the step 'importing snapshot'")
                    .hasMessageContaining("ImportSnapshot").hasMessageContaining("vmimport");
        }
        assertThat(workspace.log().text()).contains("Uploading os image as temporary blob podvm-0.1.0.raw");
        assertThat(workspace.version()).isEqualTo("0.1.0\n");
        workspace.assertNoSecretsLeft();
    }

    @Test
    void uplosisOwnValidationIsReportedAsAConfigurationError() throws Exception {
        UploadRequest.Builder request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").set("aws.bucket=Not_A_Bucket").credentials(UploadFixtures.aws())
                .environment("AWS_ENDPOINT_URL", "http://127.0.0.1:" + UploadFixtures.refusedPort())
                .uplosi(UploadFixtures.realUplosi()).tempDir(workspace.temp().toString());
        assertThatThrownBy(() -> workspace.upload(request))
                .hasMessageContaining("Uploading to aws failed at the step 'validating config'")
                .hasMessageContaining("Not_A_Bucket").hasMessageContaining("uplosi rejected the configuration");
    }

    /** In the CLI's environment, as podvm's own secrets are, for the tests to look for in every tool's. */
    private static final String PODVM_SECRET = "podvm-own-secret-7c1e";

    /** podvm as a shell user runs it: its own JVM, credentials in its environment and no others. */
    private CliProcess.Result cli(MotoServer moto, String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream()
                .filter(k -> k.startsWith("AWS_") || k.startsWith("AZURE_") || k.startsWith("GOOGLE_"))
                .forEach(k -> env.put(k, null));
        env.put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        env.put("PODVM_SSH_KEY_PASSPHRASE", PODVM_SECRET);
        env.put("PODVM_REGISTRY_PASSWORD", PODVM_SECRET);
        List<String> jvmOptions = List.of("-Djava.io.tmpdir=" + workspace.temp());
        return CliProcess.start(workspace.dir(), jvmOptions, env, args).await(4);
    }
}
