package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.testing.SshKeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageRequestTest {
    @TempDir
    Path dir;

    @Test
    void theBundledDefinitionDefaultsToProductionDebianBookworm() {
        ImageRequest request = ImageRequest.builder().build();

        assertThat(request.bundled()).isTrue();
        assertThat(request.variant()).isEqualTo(Variant.PRODUCTION);
        assertThat(request.distribution()).isEqualTo("debian");
        assertThat(request.release()).isEqualTo("bookworm");
        assertThat(request.outputDir()).isEqualTo(Path.of("build"));
        assertThat(request.mkosi()).isEqualTo("mkosi");
    }

    @Test
    void theRootIsExt4UnlessVerityIsAskedForWithTheBundledDebianDefinition() {
        assertThat(ImageRequest.builder().build().root()).isEqualTo(RootFileSystem.EXT4);
        assertThat(ImageRequest.builder().dir("tree").build().root()).isEqualTo(RootFileSystem.EXT4);
        assertThat(ImageRequest.builder().root("verity").variant("debug").build().root()).isEqualTo(RootFileSystem.VERITY);
        assertThatThrownBy(() -> ImageRequest.builder().root("verity").dir("tree").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("root: 'verity' is not valid; only the bundled podvm definition");
        assertThatThrownBy(() -> ImageRequest.builder().root("verity").distribution("fedora").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("root: 'verity' is not valid; the bundled fedora definition builds an ext4 root");
        assertThatThrownBy(() -> ImageRequest.builder().root(" "))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("root: ' ' is not valid; an empty");
        assertThatThrownBy(() -> ImageRequest.builder().root("squashfs"))
                .isInstanceOf(InvalidRequestException.class).hasMessage("root: 'squashfs' is not valid; allowed: ext4, verity.");
    }

    @Test
    void fedoraGetsItsOwnDefaultRelease() {
        assertThat(ImageRequest.builder().distribution("fedora").build().release()).isEqualTo(Flavour.FEDORA.defaultRelease());
    }

    @Test
    void anUnknownVariantNamesTheAllowedOnes() {
        assertThatThrownBy(() -> ImageRequest.builder().variant("staging"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("variant: 'staging' is not valid; allowed: production, debug.");
    }

    @Test
    void anUnknownDistributionOfTheBundledDefinitionNamesTheFlavours() {
        assertThatThrownBy(() -> ImageRequest.builder().distribution("ubuntu").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("distribution: 'ubuntu' is not valid; the bundled definition builds debian, fedora.");
    }

    @Test
    void aUsersTreeMayNameAnyDistributionMkosiKnowsButNoOther() {
        assertThat(ImageRequest.builder().dir("tree").distribution("ubuntu").build().distribution()).isEqualTo("ubuntu");
        assertThatThrownBy(() -> ImageRequest.builder().dir("tree").distribution("windows").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("distribution: 'windows' is not valid; allowed: alma, arch,");
    }

    @Test
    void aReleaseTheBundledDefinitionDoesNotBuildIsRefused() {
        assertThatThrownBy(() -> ImageRequest.builder().release("buster").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("release: 'buster' is not valid; the bundled debian definition builds bookworm.");
    }

    @Test
    void sshKeysAreRefusedForProductionImages() throws IOException {
        Path key = SshKeyFiles.generate(dir, "ed", "ed25519", "");
        String pub = Files.readString(Path.of(key + ".pub"));

        assertThatThrownBy(() -> ImageRequest.builder().authorizedKeys(pub, "authorizedKeys").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("SSH exists only in debug images");
        assertThatThrownBy(() -> ImageRequest.builder().variant("production")
                .sshPrivateKey(Files.readString(key), null, "sshKeyCredentialsId").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("SSH exists only in debug images");
    }

    @Test
    void aPrivateKeyBecomesItsPublicKeyAndIsNotKept() throws IOException {
        Path key = SshKeyFiles.generate(dir, "ed", "ed25519", "");
        String privateKey = Files.readString(key);

        ImageRequest request = ImageRequest.builder().variant("debug")
                .sshPrivateKey(privateKey, null, "--ssh-private-key").build();

        assertThat(request.authorizedKeys()).contains(SshKeyFiles.publicKeyBody(key));
        assertThat(serialized(request)).doesNotContain(privateKey.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void extraPackageNamesAreCheckedAgainstTheDistributionsRules() {
        assertThat(ImageRequest.builder().extraPackages(List.of("jq", " libc6-dev ")).build().extraPackages())
                .containsExactly("jq", "libc6-dev");
        assertThatThrownBy(() -> ImageRequest.builder().extraPackages(List.of("jq; rm -rf /")).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("extraPackages: 'jq; rm -rf /' is not valid;");
        assertThatThrownBy(() -> ImageRequest.builder().extraPackages(List.of("NetworkManager")).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Debian names are lower case");
        assertThat(ImageRequest.builder().distribution("fedora").extraPackages(List.of("NetworkManager")).build()
                .extraPackages()).containsExactly("NetworkManager");
    }

    @Test
    void profilesAreFileNamesOfTheTreeAndOnlyForAUsersTree() {
        assertThat(ImageRequest.builder().dir("tree").profiles(List.of("debug", " sftp ", "debug"), "--profile")
                .build().profiles()).containsExactly("debug", "sftp");
        assertThatThrownBy(() -> ImageRequest.builder().dir("tree").profiles(List.of("debug", ""), "--profile"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("--profile: '' is not valid;");
        assertThatThrownBy(() -> ImageRequest.builder().dir("tree").profiles(List.of("../x"), "--profile"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("--profile: '../x' is not valid;")
                .hasMessageContaining("mkosi.profiles/");
        assertThatThrownBy(() -> ImageRequest.builder().profiles(List.of("debug"), "profiles").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("profiles: the bundled podvm"
                        + " definition has no mkosi profiles");
    }

    private static String serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
