package io.podvm.engine.boot;

import io.podvm.engine.AbortedException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Runs commands in the root shell that a debug image's serial autologin opens, and reads their output back
 * from the console between marker lines. A marker is printed with shell arithmetic ({@code $((6*7))}), so
 * the echo of the typed command never looks like the marker itself.
 */
final class GuestShell {
    /** The podvm services that cloud-api-adaptor's binaries tree installs (mkosi.skeleton's preset). */
    static final List<String> PODVM_SERVICES = List.of("kata-agent", "attestation-agent", "api-server-rest",
            "agent-protocol-forwarder", "process-user-data", "setup-nat-for-imds", "confidential-data-hub");
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(3);

    private final SerialConsole console;
    private int sequence;

    GuestShell(SerialConsole console) {
        this.console = console;
    }

    /** What the guest reported about itself. */
    record Report(String systemState, List<String> failedUnits, Map<String, String> services, Map<Integer, String> pcrs,
            byte[] eventLog) {
    }

    Report collect() throws IOException {
        // Kernel messages on the console would mix into the output (and into the base64 of the event log).
        run("stty -echo; dmesg -n 1; export SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat SYSTEMD_URLIFY=0 TERM=dumb");
        // Less than COMMAND_LIMIT: a system that does not settle is reported by the guest, not as a silent shell.
        String state = run("timeout 150 systemctl is-system-running --wait").strip();
        String failed = run("systemctl --failed --no-legend --plain | awk '{print \"FAILED=\" $1}'");
        String services = run("for u in " + String.join(" ", PODVM_SERVICES) + "; do systemctl cat $u.service"
                + " >/dev/null 2>&1 && echo \"SVC$u=$(systemctl is-active $u.service)\"; done");
        String pcrs = run("for i in $(seq 0 23); do f=/sys/class/tpm/tpm0/pcr-sha256/$i; [ -r $f ] &&"
                + " echo \"PCR$i=$(cat $f)\"; done");
        return new Report(state, failedUnits(failed), services(services), pcrs(pcrs), eventLog());
    }

    /** Types one command line and returns what it printed. */
    String run(String command) throws IOException {
        int id = ++sequence;
        int from = console.text().length();
        console.type("echo \"@@PODVM-$((" + id + "*7))-BEGIN\"; " + command + "; echo \"@@PODVM-$((" + id
                + "*7))-END\"");
        String begin = "@@PODVM-" + (id * 7) + "-BEGIN";
        String end = "@@PODVM-" + (id * 7) + "-END";
        long deadline = System.nanoTime() + COMMAND_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (console.find(Pattern.compile("(?m)" + end + "$"), from) != null) {
                String block = ConsoleText.between(console.text(), begin, end);
                return block == null ? "" : block;
            }
            sleep();
        }
        throw new IOException("the guest's shell did not answer within " + COMMAND_LIMIT.toSeconds() + " s: "
                + command);
    }

    private static List<String> failedUnits(String block) {
        return new ArrayList<>(ConsoleText.keyValues(block, "FAILED").values().stream()
                .filter(v -> !v.isEmpty()).toList());
    }


    private static Map<String, String> services(String block) {
        Map<String, String> states = new TreeMap<>();
        ConsoleText.keyValues(block, "SVC").forEach((name, state) -> states.put(name + ".service", state));
        return states;
    }

    private static Map<Integer, String> pcrs(String block) {
        Map<Integer, String> values = new LinkedHashMap<>();
        ConsoleText.keyValues(block, "PCR").forEach((index, value) -> {
            if (index.matches("\\d+") && value.matches("[0-9A-Fa-f]{64}")) {
                values.put(Integer.parseInt(index), value.toLowerCase());
            }
        });
        return values;
    }

    /**
     * The firmware's event log, as base64 lines after its SHA-256 (which the guest computes): a copy that
     * does not match it is read again, and after three tries there is none (null).
     */
    private byte[] eventLog() throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            String block = run("f=/sys/kernel/security/tpm0/binary_bios_measurements; [ -r $f ] &&"
                    + " sha256sum $f | cut -c1-64 && base64 -w 76 $f");
            List<String> lines = block.lines().map(String::trim).toList();
            if (lines.isEmpty() || !lines.get(0).matches("[0-9a-f]{64}")) {
                return null;
            }
            try {
                byte[] log = Base64.getDecoder().decode(String.join("", lines.subList(1, lines.size())));
                if (java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(log)).equals(lines.get(0))) {
                    return log;
                }
            } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException garbled) {
                // Read it again.
            }
        }
        return null;
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortedException("Aborted while reading the guest's state; QEMU and swtpm have been stopped.");
        }
    }
}
