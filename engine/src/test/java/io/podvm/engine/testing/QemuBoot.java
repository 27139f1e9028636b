package io.podvm.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Boots a disk image under QEMU with software emulation and UEFI (OVMF), its serial console in a file, and
 * waits for a line that shows the system is up. {@code -snapshot} keeps the image unchanged.
 */
public final class QemuBoot {
    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    private QemuBoot() {
    }

    /** What the console showed, and how long it took. */
    public record Outcome(boolean reached, Duration elapsed, String console) {
    }

    public static Outcome bootUntil(Path image, Pattern ready, Duration limit, Path workDir) throws Exception {
        Path qemu = RealTools.require("qemu-system-x86_64");
        if (!Files.exists(OVMF_CODE)) {
            throw new AssertionError(OVMF_CODE + " is missing: run 'sudo scripts/install-tools.sh' (package ovmf).");
        }
        Path vars = Files.copy(OVMF_VARS, workDir.resolve("OVMF_VARS.fd"));
        Path serial = workDir.resolve("serial.log");
        List<String> command = List.of(qemu.toString(), "-machine", "q35,accel=tcg", "-cpu", "max", "-m", "2048",
                "-smp", "2", "-nographic", "-nic", "none", "-monitor", "none", "-snapshot",
                "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-drive", "if=virtio,format=raw,file=" + image,
                "-serial", "file:" + serial);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("qemu.out").toFile()).start();
        try {
            while (process.isAlive() && System.nanoTime() - start < limit.toNanos()) {
                if (Files.exists(serial) && ready.matcher(read(serial)).find()) {
                    return new Outcome(true, Duration.ofNanos(System.nanoTime() - start), read(serial));
                }
                Thread.sleep(1000);
            }
            return new Outcome(false, Duration.ofNanos(System.nanoTime() - start),
                    Files.exists(serial) ? read(serial) : "(no console output)");
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
