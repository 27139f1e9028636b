package io.podvm.engine.mkosi;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When mkosi fails because the disk filled up, podvm's last sentence says so, not only "exit 1". A real mkosi
 * fills a disk only after minutes of work; the stand-in here (an mkosi 18 that checks its arguments) fills the
 * output directory's 100 MiB file system from the staged tree, as mkosi's image does, and fails as mkosi does.
 * The tree's one 1 MiB partition lets the free-space check before the build pass.
 */
class MkosiDiskFullTest {
    @TempDir
    Path work;

    @Test
    void theFinalMessageSaysTheDiskIsFull() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree/mkosi.repart"));
        Files.writeString(work.resolve("tree/mkosi.conf"), "[Output]\nFormat=disk\nOutputDirectory=build\n");
        Files.writeString(tree.resolve("10-root.conf"), "[Partition]\nType=root\nSizeMinBytes=1M\n");
        Path cache = Files.createDirectories(work.resolve("cache"));
        Files.writeString(cache.resolve("warm"), "");
        Path mkosi = new FakeTools(work.resolve("fake")).write("mkosi", String.join("\n",
                "#!/bin/sh",
                "[ \"$*\" = --version ] && echo 'mkosi 18' && exit 0",
                "case \"$*\" in '--cache-dir=" + cache + " --workspace-dir=" + work.resolve("small/out/.podvm-stage-")
                        + "'*'/mkosi-tmp --force build') ;; *) echo \"unexpected arguments: $*\" >&2; exit 9;; esac",
                "[ -f mkosi.repart/10-root.conf ] || { echo \"not the staged tree: $PWD\" >&2; exit 9; }",
                "mkdir -p build && dd if=/dev/zero of=build/system.raw bs=1M 2>/dev/null",
                "echo '‣ OSError: [Errno 28] No space left on device' >&2",
                "exit 1",
                ""));
        Path small = Files.createDirectories(work.resolve("small"));

        CliProcess.Result run;
        try (SmallFileSystem mounted = SmallFileSystem.mount(small, "100M")) {
            run = CliProcess.start(work, Map.of(), "mkosi", "--mkosi", mkosi.toString(), "--dir", "tree",
                    "--output-dir", "small/out", "--package-cache", cache.toString()).await(2);
            assertThat(Files.list(small.resolve("out")).map(p -> p.getFileName().toString()))
                    .as("the stage and its partial image are gone").isEmpty();
        }

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        String last = run.stderr().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("podvm: mkosi build failed (exit 1). mkosi said: OSError: [Errno 28] No space left on device.").contains(" The disk is full: the file"
                + " system of " + small.resolve("out") + " (" + small + " (tmpfs)) is full (").containsPattern(
                "is full \\(\\d+ MiB free\\);"
                + " free some space and build again\\.").doesNotContain("unexpected arguments");
    }
}
