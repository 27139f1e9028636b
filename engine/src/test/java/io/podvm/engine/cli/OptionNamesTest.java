package io.podvm.engine.cli;

import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages printed by the CLI name the options typed on its command line, not the request's field names. */
class OptionNamesTest {
    @TempDir
    Path work;

    private static OptionNames of(Object command) {
        return OptionNames.of(new CommandLine(command).getCommandSpec());
    }

    @Test
    void theLeadingFieldAndCamelCaseFieldsBecomeTheCommandsOptions() {
        OptionNames mkosi = of(new MkosiCommand());
        assertThat(mkosi.translate("outputDir: '/x' is a file; give a directory."))
                .isEqualTo("--output-dir: '/x' is a file; give a directory.");
        assertThat(mkosi.translate("binariesTree: '/x' is not a directory; build it with 'podvm binaries' or leave"
                + " binariesTree out.")).isEqualTo("--binaries-tree: '/x' is not a directory; build it with"
                + " 'podvm binaries' or leave --binaries-tree out.");
        assertThat(mkosi.translate("extraPackages: '' is not valid")).startsWith("--extra-package: ");
        assertThat(mkosi.translate("stage: '/x' exists")).startsWith("--stage-only: ");
        assertThat(mkosi.translate("dir: the image must be built")).isEqualTo("--dir: the image must be built");
        assertThat(mkosi.translate("--ssh-private-key: the key is encrypted")).isEqualTo("--ssh-private-key: the key is encrypted");
        assertThat(mkosi.translate("mkosi build failed (exit 1): E: no space left")).isEqualTo("mkosi build failed (exit 1): E: no space left");

        OptionNames binaries = of(new BinariesCommand());
        assertThat(binaries.translate("image: the registry r could not be reached over verified HTTPS; allow that"
                + " with insecureRegistry.")).isEqualTo("--image: the registry r could not be reached over verified"
                + " HTTPS; allow that with --insecure-registry.");
        assertThat(binaries.translate("registryUser: refused")).isEqualTo("--registry-user: refused");
        assertThat(binaries.translate("buildArg: 'X' is not valid")).isEqualTo("--build-arg: 'X' is not valid");

        OptionNames upload = of(new UploadCommand());
        assertThat(upload.translate("image: no such file")).isEqualTo("IMAGE: no such file");
        assertThat(upload.translate("imageVersionFile: '01.02.03' is not valid")).startsWith("--image-version-file: ");
        assertThat(upload.translate("settings: 'x' is not KEY=VALUE")).startsWith("--set: ");
        assertThat(upload.translate("enableVariants: no variants")).startsWith("--enable-variant: ");
        assertThat(upload.translate("aws.bucket: 'x' is not valid")).isEqualTo("aws.bucket: 'x' is not valid");
    }

    @Test
    void theCliPrintsTheOptionTheUserTyped() throws Exception {
        Files.writeString(work.resolve("a-file"), "");

        CliProcess.Result result = CliProcess.run(work, Map.of(), "mkosi", "--output-dir", "a-file");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("podvm: --output-dir: '" + work.resolve("a-file") + "' is a file")
                .doesNotContain("outputDir");
    }
}
