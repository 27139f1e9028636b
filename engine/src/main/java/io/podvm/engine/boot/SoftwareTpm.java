package io.podvm.engine.boot;

import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.BackgroundProcess;
import io.podvm.engine.process.HostEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A TPM 2.0 emulator (swtpm) for one boot: a fresh state directory, a control socket that QEMU's
 * {@code -tpmdev emulator} connects to. No {@code startup-clear}: the firmware sends TPM2_Startup itself,
 * as on real hardware. {@code --terminate} ends swtpm when QEMU closes the connection.
 */
final class SoftwareTpm implements AutoCloseable {
    private final BackgroundProcess process;
    private final Path socket;

    private SoftwareTpm(BackgroundProcess process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static SoftwareTpm start(BuildLog log, HostEnvironment host, Path swtpm, Path workDir) throws Exception {
        Path state = Files.createDirectories(workDir.resolve("tpm-state"));
        Path socket = workDir.resolve("swtpm.sock");
        BackgroundProcess process = BackgroundProcess.start(log, host, List.of(swtpm.toString(), "socket", "--tpm2",
                "--tpmstate", "dir=" + state, "--ctrl", "type=unixio,path=" + socket, "--terminate"),
                line -> log.line("swtpm: " + line));
        SoftwareTpm tpm = new SoftwareTpm(process, socket);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                tpm.close();
                throw new PodvmException("swtpm did not start (exit code " + process.exitCode() + "): "
                        + String.join(" / ", process.recentLines()));
            }
            Thread.sleep(50);
        }
        return tpm;
    }

    /** QEMU's options that give the guest this TPM on the TIS interface, the one OVMF and Linux 6.1 find. */
    List<String> qemuOptions() {
        return List.of("-chardev", "socket,id=chrtpm,path=" + socket, "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                "-device", "tpm-tis,tpmdev=tpm0");
    }

    @Override
    public void close() {
        process.close();
    }
}
