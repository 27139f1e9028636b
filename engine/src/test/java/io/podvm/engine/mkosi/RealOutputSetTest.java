package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real mkosi build into an output directory that holds the set of an earlier build with qcow2, with a
 * second build started into the same directory while the first runs: the second is refused at once naming
 * the first, and the first leaves exactly its own set, described by its JSON.
 */
class RealOutputSetTest {
    @TempDir
    Path work;

    @Test
    void aRealBuildReplacesTheEarlierSetAndHoldsItsDirectory() throws Exception {
        RealTools.require("mkosi");
        Path out = Files.createDirectories(work.resolve("out"));
        Files.writeString(out.resolve("system.raw"), "earlier raw");
        Files.writeString(out.resolve("system.qcow2"), "earlier qcow2");
        Files.writeString(out.resolve("system.manifest"), "earlier manifest");
        Files.writeString(out.resolve(OutputSet.RECORD), "system.raw\nsystem.qcow2\nsystem.manifest\n");
        String[] args = {"mkosi", "--output-dir", "out", "--package-cache", RealTools.packageCache().toString(), "--json"};

        CliProcess first = CliProcess.start(work, Map.of(), args);
        CliProcess.Result second;
        try {
            waitForTheBuild(first);
            second = CliProcess.start(work, Map.of(), args).await(1);
        } catch (Throwable t) {
            first.process().destroy();
            throw t;
        }
        CliProcess.Result built = first.await(20);

        assertThat(second.exitCode()).as(second.stderr()).isEqualTo(2);
        assertThat(second.stderr()).contains("podvm: --output-dir: '" + out + "' is in use by another podvm build (pid "
                + first.process().pid() + ", started ").doesNotContain("--force build");
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        JsonNode json = Json.read(built.lastStdoutLine());
        assertThat(json.path("qcow2").isNull()).isTrue();
        assertThat(json.path("image").asText()).isEqualTo(out.resolve("system.raw").toString());
        assertThat(json.path("manifest").asText()).isEqualTo(out.resolve("system.manifest").toString());
        assertThat(json.path("sha256").asText()).isEqualTo(Sha256.of(out.resolve("system.raw")));
        assertThat(MkosiOutputSetTest.names(out)).containsExactlyInAnyOrder("system.raw", "system.manifest",
                "system.podvm.json", OutputSet.RECORD);
        assertThat(out.resolve(OutputSet.RECORD)).hasContent("system.raw\nsystem.manifest\nsystem.podvm.json");
    }

    private static void waitForTheBuild(CliProcess cli) throws Exception {
        for (int i = 0; i < 1200 && !cli.stderrSoFar().contains("--force build"); i++) {
            assertThat(cli.process().isAlive()).as("podvm ended early: %s", cli.stderrSoFar()).isTrue();
            Thread.sleep(100);
        }
        assertThat(cli.stderrSoFar()).as("mkosi build started").contains("--force build");
    }
}
