package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadRequestTest {
    private static UploadRequest.Builder aws() {
        return UploadRequest.builder().image("build/system.raw").provider("aws").name("podvm")
                .imageVersion("1.2.3").credentials(UploadFixtures.aws());
    }

    @Test
    void unknownProviderNamesTheValueAndTheAllowedOnes() {
        assertThatThrownBy(() -> aws().provider("digitalocean").build()).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("provider").hasMessageContaining("'digitalocean'")
                .hasMessageContaining("aws, azure, gcp, openstack");
        assertThatThrownBy(() -> aws().provider(null).build()).hasMessageContaining("provider: no provider given");
    }

    @Test
    void providerIsCaseInsensitive() {
        assertThat(aws().provider("AWS").build().provider()).isEqualTo(Provider.AWS);
    }

    @Test
    void imageIsRequired() {
        assertThatThrownBy(() -> aws().image(null).build()).hasMessageStartingWith("image: no image given");
        assertThatThrownBy(() -> aws().image(" ").build()).hasMessageStartingWith("image: ' ' is not valid; an empty"
                + " value is not allowed");
    }

    @Test
    void badVersionsAreRejected() {
        for (String bad : List.of("1.2", "v1.2.3", "1.2.3-rc1", "one.two.three")) {
            assertThatThrownBy(() -> aws().imageVersion(bad).build()).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("imageVersion: '" + bad + "'").hasMessageContaining("X.Y.Z");
        }
    }

    @Test
    void versionAndVersionFileExcludeEachOther() {
        assertThatThrownBy(() -> aws().imageVersionFile("VERSION").build())
                .hasMessageContaining("both --image-version '1.2.3' and --image-version-file 'VERSION'");
    }

    @Test
    void incrementNeedsAVersionFile() {
        assertThatThrownBy(() -> aws().incrementVersion(true).build())
                .hasMessageContaining("--increment-version").hasMessageContaining("--image-version-file");
    }

    @Test
    void badNamesAreRejected() {
        assertThatThrownBy(() -> aws().name("-podvm image").build()).hasMessageContaining("name: '-podvm image'");
    }

    @Test
    void setNeedsKeyEqualsValue() {
        assertThatThrownBy(() -> aws().set("aws.region").build()).hasMessageContaining("--set: 'aws.region'")
                .hasMessageContaining("KEY=VALUE");
    }

    @Test
    void unknownSettingsAreRejectedWithTheAllowedKeys() {
        assertThatThrownBy(() -> aws().set("aws.regoin=eu-central-1").build())
                .hasMessageContaining("--set aws.regoin").hasMessageContaining("aws.region")
                .hasMessageContaining("aws.bucket");
        assertThatThrownBy(() -> aws().set("name=x").build()).hasMessageContaining("use --name");
        assertThatThrownBy(() -> aws().set("base.aws.region=x").build()).hasMessageContaining("below uplosi's [base]");
    }

    @Test
    void settingsOfAnotherProviderAreRejected() {
        assertThatThrownBy(() -> aws().set("azure.location=northeurope").build())
                .hasMessageContaining("another provider").hasMessageContaining("for aws");
    }

    @Test
    void valuesAreParsedByType() {
        UploadRequest request = UploadRequest.builder().image("i").provider("openstack").imageVersion("1.0.0")
                .credentials(UploadFixtures.openstack()).set("openstack.tags=[\"nightly\", \"podvm\"]")
                .set("openstack.hidden=true").set("openstack.minDiskGB=32").set("openstack.cloud=\"podvm-test\"")
                .set("openstack.properties={hw_firmware_type = \"uefi\"}").set("openstack.visibility=private")
                .build();
        assertThat(request.settings()).containsEntry("openstack.tags", List.of("nightly", "podvm"))
                .containsEntry("openstack.hidden", true).containsEntry("openstack.minDiskGB", 32L)
                .containsEntry("openstack.cloud", "podvm-test").containsEntry("openstack.visibility", "private")
                .containsEntry("openstack.properties", Map.of("hw_firmware_type", "uefi"));
        assertThat(aws().set("aws.replicationRegions=eu-west-1,us-east-2").build().settings())
                .containsEntry("aws.replicationRegions", List.of("eu-west-1", "us-east-2"));
    }

    @Test
    void badValuesNameTheKeyAndTheAllowedForm() {
        assertThatThrownBy(() -> aws().set("aws.publish=yes").build()).hasMessageContaining("--set aws.publish: 'yes'")
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("openstack").imageVersion("1.0.0")
                .credentials(UploadFixtures.openstack()).set("openstack.minDiskGB=lots").build())
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> aws().set("aws.replicationRegions=[1, 2]").build())
                .hasMessageContaining("array of non-empty strings");
        assertThatThrownBy(() -> aws().set("aws.region=").build()).hasMessageContaining("must not be empty");
    }

    @Test
    void badGlobsAreRejected() {
        assertThatThrownBy(() -> aws().enableVariant("debug-[").build()).hasMessageContaining("enableVariants: 'debug-['");
    }

    @Test
    void missingOrPartialCredentialsAreRejectedPerProvider() {
        assertThatThrownBy(() -> aws().credentials(ProviderCredentials.builder().env("AWS_ACCESS_KEY_ID", "AKIA1")
                .build()).build()).hasMessageContaining("AWS_SECRET_ACCESS_KEY is missing");
        assertThatThrownBy(() -> aws().credentials(ProviderCredentials.builder().env("AWS_REGION", "eu-west-1")
                .build()).build()).hasMessageContaining("no AWS credentials");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("azure").credentials(
                ProviderCredentials.builder().env("AZURE_CLIENT_ID", "x").build()).build())
                .hasMessageContaining("AZURE_TENANT_ID").hasMessageContaining("AZURE_CLIENT_SECRET");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("gcp").credentials(
                ProviderCredentials.builder().gcpServiceAccountJson("not json").build()).build())
                .hasMessageContaining("not a JSON key file");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("gcp").credentials(
                ProviderCredentials.builder().gcpServiceAccountJson("{\"type\": \"service_account\"}").build()).build())
                .hasMessageContaining("\"client_email\"");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("gcp").credentials(UploadFixtures.aws())
                .build()).hasMessageContaining("--gcp-credentials");
        assertThatThrownBy(() -> UploadRequest.builder().image("i").provider("openstack").credentials(
                ProviderCredentials.builder().openstackCloudsYaml("auth: {}").build()).build())
                .hasMessageContaining("no 'clouds:'");
    }

    @Test
    void badVariableNamesAreRejected() {
        assertThatThrownBy(() -> ProviderCredentials.builder().env("aws secret", "x"))
                .hasMessageContaining("credentials: 'aws secret'");
    }

    @Test
    void requestSurvivesSerializationAndItsTextHoldsNoSecret() throws Exception {
        UploadRequest request = aws().set("aws.bucket=podvm-images").set("aws.publish=true").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(request);
        }
        UploadRequest copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (UploadRequest) in.readObject();
        }
        assertThat(copy.settings()).isEqualTo(request.settings());
        assertThat(copy.credentials().environment()).isEqualTo(request.credentials().environment());
        assertThat(request.credentials().toString()).doesNotContain(UploadFixtures.AWS_SECRET)
                .contains("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void secretsCoverKeysPasswordsAndTheGcpKeyButNotPlainSettings() {
        assertThat(UploadFixtures.aws().secrets()).contains(UploadFixtures.AWS_SECRET, UploadFixtures.AWS_KEY_ID)
                .doesNotContain("us-east-1");
        assertThat(UploadFixtures.gcp().secrets()).contains(UploadFixtures.GCP_PRIVATE_KEY, UploadFixtures.GCP_KEY_ID);
        assertThat(UploadFixtures.openstack().secrets()).contains(UploadFixtures.OPENSTACK_PASSWORD);
        assertThat(UploadFixtures.openstack().openstackCloudNames()).containsExactly("podvm-test", "other-cloud");
    }
}
