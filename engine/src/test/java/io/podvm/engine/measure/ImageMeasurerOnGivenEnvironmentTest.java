package io.podvm.engine.measure;

import io.podvm.engine.PodvmException;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.testing.EmptyEspDisk;
import io.podvm.engine.testing.FakeTools;
import io.podvm.engine.testing.RealTools;
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
 * The measure engine finds mcopy on the PATH of the environment it is given (a Jenkins step's, with
 * {@code withEnv(['PATH+MTOOLS=...'])}), not on the JVM's, and gives it only the variables mtools reads.
 */
class ImageMeasurerOnGivenEnvironmentTest {
    @TempDir
    Path work;

    @Test
    void mcopyFoundOnlyOnTheGivenPathIsTheOneThatRuns() throws Exception {
        Path realMcopy = RealTools.require("mcopy");
        Path disk = EmptyEspDisk.create(work);
        Path record = work.resolve("mcopy-env.txt");
        // A fake where the point is the call: it checks its arguments as strictly as the one call podvm makes,
        // records the environment it was given, then lets the real mcopy read the ESP.
        Path bin = work.resolve("only-here");
        new FakeTools(bin).write("mcopy", """
                #!/bin/sh
                if [ $# -ne 5 ] || [ "$1" != -n ] || [ "$2" != -i ] || [ "$3" != "@DISK@@@1048576" ] \\
                        || [ "$4" != ::/EFI/BOOT/BOOTX64.EFI ]; then
                    echo "fake mcopy: unexpected arguments: $*" >&2; exit 2
                fi
                /usr/bin/env | /usr/bin/sort >"@RECORD@"
                exec "@MCOPY@" "$@"
                """.replace("@DISK@", disk.toString()).replace("@RECORD@", record.toString())
                .replace("@MCOPY@", realMcopy.toString()));
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", work.toString(),
                "MTOOLS_SKIP_CHECK", "1", "PODVM_SSH_KEY_PASSPHRASE", "passphrase-not-for-mcopy",
                "AWS_SECRET_ACCESS_KEY", "not-for-mcopy"));

        assertThatThrownBy(() -> new ImageMeasurer(TestLogs.discard(), work, host).measure(MeasureRequest.of(
                disk.toString(), null))).isInstanceOf(PodvmException.class)
                .hasMessageContaining("has no /EFI/BOOT/BOOTX64.EFI: the firmware would find nothing to boot");

        List<String> env = Files.readAllLines(record);
        assertThat(env).contains("MTOOLS_SKIP_CHECK=1", "HOME=" + work).anyMatch(l -> l.startsWith("PATH=" + bin))
                .noneMatch(l -> l.startsWith("PODVM_") || l.startsWith("AWS_"));
    }

    @Test
    void mcopyMissingFromTheGivenPathIsSaidSoThoughTheJvmHasIt() throws Exception {
        RealTools.require("mcopy");
        Path disk = EmptyEspDisk.create(work);
        Path empty = Files.createDirectories(work.resolve("empty-bin"));
        HostEnvironment host = HostEnvironment.of(Map.of("PATH", empty.toString()));

        assertThatThrownBy(() -> new ImageMeasurer(TestLogs.discard(), work, host).measure(MeasureRequest.of(
                disk.toString(), null))).isInstanceOf(PodvmException.class)
                .hasMessageContaining("mcopy is not installed or not on PATH: 'apt-get install mtools'");
    }
}
