package io.podvm.engine.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what systemd and the guest's shell printed on the console. */
final class ConsoleText {
    /**
     * ANSI colour and cursor sequences, which systemd's status lines are full of; also one that systemd cut
     * when it shortened the line to the console's width (it puts "…" there).
     */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?=]*([A-Za-z]|(?=\u2026))");
    /** systemd gave up on a device a unit needs: the root, for example, when the command line names a wrong one. */
    private static final Pattern DEVICE_TIMEOUT = Pattern.compile("(?m)Timed out waiting for device .*?(?=\\.?$)");
    private static final Pattern REACHED_DEFAULT = Pattern.compile(
            "Reached target .*(Multi-User System|Graphical Interface)");
    private static final Pattern FAILED = Pattern.compile("\\[FAILED\\] Failed to start (.+?)\\.?$",
            Pattern.MULTILINE);
    /** dm-verity's message when a block of a verity device does not match its hash tree. */
    private static final Pattern VERITY_CORRUPTED = Pattern.compile("device-mapper: verity: [^\n]*corrupted");
    static final Pattern LOGIN = Pattern.compile("(?m)(login: ?$|^root@[^\\s:]+:[^\\n]*# ?$)");
    static final Pattern SHELL = Pattern.compile("(?m)^root@[^\\s:]+:[^\\n]*# ?$");

    private ConsoleText() {
    }

    static String printable(String text) {
        return ANSI.matcher(text.replace("\r", "")).replaceAll("").replaceAll("[\\x00-\\x08\\x0B-\\x1F\\x7F]", "");
    }

    static boolean reachedDefaultTarget(String console) {
        return REACHED_DEFAULT.matcher(printable(console)).find();
    }

    /** The first device systemd timed out waiting for, as the console shows it, if any. */
    static Optional<String> deviceTimeout(String printable) {
        Matcher m = DEVICE_TIMEOUT.matcher(printable);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** Units that systemd reported on the console as failing to start. */
    static List<String> failedOnConsole(String console) {
        List<String> failed = new ArrayList<>();
        Matcher m = FAILED.matcher(printable(console));
        while (m.find()) {
            failed.add(m.group(1).trim());
        }
        return failed;
    }

    /** The first line in which dm-verity reported a corrupted block, if any. */
    static Optional<String> verityCorruption(String console) {
        Matcher m = VERITY_CORRUPTED.matcher(printable(console));
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /**
     * The text between two markers that the guest printed. The begin marker may follow the prompt on the
     * same line (with echo off, nothing else is printed there); the echo of the typed command never holds a
     * marker, since the command computes it.
     */
    static String between(String console, String begin, String end) {
        String text = printable(console);
        int start = text.lastIndexOf(begin + "\n");
        int stop = text.lastIndexOf(end + "\n");
        if (start < 0 || stop < start) {
            return null;
        }
        String block = text.substring(start + begin.length() + 1, stop);
        return block;
    }

    /** "KEY=VALUE" lines with a given key prefix, in order. */
    static Map<String, String> keyValues(String block, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            if (line.startsWith(prefix) && line.indexOf('=') > 0) {
                values.put(line.substring(prefix.length(), line.indexOf('=')), line.substring(line.indexOf('=') + 1).trim());
            }
        }
        return values;
    }
}
