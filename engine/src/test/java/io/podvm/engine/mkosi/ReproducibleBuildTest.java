package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code podvm mkosi --check-reproducible} on the bundled production image: two real builds, each in its own
 * fresh stage (a different path) with the same warm package cache, give the same SHA-256. One test, because
 * the pair is the expensive part; everything is read from that pair.
 */
class ReproducibleBuildTest {
    @Test
    void twoBuildsOfTheBundledProductionImageAreBitIdentical() throws Exception {
        RealTools.require("mkosi");
        RealTools.require("diffoscope");
        Path work = Files.createTempDirectory("podvm-repro-");
        try {
            checkTwoBuildsAreIdentical(work);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private static void checkTwoBuildsAreIdentical(Path work) throws Exception {
        Path binaries = binariesTree(work.resolve("binaries"));

        CliProcess.Result cli = CliProcess.start(work, Map.of(), "mkosi", "--check-reproducible", "--binaries-tree",
                binaries.toString(), "--output-dir", "out", "--package-cache", RealTools.packageCache().toString(),
                "--json").await(30);

        assertThat(cli.exitCode()).as("podvm mkosi failed:\n%s", cli.stderr()).isZero();
        JsonNode result = Json.read(cli.lastStdoutLine());
        JsonNode runs = result.path("runs");
        System.out.printf("reproducibility check: build 1 %s in %.1f s, build 2 %s in %.1f s%n",
                runs.path(0).path("sha256").asText(), runs.path(0).path("seconds").asDouble(),
                runs.path(1).path("sha256").asText(), runs.path(1).path("seconds").asDouble());
        assertThat(result.path("reproducible").asBoolean()).as("the builds differ: %s", result.path("differences"))
                .isTrue();
        assertThat(result.path("differences")).isEmpty();
        assertThat(runs).hasSize(2);
        assertThat(runs.path(0).path("sha256").asText()).isEqualTo(runs.path(1).path("sha256").asText())
                .isEqualTo(result.path("sha256").asText())
                .isEqualTo(Sha256.of(Path.of(result.path("image").asText())));
        assertThat(result.path("sourceDateEpoch").asLong()).isEqualTo(ReproducibleInputs.BUNDLED_SOURCE_DATE_EPOCH);
        try (Stream<Path> left = Files.list(work.resolve("out"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("both stages are gone")
                    .noneMatch(n -> n.startsWith(".podvm-stage-"));
        }
    }

    private static Path binariesTree(Path dir) throws Exception {
        Path agent = dir.resolve("usr/local/bin/podvm-test-agent");
        Files.createDirectories(agent.getParent());
        Files.writeString(agent, "#!/bin/sh\necho podvm test agent\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
