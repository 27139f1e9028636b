package io.podvm.engine.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UplosiConfigTest {
    @TempDir
    Path dir;

    private Path work() throws Exception {
        return Files.createDirectories(dir.resolve("work"));
    }

    private UplosiConfig prepare(UploadRequest.Builder request) throws Exception {
        UploadRequest built = request.build();
        ProviderCredentials credentials = built.credentials();
        return UplosiConfig.prepare(built, credentials, dir, work());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> tree, String... path) {
        Map<String, Object> t = tree;
        for (String p : path) {
            t = (Map<String, Object>) t.get(p);
        }
        return t;
    }

    private static Map<String, Object> parse(String toml) throws Exception {
        return new TomlMapper().readValue(toml, new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void writesTomlWithOurSettingsUnderBase() throws Exception {
        UplosiConfig config = prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("0.1.0").credentials(UploadFixtures.aws()).set("aws.bucket=podvm-images")
                .set("aws.replicationRegions=[\"eu-west-1\"]").set("aws.publish=true"));
        Map<String, Object> tree = parse(config.toToml());
        assertThat(section(tree, "base")).containsEntry("provider", "aws").containsEntry("name", "podvm")
                .containsEntry("imageVersion", "0.1.0");
        // AWS_REGION of the credentials fills aws.region when no --set names it.
        assertThat(section(tree, "base", "aws")).containsEntry("bucket", "podvm-images")
                .containsEntry("region", "us-east-1").containsEntry("replicationRegions", List.of("eu-west-1"))
                .containsEntry("publish", true);
        assertThat(config.version()).isEqualTo("0.1.0");
    }

    @Test
    void layersOurSettingsOverTheUsersConfigAndConfD() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf/uplosi.conf.d"));
        Files.writeString(dir.resolve("conf/uplosi.conf"), """
                [base]
                provider = "aws"
                name = "from-config"
                imageVersionFile = "VERSION"
                [base.aws]
                region = "eu-central-1"
                bucket = "user-bucket"
                publish = true
                """);
        Files.writeString(conf.resolve("10-bucket.conf"), "[base.aws]\nbucket = \"confd-bucket\"\nblobName = \"\"\n");
        Files.writeString(conf.resolve("ignored.txt"), "this is not TOML");
        Files.writeString(dir.resolve("conf/VERSION"), "2.3.4\n");
        UplosiConfig config = prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .configDir("conf").credentials(UploadFixtures.aws()).set("aws.region=us-east-2"));
        Map<String, Object> tree = parse(config.toToml());
        assertThat(section(tree, "base")).containsEntry("name", "podvm");
        assertThat(section(tree, "base", "aws")).containsEntry("bucket", "confd-bucket")
                .containsEntry("region", "us-east-2").containsEntry("publish", true).doesNotContainKey("blobName");
        // The version file named relative to the config dir is read there and redirected to a private copy.
        assertThat(config.version()).isEqualTo("2.3.4");
        assertThat((String) section(tree, "base").get("imageVersionFile")).startsWith(work().toString());
        assertThat(config.primaryVersionFile().original()).isEqualTo(dir.resolve("conf/VERSION"));
    }

    @Test
    void variantsAreFilteredAndEachKeepsItsVersionFile() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/uplosi.conf"), """
                [base]
                name = "podvm"
                [base.aws]
                region = "eu-central-1"
                bucket = "podvm-images"
                [variant.production]
                imageVersionFile = "production.version"
                [variant.debug]
                imageVersionFile = "debug.version"
                [variant.debug.aws]
                bucket = "podvm-debug"
                """);
        Files.writeString(dir.resolve("conf/production.version"), "1.0.0");
        Files.writeString(dir.resolve("conf/debug.version"), "0.9.1");
        UplosiConfig config = prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .configDir("conf").credentials(UploadFixtures.aws()).disableVariant("prod*").incrementVersion(true));
        assertThat(config.scopes()).extracting(UplosiConfig.Scope::variant).containsExactly("debug");
        assertThat(config.version()).isEqualTo("0.9.1");
        assertThat(config.primaryVersionFile().next()).isEqualTo("0.9.2");
        // As uplosi: only the version files of the variants uploaded are read, and bumped with -i.
        assertThat(config.versionFiles()).extracting(VersionFile::original)
                .containsExactly(dir.resolve("conf/debug.version"));
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .configDir("conf").credentials(UploadFixtures.aws()).enableVariant("nightly-*")))
                .hasMessageContaining("leave no variant to upload").hasMessageContaining("debug, production");
    }

    /** Issue 12: the same directory gives the same upload as uplosi run in it, and podvm says what uplosi drops. */
    @Test
    void aDropInsBooleanAndZeroAreIgnoredAsUplosiIgnoresThemWithAWarning() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf/uplosi.conf.d"));
        Files.writeString(dir.resolve("conf/uplosi.conf"), """
                [base]
                name = "podvm"
                imageVersion = "1.0.0"
                [base.openstack]
                cloud = "podvm-test"
                minDiskGB = 32
                protected = false
                """);
        Files.writeString(confD.resolve("10-public.conf"), """
                [base.openstack]
                protected = true
                minDiskGB = 0
                visibility = "private"
                """);
        UplosiConfig config = prepare(UploadRequest.builder().image("system.raw").provider("openstack")
                .configDir("conf").credentials(UploadFixtures.openstack()));
        assertThat(section(config.scopes().get(0).settings(), "openstack")).containsEntry("protected", false)
                .containsEntry("minDiskGB", 32L).containsEntry("visibility", "private");
        assertThat(config.warnings()).containsExactly(
                "uplosi.conf.d/10-public.conf [base]: openstack.protected = true is ignored: uplosi keeps the first"
                        + " value it reads for a boolean, openstack.protected = false from uplosi.conf [base].",
                "uplosi.conf.d/10-public.conf [base]: openstack.minDiskGB = 0 is ignored: uplosi does not let an"
                        + " empty value (\"\", 0, []) replace one that is set; openstack.minDiskGB = 32 from uplosi.conf"
                        + " [base] stays.");
        assertThat(parse(config.toToml())).doesNotContainKey("variant");
    }

    @Test
    void explicitOptionsReplaceEveryVariantsValuesAndSaySo() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf/uplosi.conf.d"));
        Files.writeString(dir.resolve("conf/uplosi.conf"), """
                [base]
                name = "podvm"
                imageVersion = "1.0.0"
                [base.aws]
                region = "eu-central-1"
                bucket = "base-bucket"
                publish = true
                [variant.debug]
                imageVersion = "0.9.0"
                [variant.debug.aws]
                bucket = "debug-bucket"
                publish = false
                [variant.production]
                """);
        Files.writeString(confD.resolve("20-debug.conf"), "[variant.debug]\nname = \"late\"\n");
        UplosiConfig config = prepare(UploadRequest.builder().image("system.raw").provider("aws").configDir("conf")
                .credentials(UploadFixtures.aws()).set("aws.bucket=cli-bucket").set("aws.publish=false")
                .imageVersion("9.9.9"));
        assertThat(config.scopes()).extracting(UplosiConfig.Scope::variant).containsExactly("debug", "production");
        for (UplosiConfig.Scope scope : config.scopes()) {
            assertThat(section(scope.settings(), "aws")).as(scope.variant()).containsEntry("bucket", "cli-bucket")
                    .containsEntry("publish", false).containsEntry("region", "eu-central-1");
            assertThat(scope.version()).isEqualTo("9.9.9");
        }
        assertThat(config.notes()).containsExactly(
                "--image-version 9.9.9 replaces imageVersion = \"0.9.0\" from uplosi.conf [variant.debug] in variant"
                        + " debug.",
                "--set aws.bucket=cli-bucket replaces aws.bucket = \"debug-bucket\" from uplosi.conf [variant.debug]"
                        + " in variant debug.",
                "--set aws.publish=false replaces aws.publish = true from uplosi.conf [base] in variant debug.",
                "--image-version 9.9.9 replaces imageVersion = \"1.0.0\" from uplosi.conf [base] in variant"
                        + " production.",
                "--set aws.bucket=cli-bucket replaces aws.bucket = \"base-bucket\" from uplosi.conf [base] in variant"
                        + " production.",
                "--set aws.publish=false replaces aws.publish = true from uplosi.conf [base] in variant production.");
        // uplosi's rules: the variant's publish = false loses to the base's true (first boolean kept), and a
        // later file's table for an existing variant is dropped.
        assertThat(config.warnings()).containsExactly(
                "uplosi.conf.d/20-debug.conf [variant.debug]: name ignored: uplosi 0.4.0 takes variant debug from the"
                        + " first file that defines it (uplosi.conf) and drops later tables of the same variant; set"
                        + " them in that first file.",
                "uplosi.conf [variant.debug]: aws.publish = false is ignored: uplosi keeps the first value it reads"
                        + " for a boolean, aws.publish = true from uplosi.conf [base].");
        // Each variant is written whole, so uplosi's merging cannot bring the base's boolean back.
        Map<String, Object> tree = parse(config.toToml());
        assertThat(tree).containsOnlyKeys("variant");
        assertThat(section(tree, "variant", "production", "aws")).containsEntry("publish", false)
                .containsEntry("bucket", "cli-bucket");
    }

    @Test
    void aDirectoryWithoutUplosiConfIsRefusedAsUplosiRefusesIt() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf/uplosi.conf.d"));
        Files.writeString(confD.resolve("10.conf"), "[base]\nname = \"podvm\"\n");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .imageVersion("1.0.0").configDir("conf").credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("configDir: '")
                .hasMessageContaining("no uplosi.conf");
        Files.writeString(dir.resolve("conf/uplosi.conf"), "[base.openstack]\nminDiskGB = \"32\"\n");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .imageVersion("1.0.0").configDir("conf").credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .hasMessage("configDir: uplosi.conf [base]: openstack.minDiskGB = \"32\" has the wrong type; uplosi"
                        + " reads openstack.minDiskGB as a whole number and refuses the file.");
    }

    @Test
    void aVariantForAnotherProviderIsRejected() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/uplosi.conf"), """
                [base]
                name = "podvm"
                imageVersion = "1.0.0"
                [base.aws]
                region = "eu-central-1"
                bucket = "podvm-images"
                [variant.aws]
                [variant.azure]
                provider = "azure"
                """);
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .configDir("conf").credentials(UploadFixtures.aws())))
                .hasMessageContaining("variant azure").hasMessageContaining("--disable-variant azure");
    }

    @Test
    void missingRequiredFieldsNameTheSetKey() {
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").credentials(UploadFixtures.aws())))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("aws.bucket: required for provider aws")
                .hasMessageContaining("--set aws.bucket=");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("azure").name("podvm")
                .imageVersion("1.0.0").credentials(UploadFixtures.azure()).set("azure.location=northeurope")
                .set("azure.resourceGroup=rg")))
                .hasMessageContaining("--set azure.sharedImageGallery=");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("azure").name("podvm")
                .imageVersion("1.0.0").credentials(UploadFixtures.azure()).set("azure.location=northeurope")
                .set("azure.resourceGroup=rg").set("azure.sharedImageGallery=g").set("azure.sharingProfile=community")))
                .hasMessageContaining("--set azure.sharingNamePrefix=");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("gcp").name("podvm")
                .imageVersion("1.0.0").credentials(UploadFixtures.gcp()).set("gcp.location=europe-west3")))
                .hasMessageContaining("--set gcp.bucket=");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("openstack")
                .name("podvm").imageVersion("1.0.0").credentials(UploadFixtures.openstack())))
                .hasMessageContaining("--set openstack.cloud=");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws")
                .imageVersion("1.0.0").credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .hasMessageContaining("name: no image name").hasMessageContaining("--name");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .hasMessageContaining("imageVersion: no image version");
    }

    @Test
    void theOpenstackCloudMustBeInTheCloudsYaml() {
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("openstack")
                .name("podvm").imageVersion("1.0.0").credentials(UploadFixtures.openstack())
                .set("openstack.cloud=prod")))
                .hasMessageContaining("openstack.cloud: 'prod'").hasMessageContaining("podvm-test, other-cloud");
    }

    @Test
    void badVersionFilesAndConfigsAreRejected() throws Exception {
        Files.writeString(dir.resolve("VERSION"), "release 1\n");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersionFile("VERSION").credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .hasMessageContaining("imageVersionFile: the version file").hasMessageContaining("'release 1'")
                .hasMessageContaining("X.Y.Z");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersionFile("MISSING").credentials(UploadFixtures.aws()).set("aws.bucket=b")))
                .hasMessageContaining("imageVersionFile: '").hasMessageContaining("MISSING");
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/uplosi.conf"), "[base\nname = 1\n");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").configDir("broken").credentials(UploadFixtures.aws())))
                .hasMessageContaining("is not valid TOML");
        assertThatThrownBy(() -> prepare(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").configDir("nowhere").credentials(UploadFixtures.aws())))
                .hasMessageContaining("configDir: '");
    }

    @Test
    void versionFilesAreBumpedAtomicallyKeepingTheirNewline() throws Exception {
        Path original = dir.resolve("VERSION");
        Files.writeString(original, "1.2.9\n");
        VersionFile file = VersionFile.read(original, dir.resolve("copy"), "imageVersionFile");
        file.commitNext();
        assertThat(Files.readString(original)).isEqualTo("1.2.10\n");
        assertThat(VersionFile.increment("0.0.0")).isEqualTo("0.0.1");
    }
}
