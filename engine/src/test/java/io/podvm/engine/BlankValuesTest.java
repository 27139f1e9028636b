package io.podvm.engine;

import io.podvm.engine.binaries.BinariesRequest;
import io.podvm.engine.mkosi.ImageRequest;
import io.podvm.engine.upload.UploadRequest;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A blank value (an unset shell variable, an empty form field) is a mistake to report, never a request for the
 * default: every string field of the three requests refuses it with its name and the value in quotes.
 */
class BlankValuesTest {
    private static final List<String> BLANKS = List.of("", "  ");

    private static void assertEveryFieldRefusesBlanks(ThrowingCallable valid, Map<String, Consumer<String>> fields) {
        assertThatCode(valid).as("the request without blanks is valid").doesNotThrowAnyException();
        fields.forEach((field, blank) -> {
            for (String value : BLANKS) {
                assertThatThrownBy(() -> blank.accept(value)).as(field + " = '" + value + "'")
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessageStartingWith(field + ": '" + value + "' is not valid; an empty value is not allowed");
            }
        });
    }

    @Test
    void imageRequest() {
        Map<String, Consumer<String>> fields = new LinkedHashMap<>();
        fields.put("dir", v -> ImageRequest.builder().dir(v).build());
        fields.put("variant", v -> ImageRequest.builder().variant(v).build());
        fields.put("distribution", v -> ImageRequest.builder().distribution(v).build());
        fields.put("release", v -> ImageRequest.builder().release(v).build());
        fields.put("binariesTree", v -> ImageRequest.builder().binariesTree(v).build());
        fields.put("extraPackages", v -> ImageRequest.builder().extraPackages(List.of("jq", v)).build());
        fields.put("outputDir", v -> ImageRequest.builder().outputDir(v).build());
        fields.put("mkosi", v -> ImageRequest.builder().mkosi(v).build());
        fields.put("packageCache", v -> ImageRequest.builder().packageCache(v).build());
        fields.put("authorizedKeys", v -> ImageRequest.builder().variant("debug").authorizedKeys(v, "authorizedKeys").build());
        fields.put("sshKeyCredentialsId", v -> ImageRequest.builder().variant("debug").sshPrivateKey(v, null,
                "sshKeyCredentialsId").build());
        assertEveryFieldRefusesBlanks(() -> ImageRequest.builder().variant("debug").extraPackages(List.of("jq"))
                .build(), fields);
    }

    @Test
    void binariesRequest() {
        Map<String, Consumer<String>> fields = new LinkedHashMap<>();
        fields.put("mode", v -> BinariesRequest.builder().mode(v).image("quay.io/a/b:1").build());
        fields.put("image", v -> BinariesRequest.builder().mode("pull").image(v).build());
        fields.put("registryUser", v -> BinariesRequest.builder().mode("pull").image("quay.io/a/b:1").registryUser(v).build());
        fields.put("puller", v -> BinariesRequest.builder().mode("pull").image("quay.io/a/b:1").puller(v).build());
        fields.put("output", v -> BinariesRequest.builder().mode("pull").image("quay.io/a/b:1").output(v).build());
        fields.put("overlay", v -> BinariesRequest.builder().mode("pull").image("quay.io/a/b:1").overlay(v).build());
        fields.put("context", v -> BinariesRequest.builder().mode("build").context(v).build());
        fields.put("dockerfile", v -> BinariesRequest.builder().mode("build").context("ctx").dockerfile(v).build());
        fields.put("buildArg", v -> BinariesRequest.builder().mode("build").context("ctx").buildArg(v).build());
        fields.put("builder", v -> BinariesRequest.builder().mode("build").context("ctx").builder(v).build());
        fields.put("isolation", v -> BinariesRequest.builder().mode("build").context("ctx").isolation(v).build());
        assertEveryFieldRefusesBlanks(() -> BinariesRequest.builder().mode("pull").image("quay.io/a/b:1").build(), fields);
    }

    @Test
    void uploadRequest() {
        Map<String, Consumer<String>> fields = new LinkedHashMap<>();
        fields.put("image", v -> aws().image(v).build());
        fields.put("name", v -> aws().name(v).build());
        fields.put("imageVersion", v -> UploadRequest.builder().image("i").provider("aws").imageVersion(v).build());
        fields.put("imageVersionFile", v -> UploadRequest.builder().image("i").provider("aws").imageVersionFile(v).build());
        fields.put("configDir", v -> aws().configDir(v).build());
        fields.put("enableVariants", v -> aws().enableVariant(v).build());
        fields.put("disableVariants", v -> aws().disableVariant(v).build());
        fields.put("uplosi", v -> aws().uplosi(v).build());
        fields.put("tempDir", v -> aws().tempDir(v).build());
        assertEveryFieldRefusesBlanks(() -> aws().build(), fields);
    }

    private static UploadRequest.Builder aws() {
        return UploadRequest.builder().image("build/system.raw").provider("aws").name("podvm").imageVersion("1.2.3");
    }
}
