package io.podvm.engine.upload;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the command line of every process on the machine (/proc/PID/cmdline, through ProcessHandle)
 * while a real upload runs, and keeps those that hold a secret: the real uplosi cannot record its own argv.
 */
final class CommandLineWatcher implements AutoCloseable {
    private final List<String> secrets;
    private final Set<String> leaks = ConcurrentHashMap.newKeySet();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    CommandLineWatcher(List<String> secrets) {
        this.secrets = secrets;
        this.thread = new Thread(this::loop, "cmdline-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            ProcessHandle.allProcesses().forEach(p -> p.info().arguments().ifPresent(args -> {
                String line = p.info().command().orElse("?") + " " + String.join(" ", args);
                seen.add(line);
                if (secrets.stream().anyMatch(line::contains)) {
                    leaks.add(line);
                }
            }));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Command lines that held a secret. */
    Set<String> leaks() {
        return leaks;
    }

    /** Whether a command line containing {@code text} was seen, to prove the sampling saw the tool. */
    boolean saw(String text) {
        return seen.stream().anyMatch(l -> l.contains(text));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
