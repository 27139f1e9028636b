package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Variant globs select among the variants the configuration defines; with none defined they are a mistake. */
class VariantGlobsTest {
    @TempDir
    Path dir;
    UploadWorkspace workspace;
    FakeUplosi fake;

    @BeforeEach
    void setUp() throws Exception {
        workspace = UploadWorkspace.create(dir, 1, "1.0.0");
        fake = FakeUplosi.create(dir, FakeUplosi.Form.UPLOAD_COMMAND);
    }

    private UploadRequest.Builder aws() {
        return fake.configure(UploadRequest.builder().image("system.raw").provider("aws").name("podvm")
                .imageVersion("1.0.0").set("aws.bucket=podvm-images").credentials(UploadFixtures.aws()), "success");
    }

    @Test
    void globsWithoutVariantsAreRefusedBeforeUplosiRuns() throws Exception {
        assertThatThrownBy(() -> workspace.upload(aws().enableVariant("debug-*")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("enableVariants: [debug-*] select variants, but the configuration defines none");
        assertThatThrownBy(() -> workspace.upload(aws().disableVariant("debug-*")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("disableVariants: [debug-*] select variants, but the configuration defines none");
        assertThat(fake.uploadStarted()).isFalse();
    }

    @Test
    void globsWithVariantsReachUplosi() throws Exception {
        Path conf = Files.createDirectories(workspace.dir().resolve("conf"));
        Files.writeString(conf.resolve("uplosi.conf"), """
                [variant.production]
                [variant.debug-ssh]
                """);

        workspace.upload(aws().configDir("conf").enableVariant("*").disableVariant("debug-*"));

        assertThat(fake.recordLines()).contains("argv [upload] [" + workspace.image() + "] [--enable-variant-glob=*]"
                + " [--disable-variant-glob=debug-*]");
    }
}
