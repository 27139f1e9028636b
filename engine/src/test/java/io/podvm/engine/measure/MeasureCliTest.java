package io.podvm.engine.measure;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.EmptyEspDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code podvm measure} on images it cannot measure: each gets a sentence saying why, and no JSON is written.
 * (A real image is measured, and the prediction proven against a TPM, in RealImageBuildTest.)
 */
class MeasureCliTest {
    @TempDir
    Path work;

    @Test
    void aMissingImageOrABadOutputIsBadInput() throws Exception {
        CliProcess.Result missing = CliProcess.run(work, Map.of(), "measure", "missing.raw");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("IMAGE: 'missing.raw' is not valid; no such file");

        Files.writeString(work.resolve("system.raw"), "x");
        CliProcess.Result output = CliProcess.run(work, Map.of(), "measure", "system.raw", "--output", "no/dir/x.json");
        assertThat(output.exitCode()).isEqualTo(2);
        assertThat(output.stderr()).contains("--output: 'no/dir/x.json' is not valid; its directory must exist");
    }

    @Test
    void anEspWithoutABootableUkiIsSaidSo() throws Exception {
        Path disk = EmptyEspDisk.create(work);
        CliProcess.Result result = CliProcess.run(work, Map.of(), "measure", disk.toString(), "--output", "pcrs.json");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains("has no /EFI/BOOT/BOOTX64.EFI: the firmware would find nothing to boot");
        assertThat(work.resolve("pcrs.json")).doesNotExist();
    }

    @Test
    void aFileWithoutAPartitionTableIsSaidSo() throws Exception {
        Path file = Files.write(work.resolve("system.qcow2"), new byte[8192]);
        CliProcess.Result result = CliProcess.run(work, Map.of(), "measure", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("has no GPT partition table");
    }
}
