package io.podvm.engine.mkosi;

import io.podvm.engine.testing.CliProcess;
import io.podvm.engine.testing.CommandLineWatcher;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real debug build with a passphrase-protected key and a qcow2 copy, with podvm's secrets and a cloud secret
 * in the CLI's environment: the environment of every process the build starts (mkosi, its bwrap sandboxes, apt,
 * qemu-img), read from /proc while it runs, holds none of them.
 */
class MkosiChildEnvironmentTest {
    @TempDir
    Path work;

    @Test
    void noProcessOfARealBuildSeesASecretInItsEnvironment() throws Exception {
        RealTools.require("mkosi");
        String passphrase = "passphrase-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        String registryPassword = "registry-" + passphrase;
        String cloudSecret = "cloud-" + passphrase;
        Path key = SshKeyFiles.generate(work, "id_ed25519", "ed25519", passphrase);
        Map<String, String> env = Map.of("PODVM_SSH_KEY_PASSPHRASE", passphrase,
                "PODVM_REGISTRY_PASSWORD", registryPassword, "AWS_SECRET_ACCESS_KEY", cloudSecret);

        CliProcess.Result run;
        try (CommandLineWatcher watcher = new CommandLineWatcher()) {
            run = CliProcess.start(work, env, "mkosi", "--variant", "debug", "--ssh-private-key", key.toString(),
                    "--qcow2", "--output-dir", "out", "--package-cache", RealTools.packageCache().toString())
                    .await(20);
            watcher.close();
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(watcher.sawPodvmHolding(passphrase)).isTrue();
            assertThat(watcher.sawEnvironOf("mkosi")).isTrue();
            assertThat(watcher.sawEnvironOf("bwrap")).isTrue();
            assertThat(watcher.sawEnvironOf("qemu-img convert")).isTrue();
            assertThat(watcher.environLeaksOf(List.of(passphrase, registryPassword, cloudSecret))).isEmpty();
            System.out.println("environments read: " + watcher.toolEnvirons().size());
        }
        assertThat(work.resolve("out/system.qcow2")).exists();
    }
}
