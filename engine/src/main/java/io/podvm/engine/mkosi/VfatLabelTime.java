package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sets the time of the volume label entry of every vfat partition (the ESP) to the source date epoch.
 * mkfs.vfat of dosfstools 4.2, as systemd-repart runs it, writes the label entry with the current time and
 * ignores SOURCE_DATE_EPOCH; mtools' mlabel honours it, so writing the same label again fixes the time.
 */
final class VfatLabelTime {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final String LABEL_IS = "Volume label is ";

    private final BuildLog log;
    private final ProcessRunner runner;

    VfatLabelTime(BuildLog log) {
        this.log = log;
        this.runner = new ProcessRunner(log);
    }

    void clamp(Path image, long epoch) throws IOException {
        JsonNode table = Json.read(String.join("\n", run(ExecSpec.of("sfdisk", "-J", image.toString()))));
        for (JsonNode partition : table.path("partitiontable").path("partitions")) {
            long offset = partition.path("start").asLong() * 512;
            if (isVfat(image, offset)) {
                String drive = image + "@@" + offset;
                String label = run(mtools(epoch, "mlabel", "-s", "-i", drive, "::")).stream()
                        .map(String::trim).filter(l -> l.startsWith(LABEL_IS)).findFirst()
                        .map(l -> l.substring(LABEL_IS.length()).trim()).orElse(null);
                if (label != null && !label.isEmpty()) {
                    run(mtools(epoch, "mlabel", "-i", drive, "::" + label));
                    log.info("Set the time of the vfat label '" + label + "' at byte " + offset + " to " + epoch + ".");
                }
            }
        }
    }

    private static ExecSpec mtools(long epoch, String... command) {
        return ExecSpec.of(command).env("SOURCE_DATE_EPOCH", Long.toString(epoch)).env("TZ", "UTC")
                .env("MTOOLS_SKIP_CHECK", "1");
    }

    private boolean isVfat(Path image, long offset) {
        ExecResult r = runner.run(ExecSpec.of("blkid", "-p", "-o", "value", "-s", "TYPE", "-O", Long.toString(offset),
                image.toString()).timeout(TOOL_TIMEOUT).captureOutput());
        return r.succeeded() && !r.output().isEmpty() && r.output().get(0).trim().equals("vfat");
    }

    private List<String> run(ExecSpec spec) {
        ExecResult r = runner.run(spec.timeout(TOOL_TIMEOUT).captureOutput());
        if (!r.succeeded()) {
            throw new PodvmException("Fixing the vfat label time failed: '" + String.join(" ", spec.command())
                    + "' exited with " + r.exitCode() + ": " + String.join(" ", r.output()) + ". No image was written"
                    + " to the output directory.");
        }
        return r.output();
    }
}
