package io.podvm.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.podvm.library.Pipeline.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodvmImageTest {

    private final Pipeline pipeline = new Pipeline();
    private final Recorder recorder = pipeline.recorder;

    @Test
    void runsEachPartInAStageNamedAfterItAndPassesResultsAlong() {
        Map<String, Object> results = map(pipeline.call("podvmImage", Map.of(
                "binaries", Map.of("mode", "pull", "image", "quay.io/example/podvm-binaries:v1"),
                "image", Map.of("distribution", "debian", "qcow2", true),
                "upload", Map.of("provider", "aws", "settings", Map.of("aws.region", "eu-central-1")))));

        assertThat(recorder.steps()).containsExactly(
                "stage:binaries", "podvmBinaries", "stage:image", "podvmMkosi", "stage:upload", "podvmUpload");
        assertThat(recorder.only("podvmBinaries").stage()).isEqualTo("binaries");
        assertThat(recorder.only("podvmMkosi").stage()).isEqualTo("image");
        assertThat(recorder.only("podvmUpload").stage()).isEqualTo("upload");
        // The binaries tree goes into the image, the image into the upload.
        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("binariesTree", Pipeline.WORKSPACE + "/podvm-binaries")
                .containsEntry("distribution", "debian");
        assertThat(recorder.only("podvmUpload").map())
                .containsEntry("image", Pipeline.WORKSPACE + "/build/system.raw")
                .containsEntry("provider", "aws")
                .containsEntry("settings", Map.of("aws.region", "eu-central-1"));

        assertThat(results.keySet()).containsExactly("binaries", "image", "upload");
        assertThat(map(results.get("image"))).containsEntry("sha256", StepAnswers.IMAGE_SHA256);
        assertThat(map(results.get("upload"))).containsOnlyKeys("aws");
        assertThat(map(map(results.get("upload")).get("aws")))
                .containsEntry("refs", List.of("aws-image-0.1.0"));
    }

    @Test
    void runsOnlyThePartsGiven() {
        Map<String, Object> results = map(pipeline.call("podvmImage", Map.of("image", Map.of("variant", "debug"))));

        assertThat(recorder.steps()).containsExactly("stage:image", "podvmMkosi");
        assertThat(recorder.only("podvmMkosi").map()).containsOnly(Map.entry("variant", "debug"));
        assertThat(results.keySet()).containsExactly("image");
    }

    @Test
    void passesTheRootOfTheImageThrough() {
        pipeline.call("podvmImage", Map.of("image", Map.of("variant", "debug", "root", "verity")));

        assertThat(recorder.only("podvmMkosi").map()).containsEntry("root", "verity").containsEntry("variant", "debug");
    }

    @Test
    void keepsABinariesTreeThatTheImageNames() {
        pipeline.call("podvmImage", Map.of(
                "binaries", Map.of("mode", "pull", "image", "quay.io/example/podvm-binaries:v1"),
                "image", Map.of("binariesTree", "my-tree")));

        assertThat(recorder.only("podvmMkosi").map()).containsEntry("binariesTree", "my-tree");
    }

    @Test
    void uploadsToSeveralProvidersInParallel() {
        Map<String, Object> results = map(pipeline.call("podvmImage", Map.of(
                "image", Map.of(),
                "upload", List.of(
                        Map.of("provider", "aws", "credentialsId", "aws-keys"),
                        Map.of("provider", "azure", "credentialsId", "azure-sp"),
                        Map.of("provider", "gcp", "credentialsId", "gcp-sa")))));

        assertThat(recorder.steps()).containsExactly(
                "stage:image", "podvmMkosi", "stage:upload", "parallel", "podvmUpload", "podvmUpload", "podvmUpload");
        assertThat(recorder.only("parallel").args()).isEqualTo(List.of("aws", "azure", "gcp"));
        List<Recorder.Call> uploads = recorder.calls("podvmUpload");
        assertThat(uploads).extracting(Recorder.Call::branch).containsExactly("aws", "azure", "gcp");
        assertThat(uploads).extracting(Recorder.Call::stage).containsOnly("upload");
        assertThat(uploads).extracting(call -> call.map().get("credentialsId"))
                .containsExactly("aws-keys", "azure-sp", "gcp-sa");
        assertThat(uploads).extracting(call -> call.map().get("image"))
                .containsOnly(Pipeline.WORKSPACE + "/build/system.raw");
        assertThat(map(results.get("upload")).keySet()).containsExactly("aws", "azure", "gcp");
    }

    @Test
    void numbersTheBranchesOfAProviderNamedTwice() {
        Map<String, Object> results = map(pipeline.call("podvmImage", Map.of(
                "image", Map.of(),
                "upload", List.of(
                        Map.of("provider", "aws", "settings", Map.of("aws.region", "eu-central-1")),
                        Map.of("provider", "aws", "settings", Map.of("aws.region", "us-east-1")),
                        Map.of("provider", "gcp")))));

        assertThat(recorder.only("parallel").args()).isEqualTo(List.of("aws #1", "aws #2", "gcp"));
        assertThat(map(results.get("upload")).keySet()).containsExactly("aws #1", "aws #2", "gcp");
    }

    @Test
    void uploadsAnImageBuiltElsewhere() {
        pipeline.call("podvmImage", Map.of("upload", Map.of("provider", "gcp", "image", "out/system.raw")));

        assertThat(recorder.steps()).containsExactly("stage:upload", "podvmUpload");
        assertThat(recorder.only("podvmUpload").map()).containsEntry("image", "out/system.raw");
    }

    @Test
    void doesNotChangeTheMapsItIsGiven() {
        Map<String, Object> upload = new java.util.LinkedHashMap<>(Map.of("provider", "aws"));
        Map<String, Object> image = new java.util.LinkedHashMap<>();
        pipeline.call("podvmImage", Map.of(
                "binaries", Map.of("mode", "pull", "image", "x"), "image", image, "upload", upload));

        assertThat(upload).containsOnlyKeys("provider");
        assertThat(image).isEmpty();
    }

    @Test
    void refusesAnUnknownProviderBeforeAnythingRuns() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of(
                "image", Map.of(),
                "upload", List.of(Map.of("provider", "aws"), Map.of("provider", "digitalocean")))))
                .isInstanceOf(PipelineError.class)
                .hasMessage("podvmImage: upload[1].provider is 'digitalocean'; allowed are aws, azure, gcp, openstack.");
        assertThat(recorder.steps()).containsExactly("error");
    }

    @Test
    void refusesAnUploadWithoutProvider() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", Map.of(), "upload", Map.of("name", "x"))))
                .hasMessage("podvmImage: upload.provider is missing; allowed are aws, azure, gcp, openstack.");
    }

    @Test
    void refusesAnUploadWithNoImage() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("upload", Map.of("provider", "aws"))))
                .hasMessageContaining("podvmImage: upload has no image to upload")
                .hasMessageContaining("image: [...]");
    }

    @Test
    void refusesTwoParallelUploadsThatBumpTheSameVersionFile() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", Map.of(), "upload", List.of(
                Map.of("provider", "aws", "incrementVersion", true, "imageVersionFile", "version.txt"),
                Map.of("provider", "azure", "incrementVersion", true, "imageVersionFile", "version.txt")))))
                .hasMessage("podvmImage: upload: the uploads to aws and azure both increment version.txt; they run"
                        + " in parallel, so it would be bumped twice. Set incrementVersion: true on one of them only.");
    }

    @Test
    void allowsEachUploadToBumpItsOwnVersionFile() {
        pipeline.call("podvmImage", Map.of("image", Map.of(), "upload", List.of(
                Map.of("provider", "aws", "incrementVersion", true, "imageVersionFile", "aws.version"),
                Map.of("provider", "azure", "incrementVersion", true, "imageVersionFile", "azure.version"))));

        assertThat(recorder.calls("podvmUpload")).hasSize(2);
    }

    @Test
    void refusesUnknownArgumentsNamingTheKnownOnes() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("mkosi", Map.of())))
                .hasMessage("podvmImage does not know 'mkosi'; it takes binaries, image, measure, boot, upload.");
    }

    @Test
    void refusesACallWithNothingToDo() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of()))
                .hasMessage("podvmImage has nothing to do: give at least one of binaries, image, measure, boot, upload.");
    }

    @Test
    void refusesAnImageThatIsNoMap() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", "build/system.raw")))
                .hasMessage("podvmImage: image must be a map of podvmMkosi parameters, not 'build/system.raw'.");
    }

    @Test
    void aFailedStepStopsTheStagesAfterIt() {
        recorder.whenCalled("podvmMkosi", args -> {
            throw new PipelineError("mkosi failed");
        });

        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", Map.of(), "upload", Map.of("provider", "aws"))))
                .hasMessage("mkosi failed");
        assertThat(recorder.stagesRun()).containsExactly("image");
        assertThat(recorder.calls("podvmUpload")).isEmpty();
    }

    @Test
    void measuresAndBootsTheBuiltImageBetweenImageAndUpload() {
        pipeline.currentBuild.put("description", "nightly");
        Map<String, Object> results = map(pipeline.call("podvmImage", Map.of(
                "image", Map.of(), "measure", true, "boot", Map.of("timeout", 600),
                "upload", Map.of("provider", "aws"))));

        assertThat(recorder.steps()).containsExactly("stage:image", "podvmMkosi", "stage:measure", "podvmMeasure",
                "archiveArtifacts", "stage:boot", "podvmBoot", "stage:upload", "podvmUpload");
        assertThat(recorder.only("podvmMeasure").map()).containsOnly(
                Map.entry("image", Pipeline.WORKSPACE + "/build/system.raw"),
                Map.entry("output", Pipeline.WORKSPACE + "/build/system.pcrs.json"));
        assertThat(recorder.only("archiveArtifacts").map()).containsOnly(Map.entry("artifacts", "build/system.pcrs.json"));
        assertThat(recorder.only("podvmBoot").map()).containsOnly(
                Map.entry("image", Pipeline.WORKSPACE + "/build/system.raw"), Map.entry("timeout", 600));
        assertThat(pipeline.currentBuild.get("description")).isEqualTo("nightly\nPCR 11 " + StepAnswers.PCR11);
        assertThat(results.keySet()).containsExactly("image", "measure", "boot", "upload");
    }

    @Test
    void anImageThatDoesNotBootIsNotUploaded() {
        recorder.whenCalled("podvmBoot", args -> {
            throw new PipelineError("The image did not boot: no login prompt within 900 s");
        });

        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", Map.of(), "boot", true,
                "upload", Map.of("provider", "aws"))))
                .hasMessageContaining("did not boot");
        assertThat(recorder.stagesRun()).containsExactly("image", "boot");
        assertThat(recorder.calls("podvmUpload")).isEmpty();
    }

    @Test
    void bootsAnImageBuiltElsewhereAndSkipsAFalseMeasure() {
        pipeline.call("podvmImage", Map.of("boot", Map.of("image", "out/system.raw"), "measure", false));

        assertThat(recorder.steps()).containsExactly("stage:boot", "podvmBoot");
        assertThat(recorder.only("podvmBoot").map()).containsOnly(Map.entry("image", "out/system.raw"));
    }

    @Test
    void refusesABootWithNoImageAndAMeasureThatIsNoMap() {
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("boot", true)))
                .hasMessage("podvmImage: boot has no image to work on: give image: [...] to build one first, or"
                        + " boot: [image: '<path>'].");
        assertThatThrownBy(() -> pipeline.call("podvmImage", Map.of("image", Map.of(), "measure", "yes")))
                .hasMessage("podvmImage: measure must be true, false or a map of podvmMeasure parameters, not 'yes'.");
    }
}
