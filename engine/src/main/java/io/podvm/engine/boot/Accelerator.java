package io.podvm.engine.boot;

import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.BackgroundProcess;
import io.podvm.engine.process.HostEnvironment;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * KVM when it works, TCG (software emulation) otherwise. An openable {@code /dev/kvm} is not enough: on
 * some hosts (nested, restricted) KVM starts and then stops the guest with "KVM internal error", so a
 * short probe runs the firmware under KVM and watches for that.
 */
final class Accelerator {
    static final String KVM = "kvm";
    static final String TCG = "tcg";
    private static final Path DEVICE = Path.of("/dev/kvm");
    private static final long PROBE_MILLIS = 4000;

    private Accelerator() {
    }

    static String choose(BuildLog log, HostEnvironment host, Path qemu, Firmware firmware, Path workDir) {
        if (!openable()) {
            log.info("Accelerator: tcg (/dev/kvm cannot be opened).");
            return TCG;
        }
        boolean works = probe(log, host, qemu, firmware, workDir);
        log.info(works ? "Accelerator: kvm." : "Accelerator: tcg (KVM failed to run the firmware on this host).");
        return works ? KVM : TCG;
    }

    private static boolean openable() {
        try (RandomAccessFile device = new RandomAccessFile(DEVICE.toFile(), "rw")) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean probe(BuildLog log, HostEnvironment host, Path qemu, Firmware firmware, Path workDir) {
        Path vars = workDir.resolve("probe-vars.fd");
        List<String> output = new ArrayList<>();
        try {
            Files.copy(firmware.varsTemplate(), vars);
            List<String> command = List.of(qemu.toString(), "-machine", "q35,accel=kvm", "-cpu", "max", "-m", "256",
                    "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
                    "-drive", "if=pflash,format=raw,readonly=on,file=" + firmware.code(),
                    "-drive", "if=pflash,format=raw,file=" + vars);
            try (BackgroundProcess probe = BackgroundProcess.start(log, host, command, line -> { })) {
                long deadline = System.currentTimeMillis() + PROBE_MILLIS;
                while (probe.isAlive() && System.currentTimeMillis() < deadline
                        && probe.recentLines().stream().noneMatch(l -> l.contains("KVM internal error"))) {
                    Thread.sleep(100);
                }
                output.addAll(probe.recentLines());
                return probe.isAlive() && output.stream().noneMatch(l -> l.contains("KVM internal error")
                        || l.contains("failed to initialize kvm"));
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(vars);
            } catch (IOException ignored) {
                // The whole work directory is deleted afterwards.
            }
        }
    }
}
