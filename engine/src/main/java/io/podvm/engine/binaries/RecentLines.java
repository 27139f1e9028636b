package io.podvm.engine.binaries;

import io.podvm.engine.log.BuildLog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tool's output lines: each goes to the (masking) build log as it comes, and the last few are kept so that
 * a failure can be explained (wrong credentials, missing image) without keeping the whole output.
 */
final class RecentLines implements Consumer<String> {
    private static final int KEEP = 40;

    private final BuildLog log;
    private final Deque<String> recent = new ArrayDeque<>();

    RecentLines(BuildLog log) {
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
    }

    synchronized List<String> lines() {
        return new ArrayList<>(recent);
    }

    synchronized boolean contains(String fragment) {
        String lower = fragment.toLowerCase(java.util.Locale.ROOT);
        return recent.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains(lower));
    }

    /** The last line that says something, masked, for an error message. */
    synchronized String last() {
        for (var it = recent.descendingIterator(); it.hasNext(); ) {
            String line = it.next().strip();
            if (!line.isEmpty()) {
                return log == null ? line : log.masker().mask(line);
            }
        }
        return "";
    }
}
