package io.podvm.engine.upload;

import io.podvm.engine.process.HostEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload engine finds uplosi on the PATH of the environment it is given, not on the JVM's, and gives the
 * upload the base variables and those of its provider only.
 */
class UploaderOnGivenEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void uplosiFoundOnlyOnTheGivenPathIsTheOneThatRuns() throws Exception {
        UploadWorkspace workspace = UploadWorkspace.create(dir, 1, "1.0.0");
        Path bin = dir.resolve("only-here");
        FakeUplosi fake = FakeUplosi.create(bin, FakeUplosi.Form.UPLOAD_COMMAND);
        Map<String, String> vars = new HashMap<>(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", dir.toString(),
                "AWS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt", "AWS_SESSION_TOKEN", "host-token-not-paired",
                "AZURE_CLIENT_SECRET", "another-providers-secret", "PODVM_REGISTRY_PASSWORD", "podvm-own-secret",
                "GITHUB_TOKEN", "unrelated-secret"));
        UploadRequest request = fake.configure(UploadRequest.builder().image("system.raw").provider("aws")
                .name("podvm").imageVersion("1.0.0").set("aws.bucket=podvm-images").credentials(UploadFixtures.aws()),
                "success").uplosi("uplosi").build();

        UploadResult result = new Uploader(workspace.log().log(), workspace.dir(), HostEnvironment.of(vars))
                .upload(request);

        assertThat(result.refs()).containsExactly(FakeUplosi.REF);
        String uploadEnv = fake.recordLines().stream().filter(l -> l.startsWith("env ")).reduce((a, b) -> b)
                .orElseThrow();
        List<String> names = List.of(uploadEnv.substring(4).trim().split(" "));
        assertThat(names).contains("PATH", "HOME", "AWS_CA_BUNDLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "TMPDIR").doesNotContain("AWS_SESSION_TOKEN", "AZURE_CLIENT_SECRET", "PODVM_REGISTRY_PASSWORD",
                "GITHUB_TOKEN");
    }
}
