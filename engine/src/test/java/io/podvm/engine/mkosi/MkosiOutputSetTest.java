package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;
import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.FakeTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output set through the whole engine, with an mkosi 18 stand-in (the point is what podvm does with the
 * files mkosi leaves, and when): it checks its arguments and the staged tree strictly, waits for the test's go,
 * then writes build/system.raw and build/system.manifest as mkosi 18 does for the bundled definition.
 * {@link RealOutputSetTest} does the same with the real mkosi once.
 */
class MkosiOutputSetTest {
    @TempDir
    Path work;

    @Test
    void aBuildWithoutQcow2LeavesNoQcow2OfAnEarlierBuild() throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        Files.writeString(out.resolve("system.qcow2"), "the qcow2 of an earlier build with --qcow2");
        Files.writeString(out.resolve("system.raw"), "the raw image of an earlier build");
        Files.writeString(work.resolve("release"), "");

        CliProcess.Result run = CliProcess.start(work, Map.of(), args()).await(2);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = Json.read(run.lastStdoutLine());
        assertThat(result.path("qcow2").isNull()).isTrue();
        assertThat(out.resolve("system.raw")).hasContent("raw");
        assertThat(names(out)).containsExactlyInAnyOrder("system.raw", "system.manifest", "system.podvm.json", OutputSet.RECORD);
    }

    @Test
    void aSecondBuildIntoTheSameDirectoryFailsNamingTheFirstAndLeavesItsOutputsAlone() throws Exception {
        CliProcess first = CliProcess.start(work, Map.of(), args());
        CliProcess.Result second;
        try {
            waitFor(work.resolve("started"), first);
            second = CliProcess.start(work, Map.of(), args()).await(1);
        } finally {
            Files.writeString(work.resolve("release"), "");
        }
        CliProcess.Result firstResult = first.await(2);

        assertThat(second.exitCode()).as(second.stderr()).isEqualTo(2);
        assertThat(second.stderr()).contains("podvm: --output-dir: '" + work.resolve("out") + "' is in use by another"
                + " podvm build (pid " + first.process().pid() + ", started ").contains(", podvm mkosi); two builds"
                + " into one output directory would replace each other's outputs, so wait until it ends or give"
                + " another output directory.").doesNotContain("unexpected arguments");
        assertThat(firstResult.exitCode()).as(firstResult.stderr()).isZero();
        assertThat(Path.of(Json.read(firstResult.lastStdoutLine()).path("image").asText())).hasContent("raw");
        assertThat(names(work.resolve("out"))).containsExactlyInAnyOrder("system.raw", "system.manifest", "system.podvm.json",
                OutputSet.RECORD);
    }

    private String[] args() throws IOException {
        Path cache = Files.createDirectories(work.resolve("cache"));
        Files.writeString(cache.resolve("warm"), "");
        Path mkosi = new FakeTools(work.resolve("fake")).write("mkosi", String.join("\n",
                "#!/bin/sh",
                "[ \"$*\" = --version ] && echo 'mkosi 18' && exit 0",
                "case \"$*\" in '--cache-dir=" + cache + " --distribution=debian --release=bookworm --workspace-dir="
                        + work.resolve("out/.podvm-stage-") + "'*'/mkosi-tmp --force build') ;;"
                        + " *) echo \"unexpected arguments: $*\" >&2; exit 9;; esac",
                "[ -f mkosi.conf ] && [ -d mkosi.presets/system ] || { echo \"not the staged tree: $PWD\" >&2; exit 9; }",
                "touch '" + work.resolve("started") + "'",
                "i=0; while [ ! -e '" + work.resolve("release") + "' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done",
                "mkdir -p build && printf raw > build/system.raw && echo '{\"packages\":[]}' > build/system.manifest",
                ""));
        return new String[] {"mkosi", "--mkosi", mkosi.toString(), "--output-dir", "out", "--package-cache",
                cache.toString(), "--json"};
    }

    private static void waitFor(Path file, CliProcess cli) throws Exception {
        for (int i = 0; i < 600 && !Files.exists(file); i++) {
            assertThat(cli.process().isAlive()).as("podvm ended early: %s", cli.stderrSoFar()).isTrue();
            Thread.sleep(100);
        }
        assertThat(file).as("the build started").exists();
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
