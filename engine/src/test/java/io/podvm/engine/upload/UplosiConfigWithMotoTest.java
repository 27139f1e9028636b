package io.podvm.engine.upload;

import io.podvm.engine.upload.MotoServer.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 against moto's AWS emulator with the real uplosi 0.4.0: a directory whose drop-in says
 * {@code publish = true} after uplosi.conf's {@code publish = false} gives a private image, uploaded by
 * uplosi alone in that directory and by podvm alike (ModifyImageAttribute, uplosi's publishing call, is
 * never made), and {@code --set aws.bucket} replaces the variant's bucket, which the log says.
 */
class UplosiConfigWithMotoTest {
    @TempDir
    Path dir;

    @Test
    void aDropInsPublishIsIgnoredAsByUplosiAndSetReplacesTheVariantsBucket() throws Exception {
        UploadWorkspace workspace = UploadWorkspace.create(dir, 4, "0.1.0");
        Path conf = Files.createDirectories(workspace.dir().resolve("conf/uplosi.conf.d"));
        Files.writeString(conf.resolveSibling("uplosi.conf"), """
                [base]
                provider = "aws"
                name = "podvm"
                imageVersionFile = "../VERSION"
                [base.aws]
                region = "us-east-1"
                bucket = "base-bucket"
                publish = false
                [base.openstack]
                minDiskGB = 32
                [variant.nightly.aws]
                bucket = "variant-bucket"
                """);
        Files.writeString(conf.resolve("50-public.conf"), """
                [base.aws]
                publish = true
                [base.openstack]
                minDiskGB = 0
                """);
        try (MotoServer moto = MotoServer.withVmImportRecorded(dir)) {
            runUplosiAlone(moto, conf.getParent());
            List<Request> byUplosi = moto.recorded();
            assertThat(actions(byUplosi)).as("uplosi alone").contains("RegisterImage")
                    .doesNotContain("ModifyImageAttribute");
            assertThat(byUplosi).as("uplosi alone uses the variant's bucket")
                    .anyMatch(r -> mentions(r, "variant-bucket"));

            UploadResult result = workspace.upload(UploadRequest.builder().image("system.raw").provider("aws")
                    .configDir("conf").set("aws.bucket=cli-bucket").credentials(UploadFixtures.aws())
                    .environment("AWS_ENDPOINT_URL", moto.endpoint()).uplosi(UploadFixtures.realUplosi())
                    .tempDir(workspace.temp().toString()));

            List<Request> byPodvm = moto.recorded().subList(byUplosi.size(), moto.recorded().size());
            assertThat(actions(byPodvm)).as("podvm").contains("RegisterImage").doesNotContain("ModifyImageAttribute");
            assertThat(byPodvm).as("podvm uploads to the bucket of --set").anyMatch(r -> mentions(r, "cli-bucket"))
                    .noneMatch(r -> mentions(r, "variant-bucket") || mentions(r, "base-bucket"));
            assertThat(result.refs()).singleElement().asString()
                    .matches("arn:aws:ec2:us-east-1:123456789012:image/ami-[0-9a-f]+");

            // The control: an explicit --set aws.publish=true beats the files' false, and the recording sees
            // the publishing call when it is made.
            int before = moto.recorded().size();
            workspace.upload(UploadRequest.builder().image("system.raw").provider("aws").configDir("conf")
                    .set("aws.bucket=cli-bucket").set("aws.publish=true").credentials(UploadFixtures.aws())
                    .environment("AWS_ENDPOINT_URL", moto.endpoint()).uplosi(UploadFixtures.realUplosi())
                    .tempDir(workspace.temp().toString()));
            assertThat(actions(moto.recorded().subList(before, moto.recorded().size())))
                    .contains("ModifyImageAttribute");
        }
        assertThat(workspace.log().text()).contains(
                "uplosi.conf.d/50-public.conf [base]: aws.publish = true is ignored: uplosi keeps the first value it"
                        + " reads for a boolean, aws.publish = false from uplosi.conf [base].",
                "uplosi.conf.d/50-public.conf [base]: openstack.minDiskGB = 0 is ignored",
                "--set aws.bucket=cli-bucket replaces aws.bucket = \"variant-bucket\" from uplosi.conf"
                        + " [variant.nightly] in variant nightly.",
                "--set aws.publish=true replaces aws.publish = false from uplosi.conf [base] in variant nightly.");
        workspace.assertNoSecretsLeft();
    }

    /** `uplosi upload` run in the configuration directory, as a user who tries it first would. */
    private static void runUplosiAlone(MotoServer moto, Path conf) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(UploadFixtures.realUplosi(), "upload",
                conf.resolveSibling("system.raw").toString()).directory(conf.toFile()).redirectErrorStream(true)
                .redirectOutput(conf.resolveSibling("uplosi-alone.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(new LinkedHashMap<>(Map.of("AWS_ACCESS_KEY_ID", UploadFixtures.AWS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", UploadFixtures.AWS_SECRET, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", moto.endpoint())));
        Process uplosi = builder.start();
        assertThat(uplosi.waitFor(3, TimeUnit.MINUTES)).as("uplosi alone finishes").isTrue();
        assertThat(uplosi.exitValue()).as(Files.readString(conf.resolveSibling("uplosi-alone.log"))).isZero();
        // uplosi bumps nothing without -i; the version podvm reads next is still 0.1.0.
        assertThat(Files.readString(conf.resolveSibling("VERSION"))).isEqualTo("0.1.0\n");
    }

    private static List<String> actions(List<Request> requests) {
        return requests.stream().map(Request::action).filter(a -> a != null).toList();
    }

    private static boolean mentions(Request request, String bucket) {
        return request.url().contains("/" + bucket) || request.host().startsWith(bucket + ".");
    }
}
