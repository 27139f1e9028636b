package io.podvm.engine.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Marks the work directories a run creates (stage directories, credential directories) with the run's pid and
 * process start time, in the directory's name, so that the mark exists from the moment the directory does.
 * A later run removes the directories whose owner is gone: after a kill -9 nothing else would. The start time
 * tells a reused pid from the owner: a new process with the same pid has another start time.
 */
public final class OwnerTag {
    private static final String SELF = tagOf(ProcessHandle.current().pid())
            .orElse(ProcessHandle.current().pid() + "-0");

    private OwnerTag() {
    }

    /** The name prefix for a new directory of this process: {@code prefix + "<pid>-<start>-"}. */
    public static String prefix(String prefix) {
        return prefix + SELF + "-";
    }

    /**
     * Deletes the directories in {@code parent} named {@code prefix<pid>-<start>-...} whose owner is no longer
     * running; returns them. Directories without a mark, and those of live owners, are left alone, and so is
     * anything that cannot be read or deleted: a sweep never fails the run that does it.
     */
    public static List<Path> sweep(Path parent, String prefix) {
        List<Path> removed = new ArrayList<>();
        Pattern tagged = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-(\\d+)-.*");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path entry : entries) {
                Matcher m = tagged.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        && ownerGone(Long.parseLong(m.group(1)), m.group(2))) {
                    FileTrees.deleteRecursively(entry);
                    removed.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not readable or not deletable: a leftover is not worth failing a build for.
        }
        return removed;
    }

    static boolean ownerGone(long pid, String start) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        // Unknown start time: it may be the owner, so keep its directory.
        return tagOf(pid).map(tag -> !tag.equals(pid + "-" + start)).orElse(false);
    }

    /**
     * "pid-start" where start is the process start time in clock ticks since boot from /proc (exact and
     * stable), or elsewhere the start second as the JDK reports it.
     */
    static Optional<String> tagOf(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            // Field 22, counted after the command name, which may itself contain spaces and parentheses.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Optional.of(pid + "-" + fields[19]);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                    .map(start -> pid + "-" + start.getEpochSecond());
        }
    }
}
