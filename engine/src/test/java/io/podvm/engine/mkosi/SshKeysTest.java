package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshKeysTest {
    @TempDir
    Path dir;

    @Test
    void derivesThePublicKeyOfAnEd25519Key() throws IOException {
        Path key = SshKeyFiles.generate(dir, "ed", "ed25519", "");

        String line = SshKeys.publicKeyOfFile(key, null, "--ssh-private-key");

        assertThat(line).startsWith("ssh-ed25519 ").contains(SshKeyFiles.publicKeyBody(key));
    }

    @Test
    void derivesThePublicKeyOfAnEncryptedRsaKeyWithItsPassphrase() throws IOException {
        Path key = SshKeyFiles.generate(dir, "rsa", "rsa", "s3cret-passphrase");

        String line = SshKeys.publicKeyOfFile(key, "s3cret-passphrase", "--ssh-private-key");

        assertThat(line).startsWith("ssh-rsa ").contains(SshKeyFiles.publicKeyBody(key));
    }

    @Test
    void anEncryptedKeyWithoutItsPassphraseSaysWhereThePassphraseGoes() throws IOException {
        Path key = SshKeyFiles.generate(dir, "enc", "ed25519", "s3cret-passphrase");

        assertThatThrownBy(() -> SshKeys.publicKeyOfFile(key, null, "--ssh-private-key"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("--ssh-private-key:")
                .hasMessageContaining("PODVM_SSH_KEY_PASSPHRASE");
    }

    @Test
    void aWrongPassphraseIsReportedWithoutTheKey() throws IOException {
        Path key = SshKeyFiles.generate(dir, "enc", "ed25519", "s3cret-passphrase");

        assertThatThrownBy(() -> SshKeys.publicKeyOfFile(key, "wrong", "sshKeyCredentialsId"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("sshKeyCredentialsId:")
                .hasMessageContaining("Check the passphrase").hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void keyErrorsNameTheOptionNeverAJavaObject() throws IOException {
        Path key = SshKeyFiles.generate(dir, "enc", "ed25519", "s3cret-passphrase");
        Path rsa = SshKeyFiles.generate(dir, "rsa", "rsa", "s3cret-passphrase");

        for (Path k : java.util.List.of(key, rsa)) {
            for (String passphrase : new String[] {null, "wrong"}) {
                assertThatThrownBy(() -> SshKeys.publicKeyOfFile(k, passphrase, "--ssh-private-key"))
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessageNotContaining("Lambda").hasMessageNotContaining("$$")
                        .hasMessageNotContaining("io.podvm").hasMessageNotContaining("s3cret-passphrase")
                        .hasMessageMatching("--ssh-private-key: (the key is encrypted|the passphrase is wrong)[^@]*");
            }
        }
    }

    @Test
    void aFileThatIsNotAKeyIsRefused() throws IOException {
        Path notAKey = Files.writeString(dir.resolve("notes.txt"), "hello\n");

        assertThatThrownBy(() -> SshKeys.publicKeyOfFile(notAKey, null, "--ssh-private-key"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("--ssh-private-key:");
    }

    @Test
    void aMissingKeyFileIsNamed() {
        assertThatThrownBy(() -> SshKeys.readKeyFile(dir.resolve("nope"), "--authorized-keys"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("--authorized-keys: '" + dir.resolve("nope") + "' does not exist");
    }

    @Test
    void anUnreadableKeyFileIsNamed() throws IOException {
        Path key = SshKeyFiles.generate(dir, "ed", "ed25519", "");
        // Root reads any file, so a directory stands in for what this user cannot read as a file.
        assertThatThrownBy(() -> SshKeys.readKeyFile(dir, "--ssh-private-key"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not a file");
        assertThat(SshKeys.readKeyFile(key, "--ssh-private-key")).contains("PRIVATE KEY");
    }

    @Test
    void authorizedKeysAreCheckedLineByLineAndCommentsDropped() throws IOException {
        Path key = SshKeyFiles.generate(dir, "ed", "ed25519", "");
        String pub = Files.readString(Path.of(key + ".pub"));

        String text = SshKeys.checkAuthorizedKeys("# root's keys\n\n" + pub, "authorizedKeys");

        assertThat(text).isEqualTo(pub.trim() + "\n");
    }

    @Test
    void anAuthorizedKeysLineThatIsNotAKeyIsNamedByItsNumber() {
        assertThatThrownBy(() -> SshKeys.checkAuthorizedKeys("# keys\nssh-ed25519 not-base64!!\n", "authorizedKeys"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("authorizedKeys: line 2").hasMessageContaining("is not a public key");
    }

    @Test
    void authorizedKeysWithoutAnyKeyAreRefused() {
        assertThatThrownBy(() -> SshKeys.checkAuthorizedKeys("# nothing here\n", "authorizedKeys"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("holds no public key");
    }
}
