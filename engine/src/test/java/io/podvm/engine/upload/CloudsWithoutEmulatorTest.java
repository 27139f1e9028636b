package io.podvm.engine.upload;

import io.podvm.engine.AbortedException;
import io.podvm.engine.PodvmException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real uplosi 0.4.0 for azure, gcp and openstack, which have no emulator here: it must accept the
 * generated configuration and credentials and fail only when it reaches the network. The network is a
 * proxy on a loopback port where nothing listens, so no request leaves this machine and every connection
 * is refused at once. Azure's SDK retries for about a minute before it gives up; GCP's retries until it is
 * stopped, so that test uses a short timeout.
 */
class CloudsWithoutEmulatorTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 2, "0.3.9");
    }

    private UploadRequest.Builder request(String provider, ProviderCredentials credentials) {
        String proxy = "http://127.0.0.1:" + UploadFixtures.refusedPort();
        return UploadRequest.builder().image("system.raw").provider(provider).name("podvm")
                .imageVersionFile("VERSION").incrementVersion(true).credentials(credentials)
                .environment("HTTPS_PROXY", proxy).environment("HTTP_PROXY", proxy).environment("NO_PROXY", "")
                .uplosi(UploadFixtures.realUplosi()).tempDir(workspace.temp().toString());
    }

    private void assertNothingLeft() throws Exception {
        workspace.assertNoSecretsLeft();
        assertThat(workspace.version()).isEqualTo("0.3.9\n");
    }

    @Test
    void openstackAcceptsTheConfigAndFailsAtKeystone() throws Exception {
        assertThatThrownBy(() -> workspace.upload(request("openstack", UploadFixtures.openstack())
                .set("openstack.cloud=podvm-test").set("openstack.tags=[\"nightly\"]").set("openstack.minDiskGB=2")
                .set("openstack.properties={hw_firmware_type = \"uefi\"}").timeout(Duration.ofSeconds(60))))
                .isInstanceOf(PodvmException.class)
                .hasMessageStartingWith("Uploading to openstack failed at the step 'pre-cleaning'")
                .hasMessageContaining("keystone.podvm.invalid").hasMessageContaining("could not reach openstack");
        assertNothingLeft();
    }

    @Test
    void azureAcceptsTheConfigAndFailsWhenItAsksForAToken() throws Exception {
        assertThatThrownBy(() -> workspace.upload(request("azure", UploadFixtures.azure())
                .set("azure.location=northeurope").set("azure.resourceGroup=podvm-images")
                .set("azure.sharedImageGallery=podvm_gallery").timeout(Duration.ofMinutes(3))))
                .isInstanceOf(PodvmException.class).isNotInstanceOf(AbortedException.class)
                .hasMessageStartingWith("Uploading to azure failed at the step 'ensuring resource group exists'")
                .hasMessageContaining("login.microsoftonline.com").hasMessageContaining("could not reach azure");
        // The subscription came from AZURE_SUBSCRIPTION_ID; uplosi's pre-cleaning ran with the full config.
        assertThat(workspace.log().text())
                .contains("Image version 0.3.9 in podvm-images/podvm_gallery/podvm doesn't exist");
        assertNothingLeft();
    }

    @Test
    void gcpAcceptsTheConfigAndIsStoppedWhileItRetriesTheNetwork() throws Exception {
        assertThatThrownBy(() -> workspace.upload(request("gcp", UploadFixtures.gcp()).set("gcp.location=europe-west3")
                .set("gcp.bucket=podvm-uploads").timeout(Duration.ofSeconds(8))))
                .isInstanceOf(PodvmException.class).isNotInstanceOf(AbortedException.class)
                .hasMessageContaining("Uploading to gcp did not finish within 8 s")
                .hasMessageContaining("'Image podvm-0-3-9 doesn't exist. Nothing to clean up.'");
        assertNothingLeft();
        assertThat(uplosiProcesses()).isZero();
    }

    @Test
    void abortEndsTheRealUplosiAndRemovesItsFiles() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                workspace.upload(request("gcp", UploadFixtures.gcp()).set("gcp.location=europe-west3")
                        .set("gcp.bucket=podvm-uploads"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!workspace.log().text().contains("Nothing to clean up") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(uplosiProcesses()).isEqualTo(1);
        worker.interrupt();
        worker.join(30_000);
        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertThat(uplosiProcesses()).isZero();
        assertNothingLeft();
    }

    /** Processes uploading this test's image: uplosi itself. */
    private long uplosiProcesses() {
        String marker = "upload " + workspace.image();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(marker)).count();
    }
}
