package io.podvm.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** podvmUplosiConfig hands out the starters from the library's resources/ through libraryResource. */
class PodvmUplosiConfigTest {

    private static final Path STARTERS = Pipeline.LIBRARY_ROOT.resolve("resources/io/podvm/uplosi");

    private final Pipeline pipeline = new Pipeline();
    private final Recorder recorder = pipeline.recorder;

    @ParameterizedTest
    @ValueSource(strings = {"aws", "azure", "gcp", "openstack"})
    void returnsTheProvidersStarterFromTheLibraryResources(String provider) {
        String text = (String) pipeline.call("podvmUplosiConfig", Map.of("provider", provider));

        assertThat(recorder.only("libraryResource").args()).isEqualTo("io/podvm/uplosi/" + provider + ".conf");
        assertThat(text).isEqualTo(Pipeline.read(STARTERS.resolve(provider + ".conf")))
                .contains("provider = \"" + provider + "\"", "[base." + provider + "]");
        assertThat(recorder.calls("writeFile")).isEmpty();
    }

    @Test
    void writesTheStarterWhereAsked() {
        String text = (String) pipeline.call("podvmUplosiConfig", Map.of("provider", "gcp", "file", "uplosi/uplosi.conf"));

        assertThat(pipeline.files).containsEntry("uplosi/uplosi.conf", text);
        assertThat(text).contains("project = ", "location = ", "bucket = ");
    }

    @Test
    void refusesAProviderItHasNoStarterFor() {
        assertThatThrownBy(() -> pipeline.call("podvmUplosiConfig", Map.of("provider", "ibmcloud")))
                .isInstanceOf(PipelineError.class)
                .hasMessage("podvmUplosiConfig: provider is 'ibmcloud'; allowed are aws, azure, gcp, openstack.");
        assertThat(recorder.calls("libraryResource")).isEmpty();
    }

    @Test
    void refusesAnUnknownKey() {
        assertThatThrownBy(() -> pipeline.call("podvmUplosiConfig", Map.of("provider", "aws", "dir", "uplosi")))
                .isInstanceOf(PipelineError.class)
                .hasMessage("podvmUplosiConfig does not know 'dir'; it takes provider, file.");
    }

    @Test
    void hasAStarterForEveryProviderAndNoOther() throws IOException {
        try (Stream<Path> files = Files.list(STARTERS)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("aws.conf", "azure.conf", "gcp.conf", "openstack.conf");
        }
        assertThat(List.of("aws", "azure", "gcp", "openstack")).allSatisfy(provider ->
                assertThat(Pipeline.read(STARTERS.resolve(provider + ".conf")))
                        .doesNotContain("password", "secret", "AKIA"));
    }
}
