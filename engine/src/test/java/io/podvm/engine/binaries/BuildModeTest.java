package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The build mode with the real podman and buildah, RUN steps in chroot isolation, from a local base image. */
class BuildModeTest {
    private static final String DOCKERFILE = String.join("\n",
            "ARG BASE",
            "FROM ${BASE} AS builder",
            "ARG TEE_PLATFORM=none",
            "COPY agent-policy.rego /src/",
            "RUN mkdir -p /out/usr/local/bin /out/etc/kata-opa \\",
            " && echo \"kata-agent for $TEE_PLATFORM\" > /out/usr/local/bin/kata-agent \\",
            " && chmod 0755 /out/usr/local/bin/kata-agent \\",
            " && ln -s kata-agent /out/usr/local/bin/agent \\",
            " && cp /src/agent-policy.rego /out/etc/kata-opa/default-policy.rego",
            "FROM scratch",
            "COPY --from=builder /out /",
            "");

    @TempDir
    Path dir;

    @BeforeAll
    static void baseImage() throws IOException {
        TestImages.base();
    }

    private Path context(String policy) throws IOException {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.writeString(context.resolve("Dockerfile.podvm_binaries"), DOCKERFILE);
        Files.writeString(context.resolve("agent-policy.rego"), policy);
        return context;
    }

    private BinariesRequest.Builder request(String builder, String output) {
        return BinariesRequest.builder().mode("build").context("context")
                .dockerfile("context/Dockerfile.podvm_binaries").builder(builder).output(output)
                .buildArg("BASE=" + TestImages.BASE).buildArg("TEE_PLATFORM=snp");
    }

    private BinariesResult make(BinariesRequest request) {
        return new BinariesTreeMaker(new TestLogs.Captured().log(), dir).make(request, null);
    }

