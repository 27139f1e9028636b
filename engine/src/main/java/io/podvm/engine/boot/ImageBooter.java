package io.podvm.engine.boot;

import io.podvm.engine.AbortedException;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.files.FileTrees;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.BackgroundProcess;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.tools.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a built disk image under QEMU with OVMF and, by default, a software TPM 2.0, and says whether it
 * came up: the login prompt, the default target, no failed unit. A debug image logs root in on the serial
 * console by itself; then the engine also asks it for its failed units, its podvm services, the TPM's
 * PCRs and the firmware's event log. QEMU runs with {@code -snapshot}: the image is never changed.
 * Whatever happens (success, failure, timeout, abort), QEMU and swtpm are ended and their state directory
 * is deleted; the console log is kept.
 */
public final class ImageBooter {
    /** Lines that end a boot early: no point in waiting for the timeout. */
    private static final Pattern DEAD_END = Pattern.compile("(?m)(Kernel panic - not syncing.*$"
            + "|You are in emergency mode.*$|Cannot open access to console, the root account is locked.*$"
            + "|Give root password for maintenance.*$|No bootable option or device was found.*$|Shell> ?$)");
    /** How long systemd may take, after the login prompt, to report the default target reached. */
    private static final long SETTLE_NANOS = 120_000_000_000L;

    private final BuildLog log;
    private final Path base;
    /** Where QEMU and swtpm are found, and what they are given of it. */
    private final HostEnvironment host;

    public ImageBooter(BuildLog log, Path base) {
        this(log, base, HostEnvironment.current());
    }

    public ImageBooter(BuildLog log, Path base, HostEnvironment host) {
        this.log = log;
        this.base = base;
        this.host = host;
    }

    public BootResult boot(BootRequest request) {
        Path image = base.resolve(request.image()).normalize();
        Path console = consolePlace(request, image);
        Platform.requireLinux("booting an image");
        Path qemu = tool("qemu-system-x86_64", "apt-get install qemu-system-x86");
        Path swtpm = request.tpm() ? tool("swtpm", "apt-get install swtpm swtpm-tools") : null;
        Firmware firmware = Firmware.find();
        long start = System.nanoTime();
        Path work = workDirectory();
        try {
            return bootIn(work, request, image, console, qemu, swtpm, firmware, start);
        } finally {
            try {
                FileTrees.deleteRecursively(work);
            } catch (IOException e) {
                log.warn("Could not delete the boot's state directory " + work + ": " + e.getMessage());
            }
        }
    }

    private BootResult bootIn(Path work, BootRequest request, Path image, Path consoleFile, Path qemu, Path swtpm,
            Firmware firmware, long start) {
        SerialConsole console = openConsole(work);
        String accel = Accelerator.choose(log, host, qemu, firmware, work);
        abortIfInterrupted();
        try (SoftwareTpm tpm = swtpm == null ? null : SoftwareTpm.start(log, host, swtpm, work);
             BackgroundProcess vm = BackgroundProcess.start(log, host,
                     qemuCommand(qemu, firmware, work, image, request, accel, console, tpm),
                     line -> log.line("qemu: " + line));
             console) {
            if (!console.accept(vm::isAlive, 30_000)) {
                throw failed(console, consoleFile, "QEMU did not start (exit code " + vm.exitCode() + ": "
                        + String.join(" / ", vm.recentLines()) + ")");
            }
            log.info("Booting " + image + " (" + accel + ", " + request.memoryMib() + " MiB, TPM "
                    + (tpm == null ? "off" : "on") + "); waiting up to " + request.timeout().toSeconds()
                    + " s for a login prompt.");
            return awaitAndInspect(request, vm, console, consoleFile, accel, start);
        } catch (PodvmException e) {
            keep(console, consoleFile);
            throw e;
        } catch (Exception e) {
            keep(console, consoleFile);
            throw new PodvmException("The boot of " + image + " failed: " + e.getMessage() + ". The console log is"
                    + " kept at " + consoleFile + "; its last lines:\n" + console.lastLines(20), e);
        }
    }

