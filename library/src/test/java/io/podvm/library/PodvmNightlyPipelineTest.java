package io.podvm.library;

import static io.podvm.library.Pipeline.WORKSPACE;
import static io.podvm.library.Pipeline.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.json.JsonSlurper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodvmNightlyPipelineTest {

    private static final Map<String, Object> AWS = Map.of("provider", "aws", "name", "podvm",
            "credentialsId", "aws-keys", "settings", Map.of("aws.region", "eu-central-1"));
    private static final Map<String, Object> AZURE = Map.of("provider", "azure", "name", "podvm",
            "credentialsId", "azure-sp", "azureSubscriptionId", "0000-1111");

    private final Pipeline pipeline = new Pipeline();
    private final Recorder recorder = pipeline.recorder;

    /** A typical nightly job: pulled binaries, the bundled Debian image, two clouds. */
    private Map<String, Object> nightly() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("binaries", Map.of("mode", "pull", "image", "quay.io/example/podvm-binaries:v1"));
        config.put("image", Map.of("distribution", "debian", "qcow2", true));
        config.put("providers", List.of(AWS, AZURE));
        return config;
    }

    private void run(Map<String, Object> config) {
        pipeline.call("podvmNightlyPipeline", config);
    }

    @Test
    void declaresAgentTimerAndBuildParameters() {
        run(nightly());

        assertThat(recorder.only("label").args()).isEqualTo("podvm");
        assertThat(recorder.only("cron").args()).isEqualTo("H 2 * * *");
        assertThat(recorder.only("choice").map())
                .containsEntry("name", "VARIANT").containsEntry("choices", List.of("production", "debug"));
        assertThat(recorder.only("credentials").map())
                .containsEntry("name", "SSH_KEY_CREDENTIALS")
                .containsEntry("credentialType", "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey")
                .containsEntry("required", false);
        assertThat(recorder.only("string").map()).containsEntry("name", "EXTRA_PACKAGES");
        assertThat(recorder.calls("booleanParam")).extracting(call -> call.map().get("name") + "=" + call.map().get("defaultValue"))
                .containsExactly("UPLOAD=true", "INCREMENT_VERSION=false");
        assertThat(recorder.calls("booleanParam").get(0).map().get("description").toString()).contains("aws, azure");
    }

    @Test
    void takesAgentCronAndDefaultsFromTheMap() {
        Map<String, Object> config = nightly();
        config.put("agent", "mkosi && kvm");
        config.put("cron", "");
        config.put("variant", "debug");
        config.put("upload", false);
        config.put("incrementVersion", true);
        run(config);

        assertThat(recorder.only("label").args()).isEqualTo("mkosi && kvm");
        assertThat(recorder.only("cron").args()).isEqualTo("");
        // A choice parameter's default is its first choice.
        assertThat(recorder.only("choice").map()).containsEntry("choices", List.of("debug", "production"));
        assertThat(recorder.calls("booleanParam")).extracting(call -> call.map().get("defaultValue"))
                .containsExactly(false, true);
        assertThat(map(recorder.only("podvmMkosi").args())).containsEntry("variant", "debug");
        assertThat(recorder.calls("podvmUpload")).isEmpty();
    }

    @Test
    void aTimerBuildMakesTheProductionImageAndUploadsItToEachProviderInParallel() {
        run(nightly());

        assertThat(recorder.stagesRun()).containsExactly("parameters", "binaries", "image", "compare", "measure", "boot", "upload");
        assertThat(recorder.only("podvmBinaries").map())
                .containsEntry("mode", "pull").containsEntry("image", "quay.io/example/podvm-binaries:v1");
        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("variant", "production")
                .containsEntry("distribution", "debian")
                .containsEntry("qcow2", true)
                .containsEntry("binariesTree", WORKSPACE + "/podvm-binaries")
                .doesNotContainKeys("sshKeyCredentialsId", "extraPackages");
        assertThat(recorder.only("parallel").args()).isEqualTo(List.of("aws", "azure"));
        List<Recorder.Call> uploads = recorder.calls("podvmUpload");
        assertThat(uploads).extracting(Recorder.Call::branch).containsExactly("aws", "azure");
        assertThat(uploads).extracting(Recorder.Call::stage).containsOnly("upload");
        assertThat(uploads.get(0).map()).containsEntry("image", WORKSPACE + "/build/system.raw")
                .containsEntry("credentialsId", "aws-keys")
                .containsEntry("settings", Map.of("aws.region", "eu-central-1"))
                .containsEntry("incrementVersion", false);
        assertThat(uploads.get(1).map()).containsEntry("credentialsId", "azure-sp")
                .containsEntry("azureSubscriptionId", "0000-1111");
        assertThat(pipeline.currentBuild).containsEntry("result", "SUCCESS");
        assertThat(recorder.echoes()).contains("Building the production image, then upload to aws, azure.");
    }

    @Test
    void archivesTheManifestAndResultsFingerprintsTheImageAndDescribesTheBuild() {
        run(nightly());

        assertThat(recorder.steps()).endsWith("writeFile", "archiveArtifacts", "fingerprint");
        assertThat(recorder.only("archiveArtifacts").map())
                .containsEntry("artifacts", "build/system.manifest,build/system.podvm.json,build/system.pcrs.json,podvm-results.json,podvm-state/*.json");
        assertThat(recorder.only("fingerprint").map()).containsEntry("targets", "build/system.raw");
        assertThat(pipeline.currentBuild.get("description")).isEqualTo(
                "production image sha256:" + StepAnswers.IMAGE_SHA256 + ", 312 packages\n"
                        + "no earlier successful build to compare with\n"
                        + "PCR 11 " + StepAnswers.PCR11 + "\n"
                        + "aws: aws-image-0.1.0\n"
                        + "azure: azure-image-0.1.0");
    }

    @Test
    void theResultsJsonHoldsTheParametersAndEachStagesResult() {
        run(nightly());

        assertThat(recorder.only("writeFile").map()).containsEntry("file", "podvm-results.json");
        Map<String, Object> json = map(new JsonSlurper().parseText(pipeline.files.get("podvm-results.json")));
        assertThat(json).containsOnlyKeys("parameters", "binaries", "image", "measure", "boot", "upload");
        assertThat(map(json.get("parameters"))).containsEntry("variant", "production").containsEntry("upload", true);
        assertThat(map(json.get("image"))).containsEntry("sha256", StepAnswers.IMAGE_SHA256)
                .containsEntry("packageCount", 312);
        assertThat(map(json.get("upload"))).containsOnlyKeys("aws", "azure");
        assertThat(map(map(json.get("upload")).get("azure"))).containsEntry("refs", List.of("azure-image-0.1.0"));
    }

    @Test
    void aDebugBuildWithAKeyPassesTheKeyToTheImage() {
        pipeline.params.putAll(Map.of("VARIANT", "debug", "SSH_KEY_CREDENTIALS", "podvm-debug-key",
                "EXTRA_PACKAGES", "", "UPLOAD", false, "INCREMENT_VERSION", false));
        run(nightly());

        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("variant", "debug").containsEntry("sshKeyCredentialsId", "podvm-debug-key");
        assertThat(recorder.stagesSkipped()).containsExactly("upload");
        assertThat(recorder.calls("podvmUpload")).isEmpty();
        assertThat(recorder.echoes()).contains("Building the debug image with the SSH key 'podvm-debug-key', no upload.");
        assertThat(pipeline.currentBuild.get("description"))
                .isEqualTo("debug image sha256:" + StepAnswers.IMAGE_SHA256 + ", 312 packages\nno earlier successful build to compare with\nPCR 11 " + StepAnswers.PCR11);
    }

    @Test
    void theImagesRootReachesTheImageOfEveryVariant() {
        Map<String, Object> config = nightly();
        config.put("image", Map.of("distribution", "debian", "root", "verity"));
        pipeline.params.putAll(Map.of("VARIANT", "debug", "SSH_KEY_CREDENTIALS", "", "UPLOAD", false));
        run(config);

        assertThat(recorder.only("podvmMkosi").map()).containsEntry("root", "verity").containsEntry("variant", "debug");
    }

    @Test
    void aDebugBuildWithoutAKeyIsBuiltAndTheLogSaysHowToLogIn() {
        pipeline.params.putAll(Map.of("VARIANT", "debug", "SSH_KEY_CREDENTIALS", "", "UPLOAD", false));
        run(nightly());

        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("variant", "debug").doesNotContainKey("sshKeyCredentialsId");
        assertThat(recorder.echoes()).anySatisfy(line -> assertThat(line)
                .startsWith("Building the debug image without an SSH key").contains("serial console"));
    }

    @Test
    void aProductionBuildWithAKeyIsRefusedBeforeAnythingIsBuilt() {
        pipeline.params.putAll(Map.of("VARIANT", "production", "SSH_KEY_CREDENTIALS", "podvm-debug-key"));

        assertThatThrownBy(() -> run(nightly()))
                .isInstanceOf(PipelineError.class)
                .hasMessage("SSH_KEY_CREDENTIALS is 'podvm-debug-key' but VARIANT is production: a production image"
                        + " never takes an SSH key. Choose VARIANT debug to build an image you can log in to,"
                        + " or clear SSH_KEY_CREDENTIALS.");
        assertThat(recorder.stagesRun()).containsExactly("parameters");
        assertThat(recorder.calls("podvmBinaries")).isEmpty();
        assertThat(recorder.calls("podvmMkosi")).isEmpty();
        // post { always } still runs: the build says why it has no image.
        assertThat(pipeline.currentBuild).containsEntry("result", "FAILURE")
                .containsEntry("description", "no image: see the log");
        assertThat(recorder.calls("fingerprint")).isEmpty();
    }

    @Test
    void refusesAVariantThatIsNotOffered() {
        pipeline.params.put("VARIANT", "experimental");

        assertThatThrownBy(() -> run(nightly()))
                .hasMessage("VARIANT is 'experimental'; allowed are production, debug.");
    }

    @Test
    void refusesAnUnknownProviderBeforeThePipelineStarts() {
        Map<String, Object> config = nightly();
        config.put("providers", List.of(AWS, Map.of("provider", "alibaba", "credentialsId", "x")));

        assertThatThrownBy(() -> run(config))
                .isInstanceOf(PipelineError.class)
                .hasMessage("podvmNightlyPipeline: providers[1].provider is 'alibaba'; allowed are aws, azure, gcp, openstack.");
        assertThat(recorder.calls("pipeline")).isEmpty();
    }

    @Test
    void extraPackagesComeFromTheMapAndTheParameter() {
        Map<String, Object> config = nightly();
        config.put("image", Map.of("extraPackages", List.of("jq")));
        pipeline.params.putAll(Map.of("VARIANT", "debug", "EXTRA_PACKAGES", " strace, tcpdump  gdb ", "UPLOAD", false));
        run(config);

        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("extraPackages", List.of("jq", "strace", "tcpdump", "gdb"));
        assertThat(recorder.echoes()).anySatisfy(line -> assertThat(line).contains("extra packages jq strace tcpdump gdb"));
    }

    @Test
    void incrementVersionBumpsEachVersionFileOnce() {
        Map<String, Object> config = nightly();
        Map<String, Object> awsUs = new LinkedHashMap<>(AWS);
        awsUs.put("settings", Map.of("aws.region", "us-east-1"));
        Map<String, Object> gcp = Map.of("provider", "gcp", "imageVersionFile", "gcp.version");
        config.put("providers", List.of(AWS, awsUs, gcp));
        pipeline.params.put("INCREMENT_VERSION", true);
        run(config);

        assertThat(recorder.only("parallel").args()).isEqualTo(List.of("aws #1", "aws #2", "gcp"));
        assertThat(recorder.calls("podvmUpload")).extracting(call -> call.map().get("incrementVersion"))
                .containsExactly(true, false, true);
        assertThat(recorder.echoes()).contains(
                "Building the production image, then upload to aws #1, aws #2, gcp and increment the version.");
    }

    @Test
    void oneProviderUploadsWithoutParallel() {
        Map<String, Object> config = nightly();
        config.put("providers", AWS);
        run(config);

        assertThat(recorder.calls("parallel")).isEmpty();
        assertThat(recorder.only("podvmUpload").stage()).isEqualTo("upload");
        assertThat(pipeline.currentBuild.get("description").toString()).endsWith("\naws: aws-image-0.1.0");
    }

    @Test
    void withoutBinariesTheImageUsesItsOwnTree() {
        Map<String, Object> config = nightly();
        config.remove("binaries");
        config.put("image", Map.of("dir", "podvm-mkosi", "binariesTree", "resources/binaries-tree"));
        run(config);

        assertThat(recorder.stagesSkipped()).containsExactly("binaries");
        assertThat(recorder.calls("podvmBinaries")).isEmpty();
        assertThat(recorder.only("podvmMkosi").map())
                .containsEntry("dir", "podvm-mkosi").containsEntry("binariesTree", "resources/binaries-tree");
    }

    @Test
    void withoutProvidersThereIsNoUpload() {
        Map<String, Object> config = nightly();
        config.remove("providers");
        run(config);

        assertThat(recorder.calls("booleanParam").get(0).map()).containsEntry("defaultValue", false);
        assertThat(recorder.stagesSkipped()).containsExactly("upload");
    }

    @Test
    void uploadTickedWithoutProvidersIsRefused() {
        Map<String, Object> config = nightly();
        config.remove("providers");
        pipeline.params.put("UPLOAD", true);

        assertThatThrownBy(() -> run(config)).hasMessage(
                "UPLOAD is ticked but this pipeline has no providers to upload to; untick UPLOAD or add providers: to the Jenkinsfile.");
    }

    @Test
    void aFailedUploadStillLeavesTheManifestFingerprintAndDigest() {
        recorder.whenCalled("podvmUpload", args -> {
            throw new PipelineError("uplosi failed (exit 1)");
        });

        assertThatThrownBy(() -> run(nightly())).hasMessage("uplosi failed (exit 1)");
        assertThat(recorder.only("archiveArtifacts").map())
                .containsEntry("artifacts", "build/system.manifest,build/system.podvm.json,build/system.pcrs.json,podvm-results.json,podvm-state/*.json");
        assertThat(recorder.only("fingerprint").map()).containsEntry("targets", "build/system.raw");
        assertThat(pipeline.currentBuild).containsEntry("result", "FAILURE")
                .containsEntry("description", "production image sha256:" + StepAnswers.IMAGE_SHA256 + ", 312 packages"
                        + "\nno earlier successful build to compare with\nPCR 11 " + StepAnswers.PCR11);
    }

    @Test
    void archivesTheImageAndQcow2WhenAsked() {
        Map<String, Object> config = nightly();
        config.put("archive", Map.of("image", true, "qcow2", true, "results", false, "pcrs", false));
        run(config);

        assertThat(recorder.only("archiveArtifacts").map())
                .containsEntry("artifacts", "build/system.manifest,build/system.podvm.json,build/system.raw,build/system.qcow2,podvm-state/*.json");
    }

    @Test
    void saysWhatItCannotArchiveOutsideTheWorkspace() {
        recorder.whenCalled("podvmMkosi", args -> {
            Map<String, Object> result = StepAnswers.image(map(args));
            result.put("image", "/var/tmp/podvm/system.raw");
            result.put("manifest", "/var/tmp/podvm/system.manifest");
            result.put("qcow2", null);
            return result;
        });
        run(nightly());

        assertThat(recorder.only("archiveArtifacts").map()).containsEntry("artifacts", "podvm-results.json,podvm-state/*.json");
        assertThat(recorder.calls("fingerprint")).isEmpty();
        assertThat(recorder.echoes()).anySatisfy(line -> assertThat(line)
                .contains("outside the workspace " + WORKSPACE)
                .contains("/var/tmp/podvm/system.raw, /var/tmp/podvm/system.manifest")
                .contains("image.outputDir"));
    }

    @Test
    void refusesUnknownSettingsNamingTheKnownOnes() {
        Map<String, Object> config = nightly();
        config.put("label", "podvm");

        assertThatThrownBy(() -> run(config)).hasMessage("podvmNightlyPipeline does not know 'label'; it takes"
                + " agent, cron, binaries, image, providers, archive, variant, upload, incrementVersion, boot, measure.");
    }

    @Test
    void refusesSettingsThatTheBuildParametersOwn() {
        Map<String, Object> withVariant = nightly();
        withVariant.put("image", Map.of("variant", "debug"));
        assertThatThrownBy(() -> run(withVariant))
                .hasMessageStartingWith("podvmNightlyPipeline: image.variant is set by the build parameter VARIANT;");

        Map<String, Object> withIncrement = nightly();
        withIncrement.put("providers", List.of(AWS, Map.of("provider", "gcp", "incrementVersion", true)));
        assertThatThrownBy(() -> run(withIncrement)).hasMessageStartingWith(
                "podvmNightlyPipeline: providers[1].incrementVersion is set by the build parameter INCREMENT_VERSION;");
    }

    @Test
    void refusesBadArchiveVariantAndPackageSettings() {
        Map<String, Object> archive = nightly();
        archive.put("archive", Map.of("log", true));
        assertThatThrownBy(() -> run(archive)).hasMessage(
                "podvmNightlyPipeline: archive does not know 'log'; it takes manifest, results, pcrs, image, qcow2.");

        Map<String, Object> variant = nightly();
        variant.put("variant", "prod");
        assertThatThrownBy(() -> run(variant))
                .hasMessage("podvmNightlyPipeline: variant is 'prod'; allowed are production, debug.");

        Map<String, Object> packages = nightly();
        packages.put("image", Map.of("extraPackages", "strace"));
        assertThatThrownBy(() -> run(packages)).hasMessage(
                "podvmNightlyPipeline: image.extraPackages must be a list such as ['strace'], not 'strace'.");
    }

    @Test
    void measuresAndBootsEveryImageBeforeTheUploadAndAFailedBootStopsIt() {
        recorder.whenCalled("podvmBoot", args -> {
            throw new PipelineError("The image did not boot: units failed: kata-agent.service");
        });

        assertThatThrownBy(() -> run(nightly())).hasMessageContaining("did not boot");
        assertThat(recorder.stagesRun()).containsExactly("parameters", "binaries", "image", "compare", "measure", "boot");
        assertThat(recorder.only("podvmMeasure").map()).containsOnly(
                Map.entry("image", WORKSPACE + "/build/system.raw"),
                Map.entry("output", WORKSPACE + "/build/system.pcrs.json"));
        assertThat(recorder.only("podvmBoot").map()).containsOnly(Map.entry("image", WORKSPACE + "/build/system.raw"));
        assertThat(recorder.calls("podvmUpload")).isEmpty();
        assertThat(pipeline.currentBuild).containsEntry("result", "FAILURE");
    }

    @Test
    void bootAndMeasureCanBeTurnedOffOrGivenParameters() {
        Map<String, Object> config = nightly();
        config.put("boot", Map.of("timeout", 1800, "memory", 4096));
        config.put("measure", false);
        run(config);

        assertThat(recorder.stagesSkipped()).contains("measure").doesNotContain("boot");
        assertThat(recorder.only("podvmBoot").map()).containsEntry("timeout", 1800).containsEntry("memory", 4096);
        assertThat(recorder.calls("podvmMeasure")).isEmpty();

        Map<String, Object> wrong = nightly();
        wrong.put("boot", "always");
        assertThatThrownBy(() -> run(wrong)).hasMessage(
                "podvmNightlyPipeline: boot must be true, false or a map of podvmBoot parameters, not 'always'.");
    }

    // ---- issue 13: unchanged images are not uploaded again, and what changed since the last successful build ----

    /** The artifacts a successful earlier build of this job left: its manifest, content file and upload states. */
    private void lastSuccessfulBuildLeft(String manifest) {
        pipeline.lastSuccessfulArtifacts.put("build/system.manifest", manifest);
        pipeline.lastSuccessfulArtifacts.put("build/system.podvm.json", "{\"contentKey\":\"sha256:c0ffee\"}");
        pipeline.lastSuccessfulArtifacts.put("podvm-state/aws.json", "{\"aws\":{\"contentKey\":\"sha256:c0ffee\",\"refs\":[\"aws-image-0.1.0\"]}}");
        pipeline.lastSuccessfulArtifacts.put("podvm-state/azure.json", "{\"azure\":{\"contentKey\":\"sha256:c0ffee\",\"refs\":[\"azure-image-0.1.0\"]}}");
        pipeline.lastSuccessfulArtifacts.put("podvm-results.json", "{}");
    }

    @Test
    void aFirstBuildHasNothingToCompareUploadsAndArchivesTheUploadStates() {
        run(nightly());

        assertThat(recorder.calls("copyArtifacts")).extracting(call -> call.map().get("filter"))
                .containsExactly("build/system.manifest,build/system.podvm.json", "podvm-state/*.json");
        assertThat(recorder.calls("copyArtifacts").get(0).map()).containsEntry("projectName", "/images/podvm-nightly")
                .containsEntry("selector", Map.of("selector", "lastSuccessful", "stable", false))
                .containsEntry("optional", true).containsEntry("flatten", true).containsEntry("target", "podvm-last");
        assertThat(recorder.calls("podvmDiff")).isEmpty();
        assertThat(recorder.echoes()).contains("No earlier successful build with an archived manifest: nothing to compare with.");
        List<Recorder.Call> uploads = recorder.calls("podvmUpload");
        assertThat(uploads).extracting(call -> call.map().get("skipIfUnchanged"))
                .containsExactly("podvm-state/aws.json", "podvm-state/azure.json");
        assertThat(pipeline.files).containsKeys("podvm-state/aws.json", "podvm-state/azure.json");
        assertThat(recorder.only("archiveArtifacts").map().get("artifacts").toString())
                .contains("podvm-state/*.json").doesNotContain("podvm-diff.json");
        assertThat(pipeline.currentBuild.get("description").toString())
                .contains("\nno earlier successful build to compare with\n")
                .contains("\naws: aws-image-0.1.0\n").doesNotContain("not uploaded again");
    }

    @Test
    void anUnchangedSecondBuildUploadsNothingAndSaysSo() {
        lastSuccessfulBuildLeft("{\"packages\":[]}");
        pipeline.files.put("podvm-last/stale.manifest", "from a build that failed");

        run(nightly());

        assertThat(pipeline.files).doesNotContainKey("podvm-last/stale.manifest")
                .containsEntry("podvm-last/system.manifest", "{\"packages\":[]}");
        assertThat(recorder.only("podvmDiff").map()).containsEntry("oldManifest", "podvm-last/system.manifest")
                .containsEntry("newManifest", "build/system.manifest");
        List<Recorder.Call> uploads = recorder.calls("podvmUpload");
        assertThat(uploads).extracting(call -> call.map().get("skipIfUnchanged"))
                .containsExactly("podvm-state/aws.json", "podvm-state/azure.json");
        assertThat(pipeline.files.get("podvm-state/aws.json")).as("restored, not rewritten")
                .isEqualTo(pipeline.lastSuccessfulArtifacts.get("podvm-state/aws.json"));
        assertThat(pipeline.currentBuild.get("description")).isEqualTo(
                "production image sha256:" + StepAnswers.IMAGE_SHA256 + ", 312 packages\n"
                        + "0 packages changed\n"
                        + "PCR 11 " + StepAnswers.PCR11 + "\n"
                        + "aws: aws-image-0.1.0 (unchanged, not uploaded again)\n"
                        + "azure: azure-image-0.1.0 (unchanged, not uploaded again)");
        assertThat(recorder.only("archiveArtifacts").map().get("artifacts").toString())
                .endsWith(",podvm-state/*.json,podvm-diff.json");
    }

    @Test
    void aChangedImagePutsTheChangesInTheDescriptionAndArchivesTheFullDiff() {
        lastSuccessfulBuildLeft("{\"packages\":[{\"name\":\"jq\"}]}");
        Map<String, Object> diff = StepAnswers.diff(List.of("tree 2.1", "strace 6.1-0.1"), List.of("less 590-2"),
                List.of(List.of("jq", "1.6-2.1+deb12u2", "1.6-2.1+deb12u3"), List.of("libc6", "2.36-9", "2.36-10"),
                        List.of("openssl", "3.0.14-1", "3.0.15-1")));
        recorder.whenCalled("podvmDiff", args -> diff);

        run(nightly());

        assertThat(pipeline.currentBuild.get("description").toString()).contains("\n6 packages changed: +tree 2.1,"
                + " +strace 6.1-0.1, -less 590-2, ~jq 1.6-2.1+deb12u2 -> 1.6-2.1+deb12u3, ~libc6 2.36-9 -> 2.36-10, ...\n");
        Map<String, Object> archived = map(new JsonSlurper().parseText(pipeline.files.get("podvm-diff.json")));
        assertThat(archived).containsEntry("packageChanges", 6);
        assertThat(map(archived.get("packages")).get("changed").toString()).contains("openssl");
        assertThat(recorder.only("archiveArtifacts").map().get("artifacts").toString()).contains("podvm-diff.json");
        assertThat(map(new JsonSlurper().parseText(pipeline.files.get("podvm-results.json"))))
                .containsKey("diff");
        assertThat(recorder.echoes()).anySatisfy(line -> assertThat(line).startsWith("6 packages changed: "));
    }
}
