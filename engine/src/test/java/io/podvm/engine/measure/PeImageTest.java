package io.podvm.engine.measure;

import io.podvm.engine.testing.RealTools;
import io.podvm.engine.testing.TestCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Authenticode digest, checked against osslsigncode: it signs a real EFI image (systemd's stub) and
 * reports the digest it signed. A signature is appended as a certificate table, which the digest excludes,
 * so the signed and the unsigned file must both give osslsigncode's value.
 */
class PeImageTest {
    private static final Path STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");
    private static final Pattern DIGEST = Pattern.compile("Current message digest\\s*:\\s*([0-9A-Fa-f]{64})");

    @Test
    void theAuthenticodeDigestIsTheOneOsslsigncodeSigns(@TempDir Path dir) throws Exception {
        assertThat(STUB).as("systemd-boot-efi is not installed: run scripts/install-tools.sh").exists();
        RealTools.require("osslsigncode");
        RealTools.require("openssl");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "1", "-subj", "/CN=podvm test");
        Path signed = dir.resolve("signed.efi");
        run("osslsigncode", "sign", "-certs", cert.toString(), "-key", key.toString(), "-h", "sha256", "-in",
                STUB.toString(), "-out", signed.toString());
        Matcher m = DIGEST.matcher(run("osslsigncode", "verify", "-CAfile", cert.toString(), "-in", signed.toString()));
        assertThat(m.find()).as("osslsigncode printed no digest").isTrue();
        String expected = m.group(1).toLowerCase(Locale.ROOT);

        assertThat(PeImage.of(Files.readAllBytes(STUB)).authenticodeSha256()).isEqualTo(expected);
        assertThat(PeImage.of(Files.readAllBytes(signed)).authenticodeSha256()).isEqualTo(expected);
    }

    @Test
    void theStubNamesItsVersionAndHasNoKernel() throws Exception {
        PeImage stub = PeImage.of(Files.readAllBytes(STUB));
        assertThat(stub.stubVersion()).hasValueSatisfying(v -> assertThat(v).matches("\\d+.*"));
        assertThat(stub.section(".linux")).isEmpty();
        assertThat(stub.section(".text")).isPresent();
    }

    private static String run(String... command) {
        return TestCommands.run(Duration.ofMinutes(1), Map.of(), null, command);
    }
}