    private static SerialConsole openConsole(Path work) {
        try {
            return new SerialConsole(work);
        } catch (IOException e) {
            throw new PodvmException("Cannot open the console's socket in " + work + ": " + e.getMessage(), e);
        }
    }

    private BootResult awaitAndInspect(BootRequest request, BackgroundProcess vm, SerialConsole console,
            Path consoleFile, String accel, long start) throws IOException {
        long deadline = start + request.timeout().toNanos();
        Matcher login = null;
        while (login == null) {
            abortIfInterrupted();
            String text = console.text();
            String printable = ConsoleText.printable(text);
            Matcher deadEnd = DEAD_END.matcher(printable);
            if (deadEnd.find()) {
                // The dead end (emergency mode) says what happened, the timeout before it why: say both.
                String cause = ConsoleText.deviceTimeout(printable).map(t -> "'" + t + "' and then ").orElse("");
                throw failed(console, consoleFile, "the console shows " + cause + "'" + deadEnd.group().trim() + "'");
            }
            if (!vm.isAlive()) {
                throw failed(console, consoleFile, "QEMU ended (exit code " + vm.exitCode() + ": "
                        + String.join(" / ", vm.recentLines()) + ") before a login prompt");
            }
            if (System.nanoTime() > deadline) {
                throw failed(console, consoleFile, "no login prompt within " + request.timeout().toSeconds()
                        + " s (--timeout / timeout)");
            }
            Matcher m = ConsoleText.LOGIN.matcher(text);
            login = m.find() ? m : null;
            sleep(500);
        }
        double secondsToLogin = seconds(start);
        log.info(String.format("Login prompt after %.1f s.", secondsToLogin));
        boolean shell = ConsoleText.SHELL.matcher(login.group()).matches();
        BootResult result = shell ? inspectShell(console, consoleFile, accel, start, secondsToLogin)
                : fromConsole(console, consoleFile, accel, start, secondsToLogin, deadline);
        keep(console, consoleFile);
        if (!result.booted()) {
            throw failed(console, consoleFile, "units failed: " + String.join(", ", result.failedUnits()));
        }
        return result;
    }

    /** A debug image: ask the guest itself. */
    private BootResult inspectShell(SerialConsole console, Path consoleFile, String accel, long start,
            double secondsToLogin) throws IOException {
        GuestShell.Report report = new GuestShell(console).collect();
        log.info("System state: " + report.systemState() + "; failed units: " + report.failedUnits()
                + "; podvm services: " + report.services() + "; PCRs read: " + report.pcrs().size());
        String eventLog = null;
        if (report.eventLog() != null) {
            Path file = eventLogPlace(consoleFile);
            Files.write(file, report.eventLog());
            eventLog = file.toString();
        }
        boolean running = report.systemState().endsWith("running") && report.failedUnits().isEmpty();
        List<String> failed = new ArrayList<>(report.failedUnits());
        if (!running && failed.isEmpty()) {
            failed.add("(system state: " + report.systemState() + ")");
        }
        return new BootResult(running, secondsToLogin, failed, report.services(), report.pcrs(),
                consoleFile.toString(), eventLog, accel, seconds(start));
    }

    /** An image without autologin: what systemd printed on the console is all there is. */
    private BootResult fromConsole(SerialConsole console, Path consoleFile, String accel, long start,
            double secondsToLogin, long deadline) {
        long settled = Math.min(deadline, System.nanoTime() + SETTLE_NANOS);
        while (!ConsoleText.reachedDefaultTarget(console.text()) && System.nanoTime() < settled) {
            abortIfInterrupted();
            sleep(500);
        }
        sleep(2000);
        String text = console.text();
        List<String> failed = ConsoleText.failedOnConsole(text);
        boolean reached = ConsoleText.reachedDefaultTarget(text);
        if (!reached) {
            failed = new ArrayList<>(failed);
            failed.add("(the console does not show the default target reached)");
        }
        return new BootResult(reached && failed.isEmpty(), secondsToLogin, failed, Map.of(), Map.of(),
                consoleFile.toString(), null, accel, seconds(start));
    }

