package io.podvm.engine.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A tool's output lines: each goes to the (masking) build log as it comes, and the last few are kept so that
 * a failure can be explained (wrong credentials, missing image) without keeping the whole output.
 */
public final class RecentLines implements Consumer<String> {
    private static final int KEEP = 40;
    private static final Pattern ERROR = Pattern.compile(
            "^(?:E|W: Failed|Error|ERROR|error|fatal|FATAL)\\b[:!]?|\\b(?:error|Error|failed|Failed|No space left on device"
            + "|Permission denied|not found|cannot|Cannot|can't)\\b");
    /** mkosi's and systemd's closing report of a command's exit code: the failure, not its reason. */
    private static final Pattern EXIT_REPORT = Pattern.compile(
            "returned non-zero exit code|exited with (?:code|status)|failed with exit (?:code|status)");

    private final BuildLog log;
    private final Deque<String> recent = new ArrayDeque<>();
    /** Kept over the whole output: a tool may print thousands of lines after its reason (a full disk). */
    private String lastError = "";

    /** @param log where each line goes as it comes, or null to keep the lines only */
    public RecentLines(BuildLog log) {
        this.log = log;
    }

    @Override
    public synchronized void accept(String line) {
        if (log != null) {
            log.line(line);
        }
        if (recent.size() == KEEP) {
            recent.removeFirst();
        }
        recent.addLast(line);
        String stripped = line.strip();
        if (ERROR.matcher(stripped).find() && !EXIT_REPORT.matcher(stripped).find()) {
            lastError = stripped;
        }
    }

    /** A tool's closing "command returned non-zero exit code" line: that it failed, not why. */
    public static boolean isExitReport(String line) {
        return EXIT_REPORT.matcher(line).find();
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(recent);
    }

    public synchronized boolean contains(String fragment) {
        String lower = fragment.toLowerCase(java.util.Locale.ROOT);
        return recent.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains(lower));
    }

    /** The last line that says something, masked, for an error message. */
    public synchronized String last() {
        for (var it = recent.descendingIterator(); it.hasNext(); ) {
            String line = it.next().strip();
            if (!line.isEmpty()) {
                return log == null ? line : log.masker().mask(line);
            }
        }
        return "";
    }

    /**
     * The last line of the whole output that reports an error (apt's "E: ...", "Error: ...", "...: No space left
     * on device"), masked: the reason a tool failed, which is usually above the tool's own closing "command
     * returned non-zero exit code" line. The last line that says something when none looks like an error.
     */
    public synchronized String lastError() {
        if (lastError.isEmpty()) {
            return last();
        }
        return log == null ? lastError : log.masker().mask(lastError);
    }
}
