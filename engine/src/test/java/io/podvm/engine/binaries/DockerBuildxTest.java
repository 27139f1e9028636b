package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker buildx cannot run here (no daemon): its command line is checked by a strict fake docker. */
class DockerBuildxTest {
    @TempDir
    Path dir;

    private BinariesRequest request(String builder) throws IOException {
        Path context = Files.createDirectories(dir.resolve("cloud-api-adaptor"));
        Files.createDirectories(context.resolve("src/cloud-api-adaptor/podvm"));
        Files.writeString(context.resolve("src/cloud-api-adaptor/podvm/Dockerfile.podvm_binaries"), "FROM scratch\n");
        return BinariesRequest.builder().mode("build").context("cloud-api-adaptor")
                .dockerfile("cloud-api-adaptor/src/cloud-api-adaptor/podvm/Dockerfile.podvm_binaries")
                .buildArg("TEE_PLATFORM=snp").buildArg("ARCH=amd64").builder(builder).build();
    }

    @Test
    void dockerWithADaemonIsTheFirstChoiceAndGetsTheSeedsBuildxCommand() throws IOException {
        FakeTools fakes = new FakeTools(dir.resolve("fake-bin"));
        Path calls = dir.resolve("docker-calls");
        FakeDocker.install(fakes, calls, true);

        BinariesResult result = new BinariesTreeMaker(new TestLogs.Captured().log(), dir, null, fakes.inFrontOfPath())
                .make(request(null), null);

        assertThat(result.tool()).isEqualTo("docker");
        List<String> args = Files.readAllLines(calls);
        Path context = dir.resolve("cloud-api-adaptor");
        assertThat(args).hasSize(12);
        assertThat(args.subList(0, 7)).containsExactly("buildx", "build", "--progress=plain", "--file",
                context.resolve("src/cloud-api-adaptor/podvm/Dockerfile.podvm_binaries").toString(), "--output",
                args.get(6));
        assertThat(args.get(6)).startsWith("type=local,dest=" + dir.resolve("resources") + "/.binaries-tree.podvm-")
                .endsWith("/tree");
        assertThat(args.subList(7, 12)).containsExactly("--build-arg", "TEE_PLATFORM=snp", "--build-arg", "ARCH=amd64",
                context.toString());
        Path tree = dir.resolve("resources/binaries-tree");
        assertThat(tree.resolve("etc/build-args")).hasContent("TEE_PLATFORM=snp\nARCH=amd64");
        assertThat(tree.resolve("usr/local/bin/kata-agent")).exists();
    }

    @Test
    void aDockerClientWithoutDaemonIsSkippedForPodman() throws IOException {
        FakeTools fakes = new FakeTools(dir.resolve("fake-bin"));
        FakeDocker.install(fakes, dir.resolve("docker-calls"), false);
        RealTools.require("podman");
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello /etc/hello\n");
        Files.writeString(context.resolve("hello"), "hello\n");
        TestLogs.Captured log = new TestLogs.Captured();

        BinariesResult result = new BinariesTreeMaker(log.log(), dir, null, fakes.inFrontOfPath())
                .make(BinariesRequest.builder().mode("build").context("context").build(), null);

        assertThat(result.tool()).isEqualTo("podman");
        assertThat(dir.resolve("docker-calls")).doesNotExist();
        assertThat(dir.resolve("resources/binaries-tree/etc/hello")).hasContent("hello");
        assertThat(log.text()).contains("docker info --format {{.ServerVersion}}");
    }

    @Test
    void askingForDockerWithoutDaemonSaysWhy() throws IOException {
        FakeTools fakes = new FakeTools(dir.resolve("fake-bin"));
        FakeDocker.install(fakes, dir.resolve("docker-calls"), false);
        BinariesRequest request = request("docker");
        assertThatThrownBy(() -> new BinariesTreeMaker(new TestLogs.Captured().log(), dir, null, fakes.only())
                .make(request, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("builder: no container builder works here (builder 'docker'; docker: the"
                        + " client is there but no Docker daemon answers")
                .hasMessageContaining("Is the docker daemon running?");
    }

    @Test
    void theFakeIsStrict() throws IOException {
        FakeTools fakes = new FakeTools(dir.resolve("fake-bin"));
        Path docker = FakeDocker.install(fakes, dir.resolve("docker-calls"), true);
        Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(dir.resolve("ctx/Dockerfile"), "FROM scratch\n");
        String d = docker.toString();
        assertThat(exit(d, "buildx", "build", "--outptu", "type=local,dest=/tmp/x", dir.resolve("ctx").toString()))
                .isEqualTo(1);
        assertThat(exit(d, "buildx", "build", "--file", dir.resolve("ctx/Dockerfile").toString(), "--output",
                "type=tar,dest=/tmp/x.tar", dir.resolve("ctx").toString())).isEqualTo(1);
        assertThat(exit(d, "buildx", "build", "--file", dir.resolve("ctx/Dockerfile").toString(), "--output",
                "type=local,dest=" + dir.resolve("out"), "--build-arg", "NOEQUALS", dir.resolve("ctx").toString()))
                .isEqualTo(1);
        assertThat(exit(d, "buildx", "build", "--file", dir.resolve("ctx/Dockerfile").toString(), "--output",
                "type=local,dest=" + dir.resolve("out"), dir.resolve("ctx").toString(), "extra")).isEqualTo(1);
        assertThat(exit(d, "buildx", "build", "--file", dir.resolve("ctx/Dockerfile").toString(), "--output",
                "type=local,dest=" + dir.resolve("out"), dir.resolve("ctx").toString())).isEqualTo(0);
    }

    private static int exit(String... command) throws IOException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
