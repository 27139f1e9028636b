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

    @Test
    void theMachinesCredentialsReachTheUploadRunButNotTheProbes() throws Exception {
        UploadWorkspace workspace = UploadWorkspace.create(dir, 1, "1.0.0");
        FakeUplosi fake = FakeUplosi.create(dir.resolve("fake"), FakeUplosi.Form.UPLOAD_COMMAND);
        // The engine runs this wrapper, so the fake records every call, the --help and --version probes too.
        Path bin = dir.resolve("only-here");
        new io.podvm.engine.testing.FakeTools(bin).write("uplosi", "#!/bin/sh\nexport " + FakeUplosi.RECORD + "="
                + fake.record() + "\nexec " + fake.path() + " \"$@\"\n");
        Map<String, String> vars = Map.of("PATH", bin + ":/usr/bin:/bin", "AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET, "AWS_REGION", "us-east-1",
                "PODVM_SSH_KEY_PASSPHRASE", "podvm-own-secret");
        UploadRequest request = UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").set("aws.bucket=podvm-images").build();

        new Uploader(workspace.log().log(), workspace.dir(), HostEnvironment.of(vars)).upload(request);

        List<String> lines = fake.recordLines();
        assertThat(envAfter(lines, "argv [--help]")).contains("PATH").doesNotContain("AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "PODVM_SSH_KEY_PASSPHRASE");
        assertThat(envAfter(lines, "argv [--version]")).contains("PATH").doesNotContain("AWS_SECRET_ACCESS_KEY");
        assertThat(envAfter(lines, "argv [upload]")).contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_REGION").doesNotContain("PODVM_SSH_KEY_PASSPHRASE");
    }

    /** The variable names the fake recorded for the call whose argv line starts with {@code argv}. */
    private static List<String> envAfter(List<String> lines, String argv) {
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith(argv)) {
                return List.of(lines.get(i + 1).substring(4).trim().split(" "));
            }
        }
        throw new AssertionError("no call " + argv + " in " + lines);
    }
}
