package io.podvm.engine.tools;

import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.process.ProcessRunner;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the tools each capability needs on this machine: found or not, version, supported or not. */
public final class Doctor {
    public static final String IMAGE = "image";
    public static final String UPLOAD = "upload";
    public static final String BINARIES = "binaries";
    public static final String BOOT = "boot";

    private static final Pattern DIGITS = Pattern.compile("(\\d+)(?:\\.\\d+)*");

    /** One row of the table. */
    public record Finding(ToolCheck check, String path, String version, boolean supported) {
        public boolean found() {
            return path != null;
        }

        /** Whether this finding makes the capability unusable. */
        public boolean blocking() {
            return check.required() && !(found() && supported);
        }
    }

    public static List<ToolCheck> checks() {
        List<ToolCheck> checks = new ArrayList<>();
        checks.add(ToolCheck.of(IMAGE, "mkosi", "apt-get install -t bookworm-backports mkosi")
                .version(Pattern.compile("mkosi\\s+v?(\\d+(?:\\.\\d+)*)"), 15, "--version"));
        checks.add(ToolCheck.of(IMAGE, "systemd-repart", "apt-get install -t bookworm-backports systemd")
                .version(Pattern.compile("systemd\\s+(\\d+)"), 254, "--version"));
        checks.add(ToolCheck.of(IMAGE, "bwrap", "apt-get install bubblewrap"));
        checks.add(ToolCheck.of(IMAGE, "depmod", "apt-get install kmod"));
        checks.add(ToolCheck.of(IMAGE, "mcopy", "apt-get install mtools"));
        checks.add(ToolCheck.of(IMAGE, "mkfs.vfat", "apt-get install dosfstools"));
        checks.add(ToolCheck.of(IMAGE, "mkfs.ext4", "apt-get install e2fsprogs"));
        checks.add(ToolCheck.of(IMAGE, "qemu-img", "apt-get install qemu-utils (only for qcow2)").optional()
                .version(Pattern.compile("version\\s+(\\d+(?:\\.\\d+)*)"), 0, "--version"));
        checks.add(ToolCheck.of(IMAGE, "mkfs.erofs", "apt-get install erofs-utils (only for --root verity)").optional());
        checks.add(ToolCheck.of(BINARIES, "podman", "apt-get install podman buildah (build mode; docker needs its"
                + " daemon and buildx)").orElse("buildah", "docker"));
        checks.add(ToolCheck.of(BINARIES, "skopeo", "apt-get install skopeo (pull mode)").orElse("podman"));
        checks.add(ToolCheck.of(BINARIES, "tar", "apt-get install tar zstd (pull mode)"));
        checks.add(ToolCheck.of(UPLOAD, "uplosi", "scripts/install-tools.sh (uplosi 0.4.0 built with Go)")
                .version(Pattern.compile("uplosi version\\s+(\\S+)"), 0, "--version"));
        // The package manager mkosi runs for each distribution a tree may build (needed by trees of that one).
        checks.addAll(PackageManagers.forDoctor());
        checks.add(ToolCheck.of(BOOT, "qemu-system-x86_64", "apt-get install qemu-system-x86 ovmf")
                .version(Pattern.compile("version\\s+(\\d+(?:\\.\\d+)*)"), 0, "--version"));
        checks.add(ToolCheck.of(BOOT, "swtpm", "apt-get install swtpm swtpm-tools (only for --tpm, the default)")
                .optional().version(Pattern.compile("version\\s+(\\d+(?:\\.\\d+)*)"), 0, "--version"));
        checks.add(ToolCheck.of(BOOT, "mcopy", "apt-get install mtools (podvm measure reads the ESP with it)"));
        return checks;
    }

    public static List<Finding> examine(List<ToolCheck> checks) {
        return examine(checks, HostEnvironment.current());
    }

    /** The tools as the engine would find them with this environment. */
    public static List<Finding> examine(List<ToolCheck> checks, HostEnvironment host) {
        List<Finding> findings = new ArrayList<>();
        for (ToolCheck check : checks) {
            findings.add(examine(check, host));
        }
        return findings;
    }

    private static Finding examine(ToolCheck check, HostEnvironment host) {
        for (String name : check.alternatives()) {
            Optional<Path> path = host.findExecutable(name);
            if (path.isPresent()) {
                String version = check.versionArgs().isEmpty() ? "" : version(path.get(), check, host);
                return new Finding(check, path.get().toString(), version, supported(check, version));
            }
        }
        return new Finding(check, null, "", false);
    }

    private static boolean supported(ToolCheck check, String version) {
        if (check.minimumMajor() == 0) {
            return true;
        }
        Matcher m = DIGITS.matcher(version);
        return m.lookingAt() && Integer.parseInt(m.group(1)) >= check.minimumMajor();
    }

    /** The version a tool prints (on stdout or stderr), or "?" when it prints none we recognise. */
    private static String version(Path path, ToolCheck check, HostEnvironment host) {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(check.versionArgs());
        BuildLog quiet = new BuildLog(OutputStream.nullOutputStream(), new SecretMasker());
        List<String> output;
        try {
            output = new ProcessRunner(quiet, host).run(ExecSpec.of(command).timeout(Duration.ofSeconds(30))
                    .captureOutput()).output();
        } catch (PodvmException e) {
            return "?";
        }
        Matcher m = check.versionPattern().matcher(String.join("\n", output));
        return m.find() ? m.group(1) : "?";
    }

    /** The table the CLI prints. */
    public static String table(List<Finding> findings) {
        StringBuilder out = new StringBuilder(String.format("%-9s %-22s %-7s %-10s %-9s %s%n", "NEEDED BY", "TOOL",
                "FOUND", "VERSION", "SUPPORTED", "PATH OR HOW TO INSTALL"));
        for (Finding f : findings) {
            String needed = f.check().capability() + (f.check().required() ? "" : "*");
            String supported = !f.found() ? "-" : f.supported() ? "yes" : "no (>= " + f.check().minimumMajor() + ")";
            out.append(String.format("%-9s %-22s %-7s %-10s %-9s %s%n", needed, f.check().name(),
                    f.found() ? "yes" : "no", f.version().isEmpty() ? "-" : f.version(), supported,
                    f.found() ? f.path() : f.check().install()));
        }
        out.append("* optional: needed only for some options, or (debian, fedora, opensuse, arch) only for mkosi trees"
                + " of that distribution, whose package manager mkosi runs on this host\n");
        return out.toString();
    }
}
