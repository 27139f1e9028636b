package io.podvm.engine.mkosi;

import io.podvm.engine.log.RecentLines;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps mkosi's last error line (mkosi starts every log line with '‣'; it dies with its error line, then
 * perhaps a hint in parentheses) while the output goes on to the log, and gives it
 * back with paths in the staged tree turned into paths of the user's tree, which outlives the stage.
 */
final class MkosiErrorLine implements Consumer<String> {
    private static final String MARK = "‣";

    private final Consumer<String> log;
    /** Staged path prefixes and what the user knows them as, the longest first. */
    private final Map<String, String> paths = new LinkedHashMap<>();
    private final MkosiVersion version;
    private volatile String last;
    private volatile String beforeLast;

    MkosiErrorLine(Consumer<String> log, MkosiVersion version) {
        this.log = log;
        this.version = version;
    }

    /** Maps {@code staged} (and everything under it) to {@code shown}. Register longer prefixes first. */
    MkosiErrorLine mapPath(Path staged, String shown) {
        paths.put(staged.toString(), shown);
        return this;
    }

    @Override
    public void accept(String line) {
        log.accept(line);
        String trimmed = line.replaceAll("\u001B\\[[0-9;]*m", "").strip();
        // mkosi's closing "... returned non-zero exit code N" says that a command failed, not why (the command's
        // own error is above it): then mkosi has no error line of its own, only progress lines before it.
        if (trimmed.startsWith(MARK) && RecentLines.isExitReport(trimmed)) {
            last = null;
            beforeLast = null;
        } else if (trimmed.startsWith(MARK)) {
            beforeLast = last;
            last = trimmed.substring(MARK.length()).strip();
        }
    }

    /** " mkosi said: ...", or an empty string when mkosi printed no error line. */
    String reason() {
        if (last == null || last.isEmpty()) {
            return "";
        }
        String mapped = last.startsWith("(") && beforeLast != null ? beforeLast + " " + last : last;
        for (Map.Entry<String, String> p : paths.entrySet()) {
            mapped = mapped.replace(p.getKey(), p.getValue());
        }
        String hint = mapped.contains("Unknown setting") ? " (this tree may need a newer mkosi than " + version + ")" : "";
        return " mkosi said: " + mapped + hint + ".";
    }
}
