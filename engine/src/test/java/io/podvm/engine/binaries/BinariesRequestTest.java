package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinariesRequestTest {

    @Test
    void unknownModeNamesTheFieldTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("fetch").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mode: 'fetch'").hasMessageContaining("build").hasMessageContaining("pull");
    }

    @Test
    void noModeIsRejected() {
        assertThatThrownBy(() -> BinariesRequest.builder().build())
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("mode:");
    }

    @Test
    void buildWithoutContextIsRejected() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").dockerfile("Dockerfile").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("context:");
    }

    @Test
    void pullWithoutImageIsRejected() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("pull").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("image:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Quay.io/UPPER/case", "quay.io/repo:bad:tag", "quay.io/repo@sha256:1234",
            "quay.io//double", "quay.io/repo:" + "t" + "oolongtagoolongtagoolongtagoolongtagoolongtagoolongtag"
            + "oolongtagoolongtagoolongtagoolongtagoolongtagoolongtagoolongtagoolongtagoolongtag",
            "repo with space", "-leading/dash", "quay.io/repo:"})
    void malformedImageReferencesAreRejected(String reference) {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("pull").image(reference).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("image: '" + reference + "'")
                .hasMessageContaining("[registry[:port]/]repository[:tag][@sha256:digest]");
    }

    @Test
    void imageReferencesNameTheirRegistry() {
        String digest = "sha256:" + "ab".repeat(32);
        assertThat(ImageReference.parse("quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0", "image"))
                .satisfies(r -> {
                    assertThat(r.registry()).isEqualTo("quay.io");
                    assertThat(r.repository()).isEqualTo("confidential-containers/podvm-binaries-ubuntu-amd64");
                    assertThat(r.tag()).isEqualTo("v0.13.0");
                });
        assertThat(ImageReference.parse("127.0.0.1:5000/podvm/binaries@" + digest, "image").canonical())
                .isEqualTo("127.0.0.1:5000/podvm/binaries@" + digest);
        assertThat(ImageReference.parse("localhost/binaries", "image").canonical())
                .isEqualTo("localhost/binaries:latest");
        assertThat(ImageReference.parse("busybox", "image").canonical()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("example.com:8443/a/b:1.0@" + digest, "image").canonical())
                .isEqualTo("example.com:8443/a/b:1.0@" + digest);
    }

    @Test
    void buildArgumentsAreKeyEqualsValue() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").buildArg("TEE_PLATFORM").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("buildArg: 'TEE_PLATFORM'");
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").buildArg("1X=y").build())
                .hasMessageStartingWith("buildArg: '1X=y'");
        BinariesRequest request = BinariesRequest.builder().mode("build").context(".")
                .buildArgs(List.of("TEE_PLATFORM=snp", "ARCH=amd64", "EMPTY=", "TEE_PLATFORM=tdx")).build();
        assertThat(request.buildArgs()).containsExactly(Map.entry("TEE_PLATFORM", "tdx"), Map.entry("ARCH", "amd64"),
                Map.entry("EMPTY", ""));
    }

    @Test
    void unknownBuilderPullerAndIsolationAreRejected() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").builder("kaniko").build())
                .hasMessageStartingWith("builder: 'kaniko'").hasMessageContaining("docker, podman, buildah");
        assertThatThrownBy(() -> BinariesRequest.builder().mode("pull").image("a/b").puller("oras").build())
                .hasMessageStartingWith("puller: 'oras'").hasMessageContaining("skopeo, podman");
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").isolation("vm").build())
                .hasMessageStartingWith("isolation: 'vm'");
    }

    @Test
    void optionsOfTheOtherModeAreNamed() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("build").context(".").image("a/b").build())
                .hasMessageStartingWith("image: 'a/b' was given, but image is not used in build mode");
        assertThatThrownBy(() -> BinariesRequest.builder().mode("pull").image("a/b").dockerfile("D").build())
                .hasMessageStartingWith("dockerfile: 'D' was given, but dockerfile is not used in pull mode");
    }

    @Test
    void registryUserHasNoColon() {
        assertThatThrownBy(() -> BinariesRequest.builder().mode("pull").image("a/b").registryUser("a:b").build())
                .hasMessageStartingWith("registryUser: 'a:b'");
    }

    @Test
    void aRequestCrossesAnAgentChannel() throws Exception {
        BinariesRequest request = BinariesRequest.builder().mode("pull")
                .image("quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0").registryUser("robot")
                .insecureRegistry(true).overlay("extra").output("out/tree").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(request);
        }
        BinariesRequest copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BinariesRequest) in.readObject();
        }
        assertThat(copy.image().canonical()).isEqualTo(request.image().canonical());
        assertThat(copy.registryUser()).isEqualTo("robot");
        assertThat(copy.insecureRegistry()).isTrue();
        assertThat(copy.overlays()).containsExactly(Path.of("extra"));
        assertThat(copy.output()).isEqualTo(Path.of("out/tree"));
        assertThat(copy.mode()).isEqualTo(Mode.PULL);
    }

    @Test
    void defaultsAreTheSeedsLayout() {
        BinariesRequest request = BinariesRequest.builder().mode("build").context("ctx").build();
        assertThat(request.output()).isEqualTo(Path.of("resources/binaries-tree"));
        assertThat(request.dockerfile()).isNull();
        assertThat(request.containerBuilder()).isNull();
        assertThat(request.isolation()).isEqualTo("chroot");
    }
}
