package io.podvm.engine.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Boots a disk image under QEMU with software emulation and UEFI (OVMF). The serial console is a socket that
 * the test can type into, and everything the guest prints on it is also written to a file. {@code -snapshot}
 * keeps the image unchanged.
 */
public final class QemuBoot implements AutoCloseable {
    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    private final Process process;
    private final Path serialLog;
    private final Path serialSocket;
    private final long start = System.nanoTime();
    private SocketChannel console;

    private QemuBoot(Process process, Path serialLog, Path serialSocket) {
        this.process = process;
        this.serialLog = serialLog;
        this.serialSocket = serialSocket;
    }

    /** What the console showed, and how long it took. */
    public record Outcome(boolean reached, Duration elapsed, String console) {
    }

    /** Boots the image and waits for a console line matching {@code ready}; QEMU is stopped afterwards. */
    public static Outcome bootUntil(Path image, Pattern ready, Duration limit, Path workDir) throws Exception {
        try (QemuBoot boot = start(image, workDir)) {
            boolean reached = boot.awaitConsole(ready, limit);
            return new Outcome(reached, boot.elapsed(), boot.console());
        }
    }

    public static QemuBoot start(Path image, Path workDir) throws IOException {
        return start(image, workDir, List.of("-nic", "none"));
    }

    /** Boots with a user-mode network card whose guest port 22 is reachable at 127.0.0.1:{@code sshPort}. */
    public static QemuBoot startWithSsh(Path image, Path workDir, int sshPort) throws IOException {
        return start(image, workDir, List.of("-nic",
                "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22"));
    }

    private static QemuBoot start(Path image, Path workDir, List<String> network) throws IOException {
        Path qemu = RealTools.require("qemu-system-x86_64");
        if (!Files.exists(OVMF_CODE)) {
            throw new AssertionError(OVMF_CODE + " is missing: run 'sudo scripts/install-tools.sh' (package ovmf).");
        }
        Path vars = Files.copy(OVMF_VARS, workDir.resolve("OVMF_VARS.fd"));
        Path serial = workDir.resolve("serial.log");
        Path socket = workDir.resolve("serial.sock");
        List<String> command = new ArrayList<>(List.of(qemu.toString(), "-machine", "q35,accel=tcg", "-cpu", "max",
                "-m", "2048", "-smp", "2", "-nographic", "-monitor", "none", "-snapshot",
                "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-drive", "if=virtio,format=raw,file=" + image,
                "-chardev", "socket,id=serial0,path=" + socket + ",server=on,wait=off,logfile=" + serial,
                "-serial", "chardev:serial0"));
        command.addAll(network);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("qemu.out").toFile()).start();
        return new QemuBoot(process, serial, socket);
    }

    /** Waits until the console shows a match; false when QEMU ended or the limit passed first. */
    public boolean awaitConsole(Pattern pattern, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (pattern.matcher(console()).find()) {
                return true;
            }
            Thread.sleep(500);
        }
        return pattern.matcher(console()).find();
    }

    /** Types a line on the serial console, as a user at the console would. */
    public void type(String line) throws IOException {
        if (console == null) {
            console = SocketChannel.open(StandardProtocolFamily.UNIX);
            console.connect(UnixDomainSocketAddress.of(serialSocket));
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            console.write(bytes);
        }
    }

    /** Everything the guest has printed on its serial console so far. */
    public String console() throws IOException {
        return Files.exists(serialLog) ? Files.readString(serialLog, StandardCharsets.ISO_8859_1) : "(no console output)";
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() throws Exception {
        if (console != null) {
            console.close();
        }
        process.destroyForcibly().waitFor();
    }
}
