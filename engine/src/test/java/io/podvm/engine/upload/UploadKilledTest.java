package io.podvm.engine.upload;

import io.podvm.engine.testing.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of podvm in the middle of an upload: podvm cannot clean up, so uplosi must die with it (it was left
 * running as an orphan), and the next run must remove the GCP key that the dead run left in its private
 * directory (it stayed in podvm-secrets-* forever).
 */
class UploadKilledTest {
    @TempDir
    Path root;

    @Test
    void uplosiDiesWithAKilledPodvmAndTheNextRunRemovesTheKeyItLeft() throws Exception {
        UploadWorkspace workspace = UploadWorkspace.create(root, 1, "1.4.6");
        Path key = Files.writeString(root.resolve("key.json"), UploadFixtures.gcpJson());
        FakeUplosi sleeping = FakeUplosi.create(root.resolve("sleeping"), FakeUplosi.Form.UPLOAD_COMMAND).defaultMode("sleep");
        CliProcess cli = upload(workspace, key, sleeping);
        ProcessHandle uplosi = waitForUplosi(cli);
        assertThat(UploadFixtures.engineDirs(workspace.temp())).as("the key's private directory")
                .anyMatch(p -> p.getFileName().toString().startsWith("podvm-secrets-"));

        cli.process().destroyForcibly();
        // await() also removes the files that held the CLI's output.
        assertThat(cli.await(1).exitCode()).as("podvm killed with SIGKILL").isEqualTo(137);
        try {
            assertThat(uplosi.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get())
                    .as("uplosi ended with the podvm that started it").isNotNull();
        } finally {
            uplosi.destroyForcibly();
        }
        List<Path> left = UploadFixtures.engineDirs(workspace.temp());
        System.out.println("left by the killed run: " + left);
        assertThat(left).as("what a killed run cannot remove").isNotEmpty();

        FakeUplosi working = FakeUplosi.create(root.resolve("working"), FakeUplosi.Form.UPLOAD_COMMAND);
        CliProcess.Result next = upload(workspace, key, working).await(2);

        assertThat(next.exitCode()).as("the next upload; stderr:\n%s", next.stderr()).isZero();
        assertThat(UploadFixtures.engineDirs(workspace.temp())).as("left after the next run").isEmpty();
        assertThat(UploadFixtures.filesHoldingSecrets(workspace.temp())).isEmpty();
    }

    private static CliProcess upload(UploadWorkspace workspace, Path key, FakeUplosi fake) throws Exception {
        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().stream().filter(k -> k.startsWith("GOOGLE_")).forEach(k -> env.put(k, null));
        return CliProcess.start(workspace.dir(), List.of("-Djava.io.tmpdir=" + workspace.temp()), env, "upload",
                "system.raw", "--provider", "gcp", "--name", "podvm", "--image-version-file", "VERSION",
                "--set", "gcp.location=europe-west3", "--set", "gcp.bucket=podvm-images",
                "--gcp-credentials", key.toString(), "--uplosi", fake.path());
    }

    /** The fake uplosi once it is uploading (it has exec'd sleep). */
    private static ProcessHandle waitForUplosi(CliProcess cli) throws Exception {
        for (int i = 0; i < 300; i++) {
            Optional<ProcessHandle> sleeping = cli.process().toHandle().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")).findFirst();
            if (sleeping.isPresent()) {
                return sleeping.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("uplosi did not start; stderr:\n" + cli.stderrSoFar());
    }
}
