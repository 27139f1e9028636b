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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
        // An empty directory holds nothing to lose: it may be the output.
        Files.createDirectories(dir.resolve("resources/binaries-tree"));
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
        assertThat(dir.resolve("resources/binaries-tree/" + OutputTree.MARKER)).isRegularFile();

        // A tree podvm made is podvm's to replace; its mark is not part of the tree's figures.
        CliProcess.Result again = podvm("binaries", "--mode", "build", "--context", "podvm",
                "--dockerfile", "podvm/Dockerfile.podvm_binaries", "--build-arg", "TEE_PLATFORM=snp", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(dir.resolve("resources/binaries-tree/usr/local/bin/kata-agent")).hasContent("snp");
        assertThat(Json.read(again.lastStdoutLine()).path("files").asLong()).isEqualTo(1);
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

    /**
     * The output is replaced whole, so a directory holding the user's files must never be it. The CLI runs in
     * home/user/project with home/user as its home, so that '..' and the home directory are directories of
     * this test, not of the machine.
     */
    @Test
    void outputsThatHoldTheUsersFilesAreRefusedAndKept() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/user"));
        Path project = Files.createDirectories(home.resolve("project"));
        Files.createDirectories(project.resolve("ctx"));
        Files.writeString(project.resolve("ctx/Dockerfile"), "FROM scratch\n");
        Files.writeString(project.resolve("notes.txt"), "mine");
        Files.createDirectories(project.resolve("docs"));
        Files.writeString(project.resolve("docs/a.md"), "mine too");
        Files.createDirectories(project.resolve("overlay/etc"));
        Files.createDirectories(project.resolve("made-by-podvm/extra"));
        Files.writeString(project.resolve("made-by-podvm/" + OutputTree.MARKER), "");
        List<String> build = List.of("binaries", "--mode", "build", "--context", "ctx");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(".", "--output: '" + project + "' is the working directory (the workspace in Jenkins);"
                + " the output directory is replaced whole, so give a directory of its own, such as"
                + " resources/binaries-tree.");
        refused.put("..", "--output: '" + home + "' holds the working directory '" + project + "';");
        refused.put("/", "--output: '/' is the root directory;");
        refused.put(home.toString(), "--output: '" + home + "' holds the working directory");
        refused.put("docs", "--output: '" + project.resolve("docs") + "' holds files that podvm did not make (such"
                + " as 'a.md'), and the output directory is replaced whole; give an empty or new directory, or move"
                + " those files away (a tree podvm made holds .podvm-binaries-tree).");
        for (Map.Entry<String, String> c : refused.entrySet()) {
            assertBadIn(project, home, concat(build, "--output", c.getKey()), c.getValue());
        }
        assertBadIn(Files.createDirectories(dir.resolve("elsewhere")), home, List.of("binaries", "--mode", "build",
                "--context", project.resolve("ctx").toString(), "--output", home.toString()),
                "--output: '" + home + "' is the home directory;");
        assertBadIn(project, home, concat(build, "--overlay", "overlay", "--output", "overlay/tree"),
                "--output: '" + project.resolve("overlay/tree") + "' is inside the overlay '" + project.resolve("overlay")
                        + "', which would be copied into itself; give an output outside every overlay.");
        assertBadIn(project, home, concat(build, "--overlay", "made-by-podvm/extra", "--output", "made-by-podvm"),
                "--overlay: '" + project.resolve("made-by-podvm/extra") + "' is inside the output '"
                        + project.resolve("made-by-podvm") + "', which is replaced whole, so the overlay would be"
                        + " deleted; move it out of there.");

        assertThat(project.resolve("notes.txt")).hasContent("mine");
        assertThat(project.resolve("docs/a.md")).hasContent("mine too");
        assertThat(project.resolve("made-by-podvm/extra")).isDirectory();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).as("no work directory was made")
                    .noneMatch(n -> n.contains(".podvm-") && !n.equals(OutputTree.MARKER));
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        return Stream.concat(first.stream(), Stream.of(more)).toList();
    }

    private void assertBadIn(Path workDir, Path home, List<String> args, String message) throws Exception {
        CliProcess.Result run = CliProcess.start(workDir, List.of("-Duser.home=" + home),
                TestRegistry.cliEnvironment(Map.of()), args.toArray(String[]::new)).await(5);
        assertThat(run.exitCode()).as("%s: %s", args, run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).as("%s", args).contains("podvm: " + message).doesNotContain("Exception");
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
