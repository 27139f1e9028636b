package io.podvm.engine.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process and everything it started. SIGTERM goes to the top process alone first, and it gets a grace
 * period to stop its own children and clean up: a tool such as mkosi forwards the signal itself and removes
 * its workspace, and signalling its children at the same moment made them die twice and cut that cleanup
 * short. Once the top process has gone (or the grace period is over), whatever is left of the tree gets
 * SIGTERM, and after a short second period SIGKILL. The tree is walked again before each signal, and through
 * every process seen so far, because a process whose parent died is re-parented out of the root's tree.
 */
public final class ProcessTree {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** How long what is left of the tree gets between SIGTERM and SIGKILL once the top process is gone. */
    static final Duration REST_GRACE = Duration.ofSeconds(2);

    private ProcessTree() {
    }

    public static void end(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> seen = new LinkedHashSet<>(members(root, Set.of()));
        root.destroy();
        waitUntil(() -> !root.isAlive(), grace, root, seen);
        seen.addAll(members(root, seen));
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        waitUntil(() -> seen.stream().noneMatch(ProcessHandle::isAlive), REST_GRACE, root, seen);
        seen.addAll(members(root, seen));
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : seen) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A process we cannot wait for is reported by the caller's check, not here.
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier done, Duration limit, ProcessHandle root,
            Set<ProcessHandle> seen) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            seen.addAll(members(root, seen));
            sleepQuietly(50);
        }
    }

    /** Children first, so that a parent does not restart a child it sees die. */
    private static List<ProcessHandle> members(ProcessHandle root, Set<ProcessHandle> seen) {
        Set<ProcessHandle> all = new LinkedHashSet<>(root.descendants().toList());
        for (ProcessHandle known : seen) {
            if (known.isAlive()) {
                all.addAll(known.descendants().toList());
            }
        }
        List<ProcessHandle> ordered = new ArrayList<>(all);
        if (root.isAlive()) {
            ordered.add(root);
        }
        return ordered;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
