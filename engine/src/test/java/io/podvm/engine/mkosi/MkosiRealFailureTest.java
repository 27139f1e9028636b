package io.podvm.engine.mkosi;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real build that fails inside mkosi (apt cannot find an extra package): podvm's closing sentence says so in
 * apt's words instead of only "mkosi build failed (exit 1)".
 */
class MkosiRealFailureTest {
    @TempDir
    Path work;

    @Test
    void theClosingSentenceCarriesAptsReason() throws Exception {
        RealTools.require("mkosi");

        CliProcess.Result run = CliProcess.start(work, Map.of(), "mkosi", "--extra-package", "podvm-no-such-package",
                "--output-dir", "out", "--package-cache", RealTools.packageCache().toString()).await(15);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        String last = run.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("podvm: mkosi build failed (exit ").contains("podvm-no-such-package")
                .endsWith("No image was written to the output directory.");
        System.out.println("closing sentence: " + last);
    }
}
