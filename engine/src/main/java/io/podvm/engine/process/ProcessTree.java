package io.podvm.engine.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process and everything it started: SIGTERM to the whole tree, then SIGKILL to what is still
 * alive after a grace period. The tree is walked again before each signal, because a tool that is being
 * stopped may still start children.
 */
public final class ProcessTree {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private ProcessTree() {
    }

    public static void end(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> seen = new LinkedHashSet<>(members(root));
        seen.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && seen.stream().anyMatch(ProcessHandle::isAlive)) {
            seen.addAll(members(root));
            sleepQuietly(100);
        }
        seen.addAll(members(root));
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : seen) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A process we cannot wait for is reported by the caller's check, not here.
            }
        }
    }

    /** Children first, so that a parent does not restart a child it sees die. */
    private static List<ProcessHandle> members(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        if (root.isAlive()) {
            all.add(root);
        }
        return all;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
