package io.podvm.engine.cli;

import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every line the CLI writes goes through the masker, the closing error line and picocli's own messages
 * too: here the secret comes back in the value of an option that the CLI quotes in its error.
 */
class CliMaskingTest {
    private static final String PASSPHRASE = "Passphrase/podvm+test=1";
    private static final String PASSWORD = "Registry/pw+podvm=2";

    @TempDir
    Path dir;

    @Test
    void mkosiErrorLinesAreMasked() throws Exception {
        CliProcess.Result run = CliProcess.run(dir, Map.of(MkosiCommand.PASSPHRASE_VARIABLE, PASSPHRASE), "mkosi",
                "--variant", PASSPHRASE, "--output-dir", dir.resolve("out").toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("****");
        assertThat(run.stdout() + run.stderr()).doesNotContain(encodings(PASSPHRASE));
    }

    @Test
    void binariesErrorLinesAreMasked() throws Exception {
        CliProcess.Result run = CliProcess.run(dir, Map.of(BinariesCommand.PASSWORD_VARIABLE, PASSWORD), "binaries",
                "--mode", "pull", "--image", "registry.invalid/podvm:" + PASSWORD, "--output", "out");
        assertThat(run.exitCode()).as(run.stderr()).isNotZero();
        assertThat(run.stderr()).contains("****");
        assertThat(run.stdout() + run.stderr()).doesNotContain(encodings(PASSWORD));
    }

    @Test
    void picocliParameterErrorsAreMasked() throws Exception {
        CliProcess.Result run = CliProcess.run(dir, Map.of(BinariesCommand.PASSWORD_VARIABLE, PASSWORD), "binaries",
                "--mode", PASSWORD);
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout() + run.stderr()).doesNotContain(encodings(PASSWORD));
    }

    private static String[] encodings(String secret) {
        return new String[] {secret, Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                URLEncoder.encode(secret, StandardCharsets.UTF_8)};
    }
}
