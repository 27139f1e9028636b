package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * skipIfUnchanged with the real uplosi against moto: the first upload is recorded, the second of the same
 * image returns the recorded references and makes no AWS call at all (moto's request log does not grow),
 * and a changed image is uploaded again.
 */
class SkipIfUnchangedWithMotoTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 4, "0.1.0");
        contentKey("sha256:1111");
    }

    @Test
    void anUnchangedImageIsNotUploadedAgainAndAChangedOneIs() throws Exception {
        try (MotoServer moto = MotoServer.withVmImport(dir)) {
            UploadResult first = workspace.upload(request(moto));
            long requestsAfterFirst = requests(moto);

            CliProcess.Result second = cli(moto, "upload", "system.raw", "--provider", "aws", "--name", "podvm",
                    "--image-version-file", "VERSION", "--increment-version", "--set", "aws.bucket=podvm-uploads",
                    "--uplosi", UploadFixtures.realUplosi(), "--skip-if-unchanged", "state/uploads.json", "--json");
            long requestsAfterSecond = requests(moto);

            contentKey("sha256:2222");
            UploadResult third = workspace.upload(request(moto));

            assertThat(first.skipped()).isFalse();
            assertThat(first.refs()).hasSize(1).first().asString().matches("arn:aws:ec2:us-east-1:\\d+:image/ami-[0-9a-f]+");
            assertThat(requestsAfterFirst).as("moto saw the first upload").isPositive();

            assertThat(second.exitCode()).as(second.stderr()).isZero();
            JsonNode skipped = Json.read(second.lastStdoutLine());
            assertThat(skipped.path("skipped").asBoolean()).isTrue();
            assertThat(skipped.path("refs").get(0).asText()).isEqualTo(first.refs().get(0));
            assertThat(skipped.path("version").asText()).isEqualTo("0.1.0");
            assertThat(second.stderr()).contains("Image unchanged since the upload to aws recorded in")
                    .contains("not uploading again, uplosi not run");
            assertThat(requestsAfterSecond).as("no EC2/S3/STS call for the unchanged image").isEqualTo(requestsAfterFirst);
            System.out.printf("first upload %.2f s; unchanged second upload %.2f s (CLI JVM start not counted)%n",
                    first.seconds(), skipped.path("seconds").asDouble());

            assertThat(third.skipped()).isFalse();
            assertThat(third.refs()).doesNotContain(first.refs().get(0));
            assertThat(requests(moto)).isGreaterThan(requestsAfterSecond);
            assertThat(workspace.version()).as("bumped by the two real uploads only").isEqualTo("0.1.2\n");
            JsonNode state = Json.read(workspace.dir().resolve("state/uploads.json"));
            assertThat(state.path("aws").path("contentKey").asText()).isEqualTo("sha256:2222");
            assertThat(state.path("aws").path("refs").get(0).asText()).isEqualTo(third.refs().get(0));
        }
        workspace.assertNoSecretsLeft();
    }

    @Test
    void aForeignStateFileIsRefusedBeforeUplosiRuns() throws IOException {
        Files.writeString(workspace.dir().resolve("not-state.json"), "[1, 2]");
        UploadRequest.Builder request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").set("aws.bucket=podvm-uploads").credentials(UploadFixtures.aws())
                .uplosi("/nonexistent/uplosi").skipIfUnchanged("not-state.json");

        assertThatThrownBy(() -> workspace.upload(request)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("skipIfUnchanged: '" + workspace.dir().resolve("not-state.json") + "'")
                .hasMessageContaining("not a podvm upload state file");
    }

    private UploadRequest.Builder request(MotoServer moto) {
        return UploadRequest.builder().image("system.raw").provider("aws").name("podvm").imageVersionFile("VERSION")
                .incrementVersion(true).set("aws.bucket=podvm-uploads").credentials(UploadFixtures.aws())
                .environment("AWS_ENDPOINT_URL", moto.endpoint()).uplosi(UploadFixtures.realUplosi())
                .tempDir(workspace.temp().toString()).skipIfUnchanged("state/uploads.json");
    }

    /** What podvm mkosi writes beside the image it built. */
    private void contentKey(String key) throws IOException {
        Files.writeString(workspace.dir().resolve("system.podvm.json"),
                "{\"contentKey\":\"" + key + "\",\"binaries\":{\"digest\":\"sha256:0\",\"entries\":{}}}\n");
    }

    /** Requests moto has answered so far: one line each in its log. */
    private long requests(MotoServer moto) throws IOException {
        String port = moto.endpoint().substring(moto.endpoint().lastIndexOf(':') + 1);
        List<String> lines = Files.readAllLines(dir.resolve("moto-" + port + ".log"));
        return lines.stream().filter(l -> l.contains("\" 200 ") || l.matches(".*\"(GET|POST|PUT|HEAD|DELETE) .*")).count();
    }

    private CliProcess.Result cli(MotoServer moto, String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> k.startsWith("AWS_")).forEach(k -> env.put(k, null));
        env.put("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        return CliProcess.start(workspace.dir(), List.of("-Djava.io.tmpdir=" + workspace.temp()), env, args).await(2);
    }
}