    @Test
    void podmanBuildsTheTreeAndTheSameInputGivesTheSameDigest() throws IOException {
        context("package agent_policy\n");
        BinariesResult first = make(request("podman", "resources/binaries-tree").build());
        BinariesResult second = make(request("podman", "again/binaries-tree").build());

        Path tree = dir.resolve("resources/binaries-tree");
        assertThat(first.tree()).isEqualTo(tree.toString());
        assertThat(tree.resolve("usr/local/bin/kata-agent")).hasContent("kata-agent for snp");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("usr/local/bin/kata-agent"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(first.tool()).isEqualTo("podman");
        assertThat(first.files()).isEqualTo(2);
        assertThat(first.symlinks()).containsExactly("usr/local/bin/agent");
        assertThat(first.digest()).isEqualTo(second.digest());
        assertThat(first.toMap()).containsKeys("tree", "files", "bytes", "digest", "symlinks", "seconds");

        context("package agent_policy\ndefault allow := true\n");
        BinariesResult changed = make(request("podman", "resources/binaries-tree").build());
        assertThat(changed.digest()).isNotEqualTo(first.digest());
        assertThat(tree.resolve("etc/kata-opa/default-policy.rego")).content().contains("default allow");
        assertNoWorkDirectoriesLeft(dir.resolve("resources"));
    }

    @Test
    void buildahBuildsTheSameTreeAsPodman() throws IOException {
        context("package agent_policy\n");
        BinariesResult podman = make(request("podman", "podman-tree").build());
        BinariesResult buildah = make(request("buildah", "buildah-tree").build());
        assertThat(buildah.tool()).isEqualTo("buildah");
        assertThat(buildah.digest()).isEqualTo(podman.digest());
    }

    @Test
    void aFailedBuildKeepsThePreviousTree() throws IOException {
        context("package agent_policy\n");
        BinariesResult good = make(request("podman", "resources/binaries-tree").build());
        Files.writeString(dir.resolve("context/Dockerfile.podvm_binaries"), DOCKERFILE.replace(
                "COPY --from=builder /out /", "RUN false\nCOPY --from=builder /out /").replace("FROM scratch\n", ""));

        assertThatThrownBy(() -> make(request("podman", "resources/binaries-tree").build()))
                .isInstanceOf(PodvmException.class)
                .hasMessageContaining("podman could not build")
                .hasMessageContaining("previous binaries tree, if any, was left as it was");
        assertThat(TreeDigest.of(dir.resolve("resources/binaries-tree")).digest()).isEqualTo(good.digest());
        assertNoWorkDirectoriesLeft(dir.resolve("resources"));
    }

    @Test
    void anAbortedBuildStopsTheBuilderAndKeepsThePreviousTree() throws Exception {
        context("package agent_policy\n");
        BinariesResult good = make(request("podman", "resources/binaries-tree").build());
        Files.writeString(dir.resolve("context/Dockerfile.podvm_binaries"),
                DOCKERFILE.replace("FROM scratch\n", "RUN busybox sleep 120\nFROM scratch\n"));
        TestLogs.Captured log = new TestLogs.Captured();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                new BinariesTreeMaker(log.log(), dir).make(request("podman", "resources/binaries-tree").build(), null);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        build.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!log.text().contains("busybox sleep 120") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        build.interrupt();
        build.join(30_000);
        assertThat(build.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(io.podvm.engine.AbortedException.class);
        assertThat(TreeDigest.of(dir.resolve("resources/binaries-tree")).digest()).isEqualTo(good.digest());
        assertNoWorkDirectoriesLeft(dir.resolve("resources"));
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .noneMatch(c -> c.contains("busybox sleep 120"));
    }

    @Test
    void overlaysAreCopiedOnTopInOrder() throws IOException {
        context("package agent_policy\n");
        Path first = Files.createDirectories(dir.resolve("overlay1/etc/kata-opa"));
        Files.writeString(first.resolve("default-policy.rego"), "from overlay 1");
        Files.writeString(first.resolve("extra.rego"), "extra 1");
        Path second = Files.createDirectories(dir.resolve("overlay2/etc/kata-opa"));
        Files.writeString(second.resolve("extra.rego"), "extra 2");
        BinariesResult result = make(request("podman", "tree").overlay("overlay1").overlay(dir.resolve("overlay2").toString())
                .build());
        Path tree = dir.resolve("tree");
        assertThat(tree.resolve("etc/kata-opa/default-policy.rego")).hasContent("from overlay 1");
        assertThat(tree.resolve("etc/kata-opa/extra.rego")).hasContent("extra 2");
        assertThat(tree.resolve("usr/local/bin/kata-agent")).exists();
        assertThat(result.files()).isEqualTo(3);
    }

    @Test
    void badPathsAreRejectedBeforeAnyBuild() throws IOException {
        context("package agent_policy\n");
        Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> make(request("podman", "a-file").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("output: '" + dir.resolve("a-file")
                        + "' is a file");
        assertThatThrownBy(() -> make(request("podman", "tree").overlay("no-such-overlay").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("overlay: '" + dir.resolve("no-such-overlay") + "' does not exist");
        assertThatThrownBy(() -> make(request("podman", "tree").dockerfile("context/Missing").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("dockerfile: '");
        assertThatThrownBy(() -> make(request("podman", "tree").dockerfile(null).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("none was given and '" + dir.resolve("context/Dockerfile") + "' does not exist");
        assertThatThrownBy(() -> make(request("podman", "tree").context("no-context").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("context: '");
        assertThat(dir.resolve("tree")).doesNotExist();
    }

    @Test
    void noBuilderFoundNamesWhatWasLookedFor() throws IOException {
        context("package agent_policy\n");
        ToolFinder nothing = name -> java.util.Optional.empty();
        assertThatThrownBy(() -> new BinariesTreeMaker(new TestLogs.Captured().log(), dir, null, nothing)
                .make(request(null, "tree").build(), null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("builder: no container builder works here (looked for docker, podman, buildah;")
                .hasMessageContaining("docker: not found on PATH")
                .hasMessageContaining("buildah: not found on PATH");
        assertThat(dir.resolve("tree")).doesNotExist();
    }

    private static void assertNoWorkDirectoriesLeft(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".podvm-"));
        }
    }
}
