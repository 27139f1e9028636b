package io.podvm.engine.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code podvm binaries} from a shell: the seed's {@code make binaries}, and its mistakes. */
class BinariesCliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void baseImage() throws IOException {
        TestImages.base();
    }

    @Test
    void buildModeWritesResourcesBinariesTreeAndPrintsJsonLast() throws Exception {
        Path context = Files.createDirectories(dir.resolve("podvm"));
        Files.writeString(context.resolve("Dockerfile.podvm_binaries"), String.join("\n",
                "FROM " + TestImages.BASE + " AS builder",
                "ARG TEE_PLATFORM",
                "RUN mkdir -p /out/usr/local/bin && echo \"$TEE_PLATFORM\" > /out/usr/local/bin/kata-agent",
                "FROM scratch",
                "COPY --from=builder /out /",
                ""));
        CliProcess.Result run = podvm("binaries", "--mode", "build", "--context", "podvm",
                "--dockerfile", "podvm/Dockerfile.podvm_binaries", "--build-arg", "TEE_PLATFORM=tdx", "--json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = Json.read(run.lastStdoutLine());
        assertThat(json.path("tree").asText()).isEqualTo(dir.resolve("resources/binaries-tree").toString());
        assertThat(json.path("files").asLong()).isEqualTo(1);
        assertThat(json.path("bytes").asLong()).isEqualTo(4);
        assertThat(json.path("tool").asText()).isEqualTo("podman");
        assertThat(dir.resolve("resources/binaries-tree/usr/local/bin/kata-agent")).hasContent("tdx");
        assertThat(run.stderr()).contains("--output type=local,dest=");
    }

    @Test
    void badInputIsASentenceAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("a-file"), "x");
        Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(dir.resolve("ctx/Dockerfile"), "FROM scratch\n");
        assertBad(new String[] {"binaries", "--mode", "fetch"}, "podvm: --mode: 'fetch' is not valid");
        assertBad(new String[] {"binaries", "--mode", "build"}, "podvm: --context: build mode needs");
        assertBad(new String[] {"binaries", "--mode", "pull"}, "podvm: --image: no image was given");
        assertBad(new String[] {"binaries", "--mode", "pull", "--image", "Quay.io/UPPER"},
                "podvm: --image: 'Quay.io/UPPER' is not valid");
        assertBad(new String[] {"binaries", "--mode", "build", "--context", "ctx", "--output", "a-file"},
                "podvm: --output: '" + dir.resolve("a-file") + "' is a file");
        assertBad(new String[] {"binaries", "--mode", "build", "--context", "ctx", "--overlay", "missing"},
                "podvm: --overlay: '" + dir.resolve("missing") + "' does not exist");
        assertBad(new String[] {"binaries", "--mode", "pull", "--image", "quay.io/a/b:1", "--registry-user", "robot"},
                "podvm: PODVM_REGISTRY_PASSWORD: user 'robot' was given without a password (the CLI reads it from"
                        + " PODVM_REGISTRY_PASSWORD)");
        assertThat(dir.resolve("resources")).doesNotExist();
    }

    private CliProcess.Result podvm(String... args) throws Exception {
        return CliProcess.start(dir, TestRegistry.cliEnvironment(Map.of()), args).await(5);
    }

    private void assertBad(String[] args, String message) throws Exception {
        CliProcess.Result run = podvm(args);
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains(message).doesNotContain("Exception");
    }
}
