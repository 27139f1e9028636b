package io.podvm.library;

import static io.podvm.library.Pipeline.WORKSPACE;
import static io.podvm.library.Pipeline.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Jenkinsfiles in examples/ run against the library and do what their comments say. */
class ExamplesTest {

    private static final Path EXAMPLES = Pipeline.LIBRARY_ROOT.resolve("examples");

    private final Pipeline pipeline = new Pipeline();
    private final Recorder recorder = pipeline.recorder;

    @Test
    void nightlyBuildsOnTheTimerAndUploadsToAwsAndAzure() {
        pipeline.runJenkinsfile(EXAMPLES.resolve("Jenkinsfile.nightly"));

        assertThat(recorder.only("cron").args()).isEqualTo("H 2 * * *");
        assertThat(recorder.stagesRun()).containsExactly("parameters", "binaries", "image", "compare", "measure", "boot", "upload");
        assertThat(recorder.only("podvmMkosi").map()).containsEntry("variant", "production")
                .containsEntry("binariesTree", WORKSPACE + "/podvm-binaries");
        assertThat(recorder.only("parallel").args()).isEqualTo(List.of("aws", "azure"));
        assertThat(recorder.calls("podvmUpload")).extracting(call -> call.map().get("imageVersion").toString())
                .containsOnly("0.1.42");
        assertThat(pipeline.currentBuild.get("description").toString()).contains("aws: ", "azure: ");
    }

    @Test
    void nightlyStartedByHandBuildsADebugImage() {
        pipeline.params.putAll(Map.of("VARIANT", "debug", "SSH_KEY_CREDENTIALS", "my-key", "UPLOAD", false));
        pipeline.runJenkinsfile(EXAMPLES.resolve("Jenkinsfile.nightly"));

        assertThat(recorder.only("podvmMkosi").map()).containsEntry("variant", "debug")
                .containsEntry("sshKeyCredentialsId", "my-key");
        assertThat(recorder.calls("podvmUpload")).isEmpty();
    }

    @Test
    void debugHasNoTimerAndNoUploadAndArchivesTheQcow2() {
        pipeline.params.put("SSH_KEY_CREDENTIALS", "my-key");
        pipeline.runJenkinsfile(EXAMPLES.resolve("Jenkinsfile.debug"));

        assertThat(recorder.only("cron").args()).isEqualTo("");
        assertThat(recorder.only("choice").map()).containsEntry("choices", List.of("debug", "production"));
        assertThat(recorder.only("podvmMkosi").map()).containsEntry("variant", "debug")
                .containsEntry("sshKeyCredentialsId", "my-key")
                .containsEntry("dir", "podvm-mkosi")
                .containsEntry("extraPackages", List.of("strace", "tcpdump"));
        assertThat(recorder.stagesSkipped()).containsExactly("binaries", "upload");
        assertThat(recorder.only("archiveArtifacts").map())
                .containsEntry("artifacts", "build/system.manifest,build/system.podvm.json,build/system.qcow2,build/system.pcrs.json,podvm-results.json");
    }

    @Test
    void debugUploadsToOpenStackWhenTicked() {
        pipeline.params.putAll(Map.of("VARIANT", "debug", "UPLOAD", true));
        pipeline.runJenkinsfile(EXAMPLES.resolve("Jenkinsfile.debug"));

        assertThat(recorder.only("podvmUpload").map()).containsEntry("provider", "openstack")
                .containsEntry("credentialsId", "podvm-openstack");
    }

    @Test
    void imageUsesPodvmImageInAPipelineOfItsOwn() {
        pipeline.runJenkinsfile(EXAMPLES.resolve("Jenkinsfile.image"));

        assertThat(recorder.steps()).containsExactly("node", "checkout", "stage:binaries", "podvmBinaries",
                "stage:image", "podvmMkosi", "stage:upload", "parallel", "podvmUpload", "podvmUpload", "echo");
        assertThat(recorder.only("podvmBinaries").map()).containsEntry("mode", "build");
        assertThat(recorder.echoes()).containsExactly(
                "Image sha256:" + StepAnswers.IMAGE_SHA256 + ", on AWS as aws-image-0.1.0");
        // A GString here; Jenkins makes it the String that RunWrapper.setDescription takes.
        assertThat(pipeline.currentBuild.get("description")).hasToString("podvm " + StepAnswers.IMAGE_SHA256.substring(0, 12));
        assertThat(map(recorder.calls("podvmUpload").get(1).args())).containsEntry("provider", "gcp");
    }
}
