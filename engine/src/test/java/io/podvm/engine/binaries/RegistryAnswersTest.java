package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the registry answered, told in a precise sentence, with a real registry on a port whose number holds
 * "401" (the HTTP status of refused credentials, which a substring match took for one) and both pullers.
 */
class RegistryAnswersTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static TestRegistry registry;

    @BeforeAll
    static void registryOnAPortHolding401() throws Exception {
        registry = TestRegistry.start(Files.createDirectories(shared.resolve("registry")), "pw-" + System.nanoTime(),
                TestRegistry.freePortHolding401());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private BinariesRequest.Builder pull(String image, String puller) {
        return BinariesRequest.builder().mode("pull").image(image).insecureRegistry(true).puller(puller);
    }

    private BinariesTreeMaker maker() {
        return new BinariesTreeMaker(new TestLogs.Captured().log(), dir);
    }

    @Test
    void aMissingImageIsNotFoundNotRefusedCredentials() {
        String missing = registry.address() + "/podvm/no-such-image:1";
        for (String puller : List.of("skopeo", "podman")) {
            assertThatThrownBy(() -> maker().make(pull(missing, puller).registryUser(TestRegistry.USER).build(),
                    registry.password()))
                    .as(puller).isInstanceOf(InvalidRequestException.class)
                    .hasMessage("image: '" + missing + "' was not found in the registry " + registry.address()
                            + " (manifest unknown); check the repository and the tag or digest.");
        }
    }

    @Test
    void wrongCredentialsAreRefusedCredentials() {
        String missing = registry.address() + "/podvm/no-such-image:1";
        for (String puller : List.of("skopeo", "podman")) {
            assertThatThrownBy(() -> maker().make(pull(missing, puller).registryUser(TestRegistry.USER).build(),
                    "not-the-password"))
                    .as(puller).isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("registryUser: the registry " + registry.address() + " refused the"
                            + " credentials of user '" + TestRegistry.USER + "' (unauthorized)");
        }
    }

    @Test
    void aRefusedConnectionIsAnUnreachableRegistry() throws Exception {
        String nobody = "127.0.0.1:" + TestRegistry.freePortHolding401() + "/podvm/binaries:1";
        for (String puller : List.of("skopeo", "podman")) {
            assertThatThrownBy(() -> maker().make(pull(nobody, puller).build(), null))
                    .as(puller).isInstanceOf(PodvmException.class)
                    .hasMessageStartingWith("image: the registry " + nobody.substring(0, nobody.indexOf('/'))
                            + " could not be reached (dial tcp ")
                    .hasMessageContaining("connect: connection refused); check the registry's host name and port")
                    .hasMessageNotContaining("credentials");
        }
    }

    @Test
    void credentialsInTheReferenceAreRefusedWithoutShowingThem() {
        String password = "Pa55/w@rd-" + System.nanoTime();
        for (String image : List.of("podvm-ci:" + password + "@" + registry.address() + "/podvm/binaries:1",
                "https://podvm-ci:" + password + "@quay.io/confidential-containers/podvm-binaries:v1",
                "podvm-ci:" + password + "@quay.io/podvm/binaries@sha256:" + "a".repeat(64))) {
            assertThatThrownBy(() -> pull(image, null).build())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("image: the reference has user information before '@'")
                    .hasMessageContaining("registryCredentialsId").hasMessageContaining("--registry-user")
                    .hasMessageNotContaining(password).hasMessageNotContaining("Pa55");
            assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").image(image).build())
                    .hasMessageNotContaining(password).hasMessageNotContaining("Pa55");
        }
        assertThat(ImageReference.parse("alpine@sha256:" + "b".repeat(64), "image").repository())
                .isEqualTo("library/alpine");
    }
}
