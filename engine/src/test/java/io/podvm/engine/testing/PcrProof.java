package io.podvm.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.files.Sha256;
import io.podvm.engine.json.Json;
import io.podvm.engine.measure.EventLog;
import io.podvm.engine.measure.PcrMismatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof of {@code podvm measure}, for any built image: every PCR it predicts from the image alone is the
 * value the (software) TPM holds after {@code podvm boot --tpm} has booted that image. Both run through the CLI
 * as a user runs them. On a mismatch the predicted events and the firmware's event log entries are printed
 * side by side; PCR 11 is also checked against the reference implementation, systemd-measure.
 * <pre>{@code
 * PcrProof.Proof proof = PcrProof.run(work, image);   // fails the test if any predicted PCR differs
 * assertThat(proof.predicted(11)).isNotEqualTo(other.predicted(11));
 * }</pre>
 * The image must be a debug image (serial autologin): the PCRs are read in the guest.
 */
public final class PcrProof {
    /** What the CLI printed: {@code podvm measure --json} and {@code podvm boot --json} (null when not booted). */
    public record Proof(JsonNode prediction, JsonNode boot) {
        /** The PCR {@code podvm measure} predicts, e.g. {@code predicted(11)}. */
        public String predicted(int pcr) {
            return prediction.path("pcrs").path(String.valueOf(pcr)).asText();
        }

        /** The PCR the TPM held after the boot. */
        public String held(int pcr) {
            return boot.path("pcrs").path(String.valueOf(pcr)).asText();
        }

        /** The SHA-256 of the image's UKI. */
        public String uki() {
            return prediction.path("uki").asText();
        }
    }

    private PcrProof() {
    }

    /**
     * Measures {@code image}, boots it with a TPM and asserts that the prediction is what the TPM holds. The
     * CLI's files (prediction JSON, console log, event log, the UKI's sections) go to a new directory in
     * {@code work}. Takes about two minutes under TCG.
     */
    public static Proof run(Path work, Path image) throws Exception {
        Path dir = Files.createTempDirectory(work, "pcr-proof-");
        JsonNode prediction = measure(dir, image);
        JsonNode boot = boot(dir, image);
        System.out.println("podvm measure --json: " + Json.line(prediction));
        System.out.println("podvm boot --json: " + Json.line(boot));
        EventLog log = EventLog.parse(Files.readAllBytes(Path.of(boot.path("eventLog").asText())));
        for (int pcr : new int[] {0, 1, 2, 3, 4, 5, 6, 7}) {
            assertThat(log.replay().get(pcr)).as("the event log replays to the TPM's PCR %d", pcr)
                    .isEqualTo(boot.path("pcrs").path(String.valueOf(pcr)).asText());
        }
        prediction.path("pcrs").fields().forEachRemaining(entry -> {
            int pcr = Integer.parseInt(entry.getKey());
            assertThat(boot.path("pcrs").path(entry.getKey()).asText())
                    .as("PCR %d predicted by podvm measure vs. held by the TPM\n%s", pcr,
                            PcrMismatch.describe(pcr, events(prediction, entry.getKey()), log))
                    .isEqualTo(entry.getValue().asText());
        });
        assertThat(prediction.path("pcrs").path("11").asText()).as("PCR 11 as systemd-measure calculates it")
                .isEqualTo(systemdMeasure(dir, extractUki(dir, image)));
        return new Proof(prediction, boot);
    }

    /**
     * Only {@code podvm measure} (a few seconds, no boot): for an image whose proof another run has made, or to
     * compare predictions. Asserts that the --output file holds the printed JSON and that "uki" is the
     * SHA-256 of the ESP's UKI.
     */
    public static Proof measureOnly(Path work, Path image) throws Exception {
        return new Proof(measure(Files.createTempDirectory(work, "pcr-measure-"), image), null);
    }

    private static JsonNode measure(Path dir, Path image) throws Exception {
        Path output = dir.resolve("system.pcrs.json");
        CliProcess.Result measured = CliProcess.run(dir, Map.of(), "measure", image.toString(), "--output",
                output.toString(), "--json");
        assertThat(measured.exitCode()).as("podvm measure:\n%s", measured.stderr()).isZero();
        JsonNode prediction = Json.read(measured.lastStdoutLine());
        assertThat(Json.read(output)).isEqualTo(prediction);
        assertThat(prediction.path("uki").asText()).isEqualTo(Sha256.of(extractUki(dir, image)));
        return prediction;
    }

    private static JsonNode boot(Path dir, Path image) throws Exception {
        Path console = dir.resolve("tpm-boot.console.log");
        CliProcess.Result booted = CliProcess.start(dir, Map.of(), "boot", image.toString(), "--tpm",
                "--keep-console", console.toString(), "--json").await(20);
        assertThat(booted.exitCode()).as("podvm boot:\n%s", booted.stderr()).isZero();
        JsonNode boot = Json.read(booted.lastStdoutLine());
        assertThat(boot.path("booted").asBoolean()).isTrue();
        assertThat(boot.path("failedUnits").size()).as("failed units: %s", boot.path("failedUnits")).isZero();
        assertThat(boot.path("console").asText()).isEqualTo(console.toString());
        assertThat(Files.readString(console, StandardCharsets.ISO_8859_1)).contains("Reached target");
        assertThat(boot.path("pcrs").size()).as("PCRs read from the guest's sysfs").isEqualTo(24);
        return boot;
    }

    private static List<Map<String, String>> events(JsonNode prediction, String pcr) {
        List<Map<String, String>> events = new ArrayList<>();
        prediction.path("events").path(pcr).forEach(e -> events.add(Map.of("event", e.path("event").asText(),
                "sha256", e.path("sha256").asText())));
        return events;
    }

    /** The UKI, copied out of the ESP with mtools. */
    private static Path extractUki(Path dir, Path image) throws IOException {
        Path uki = dir.resolve("uki.efi");
        if (!Files.exists(uki)) {
            new DiskImage(image).copyFromEsp("::/EFI/BOOT/BOOTX64.EFI", uki);
        }
        return uki;
    }

    /**
     * PCR 11 after the last boot phase, as systemd-measure calculates it from the UKI's sections. A 252 stub
     * measures .linux .osrel .cmdline .initrd (and .splash .dtb .pcrpkey, absent here), not .uname or .sbat.
     */
    private static String systemdMeasure(Path dir, Path uki) {
        List<String> command = new ArrayList<>(List.of("/usr/lib/systemd/systemd-measure", "calculate",
                "--bank=sha256", "--phase=enter-initrd:leave-initrd:sysinit:ready"));
        for (String section : List.of("linux", "osrel", "cmdline", "initrd")) {
            Path file = dir.resolve("section." + section);
            DiskImage.run("objcopy", "-O", "binary", "--only-section=." + section, uki.toString(), file.toString());
            command.add("--" + section + "=" + file);
        }
        String out = DiskImage.run(command.toArray(String[]::new));
        return out.replaceAll("(?s).*11:sha256=([0-9a-f]{64}).*", "$1");
    }
}
