package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The image engine finds mkosi on the PATH of the environment it is given (a Jenkins step's, with
 * {@code withEnv(['PATH+MKOSI=...'])}), not on the JVM's, and gives it only the variables mkosi reads.
 */
class ImageBuilderOnGivenEnvironmentTest {
    @TempDir
    Path work;

    @Test
    void mkosiFoundOnlyOnTheGivenPathIsTheOneThatRuns() throws Exception {
        Path record = work.resolve("mkosi-env.txt");
        // A fake where the point is the call: it answers --version as mkosi 24.3 does, records the environment
        // it was given for the summary, and refuses the tree so that nothing is built.
        Path bin = work.resolve("only-here");
        new FakeTools(bin).write("mkosi", """
                #!/bin/sh
                if [ "$1" = --version ]; then echo "mkosi 24.3"; exit 0; fi
                env | sort >"@RECORD@"
                echo "mkosi: this fake reads no tree" >&2
                exit 1
                """.replace("@RECORD@", record.toString()));
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", work.toString(),
                "MKOSI_DNF", "dnf5", "PODVM_SSH_KEY_PASSPHRASE", "passphrase-not-for-mkosi",
                "AWS_SECRET_ACCESS_KEY", "not-for-mkosi"));

        assertThatThrownBy(() -> new ImageBuilder(TestLogs.discard(), work, host).build(ImageRequest.builder()
                .distribution("debian").packageCache("cache").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("mkosi cannot read the tree (exit 1: mkosi: this fake reads no tree)");

        List<String> env = Files.readAllLines(record);
        assertThat(env).contains("MKOSI_DNF=dnf5", "HOME=" + work).anyMatch(l -> l.startsWith("PATH=" + bin))
                .noneMatch(l -> l.startsWith("PODVM_") || l.startsWith("AWS_"));
    }
}
