package io.podvm.engine.mkosi;

import io.podvm.engine.testing.DiskImage;
import io.podvm.engine.testing.PcrProof;
import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.SshKeyFiles;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same bundled definition built by mkosi 25.3 (Debian trixie's, installed as mkosi-25 by
 * install-tools.d/mkosi25.sh): the translation for 25 (mkosi.sandbox/) is what lets it build, and the PCRs
 * podvm measure predicts for its image are the ones the TPM holds after podvm boot (one build, one boot).
 */
class Mkosi25BuildTest {
    @TempDir
    Path work;

    @Test
    void mkosi25BuildsTheDebugImageWithTheKeyAndTheExtraPackageAndItsPredictedPcrsAreTheTpms() throws Exception {
        Path mkosi25 = RealTools.require("mkosi-25");
        Path key = SshKeyFiles.generate(work, "id", "ed25519", "");
        TestLogs.Captured log = new TestLogs.Captured();

        ImageResult result = new ImageBuilder(log.log(), work).build(ImageRequest.builder().variant("debug")
                .sshPrivateKey(Files.readString(key), null, "--ssh-private-key").extraPackages(List.of("jq"))
                .mkosi(mkosi25.toString()).packageCache(RealTools.packageCache().toString()).build());

        System.out.printf("mkosi 25.3 built the debug image in %.1f s%n", result.seconds());
        assertThat(result.mkosiVersion()).isEqualTo("25.3");
        assertThat(log.toString()).contains("mkosi 25 reads mkosi.sandbox/");
        DiskImage disk = new DiskImage(Path.of(result.image()));
        assertThat(disk.partitions()).extracting(DiskImage.Partition::type)
                .containsExactly(DiskImage.ESP_TYPE, DiskImage.ROOT_X86_64_TYPE);
        assertThat(disk.listEsp("::/EFI/BOOT")).contains("BOOTX64.EFI");
        disk.withRoot(root -> {
            Path keys = root.resolve("root/.ssh/authorized_keys");
            assertThat(keys).content().contains(SshKeyFiles.publicKeyBody(key));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("r--------");
            assertThat(root.resolve("usr/bin/jq")).exists();
            assertThat(root.resolve("usr/sbin/sshd")).exists();
            return null;
        });

        PcrProof.Proof proof = PcrProof.run(work, Path.of(result.image()));
        System.out.printf("mkosi 25.3 debug image: PCR 4 %s, PCR 9 %s, PCR 11 %s; login after %.1f s (%.1f s in all),"
                + " %s%n", proof.held(4), proof.held(9), proof.held(11), proof.boot().path("secondsToLogin").asDouble(),
                proof.boot().path("seconds").asDouble(), proof.boot().path("accel").asText());
    }
}
