package io.podvm.engine.mkosi;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fedora flavour cannot be built here (no Fedora mirror), so real mkosi checks that its configuration
 * parses and resolves, debug variant and extra packages included, after staging and translation.
 */
class FedoraSummaryTest {
    @TempDir
    Path work;

    @Test
    void mkosiSummaryOfTheStagedFedoraFlavourSucceeds() throws Exception {
        TestLogs.Captured captured = new TestLogs.Captured();
        BuildLog log = captured.log();
        MkosiTool mkosi = MkosiTool.detect(RealTools.require("mkosi").toString(), log);
        ImageRequest request = ImageRequest.builder().distribution("fedora").variant("debug")
                .extraPackages(java.util.List.of("NetworkManager")).build();
        Path tree = work.resolve("tree");
        new TreeStager(log).stage(request, null, tree);
        new PresetTranslator(log).translate(tree, mkosi.settings(log));

        ExecResult result = new ProcessRunner(log).run(ExecSpec.of(mkosi.path().toString(),
                "--distribution=fedora", "--release=" + request.release(), "summary").directory(tree));

        assertThat(result.exitCode()).as("mkosi summary:\n%s", captured).isZero();
        String summary = captured.toString();
        // The system preset is the main image (mkosi 24's summary calls it "default"): two images, no third.
        assertThat(summary.split("IMAGE: ", -1)).hasSize(3);
        assertThat(summary).contains("IMAGE: initrd").containsPattern("Output: system")
                .containsPattern("Distribution: fedora").containsPattern("Release: " + request.release())
                .contains("openssh-server").contains("NetworkManager").contains("kernel-core");
    }
}