    private static List<String> qemuCommand(Path qemu, Firmware firmware, Path work, Path image, BootRequest request,
            String accel, SerialConsole console, SoftwareTpm tpm) throws IOException {
        Path vars = Files.copy(firmware.varsTemplate(), work.resolve("OVMF_VARS.fd"));
        List<String> command = new ArrayList<>(List.of(qemu.toString(), "-machine", "q35,accel=" + accel,
                "-cpu", "max", "-m", String.valueOf(request.memoryMib()), "-smp", "2", "-display", "none",
                "-monitor", "none", "-snapshot", "-nic", "none", "-nodefaults",
                "-drive", "if=pflash,format=raw,readonly=on,file=" + firmware.code(),
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-drive", "if=virtio,format=" + format(image) + ",file=" + image));
        command.addAll(console.qemuOptions());
        if (tpm != null) {
            command.addAll(tpm.qemuOptions());
        }
        return command;
    }

    /** qcow2 (which podvm mkosi --qcow2 writes) or raw, from the file's magic. */
    private static String format(Path image) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(image)) {
            int read = in.readNBytes(magic, 0, 4);
            return read == 4 && Arrays.equals(magic, new byte[] {'Q', 'F', 'I', (byte) 0xfb}) ? "qcow2" : "raw";
        }
    }

    /** Checked before anything starts or is written: the image and the place of the console log. */
    private Path consolePlace(BootRequest request, Path image) {
        if (!Files.isRegularFile(image)) {
            throw InvalidRequestException.of("image", request.image(), Files.exists(image)
                    ? "it is not a file; give the disk image mkosi wrote, e.g. build/system.raw"
                    : "no such file; give the disk image mkosi wrote, e.g. build/system.raw");
        }
        if (!Files.isReadable(image)) {
            throw InvalidRequestException.of("image", request.image(), "it cannot be read by this user");
        }
        Path console = request.keepConsole() != null ? base.resolve(request.keepConsole()).normalize()
                : image.resolveSibling(stem(image) + ".console.log");
        Path parent = console.getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw InvalidRequestException.of(request.keepConsole() != null ? "keepConsole" : "image", console,
                    "the console log goes there and its directory must exist and be writable");
        }
        if (Files.isDirectory(console)) {
            throw InvalidRequestException.of("keepConsole", console, "it is a directory; name a file");
        }
        return console;
    }

    private static Path eventLogPlace(Path consoleFile) {
        String name = consoleFile.getFileName().toString();
        String stem = name.endsWith(".console.log") ? name.substring(0, name.length() - ".console.log".length())
                : name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        return consoleFile.resolveSibling(stem + ".tpm-eventlog");
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private Path tool(String name, String install) {
        return host.findExecutable(name).orElseThrow(() -> new PodvmException(name + " is not installed or not on"
                + " PATH: " + install + " (or run scripts/install-tools.sh; 'podvm doctor boot' checks it)."));
    }

    /** The state of this boot (sockets, firmware variables, TPM state), readable by this user only. */
    private static Path workDirectory() {
        try {
            return Files.createTempDirectory("podvm-boot-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new PodvmException("Cannot create the boot's state directory in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    private PodvmException failed(SerialConsole console, Path consoleFile, String why) {
        keep(console, consoleFile);
        // A verity root with a changed block: the reason is far above the last lines (emergency mode).
        String verity = ConsoleText.verityCorruption(console.text()).map(line -> " The root file system failed its"
                + " integrity check: '" + line + "'.").orElse("");
        return new PodvmException("The image did not boot: " + why + "." + verity + " The console log is kept at "
                + consoleFile + "; its last lines:\n" + console.lastLines(20));
    }

    private void keep(SerialConsole console, Path consoleFile) {
        try {
            if (Files.exists(console.log())) {
                Path partial = consoleFile.resolveSibling("." + consoleFile.getFileName() + ".part");
                Files.copy(console.log(), partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, consoleFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            log.warn("Could not keep the console log at " + consoleFile + ": " + e.getMessage());
        }
    }

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    private static void abortIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new AbortedException("Aborted while booting the image; QEMU and swtpm have been stopped and"
                    + " their state directory removed.");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortIfInterrupted();
        }
    }
}
