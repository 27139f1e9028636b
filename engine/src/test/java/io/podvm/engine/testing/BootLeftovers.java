package io.podvm.engine.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a finished {@code podvm boot} must not leave behind: its state directory (named in its log, where
 * swtpm is started), a QEMU that has the image open, a swtpm that has the state directory.
 */
public final class BootLeftovers {
    private static final Pattern STATE_DIR = Pattern.compile("dir=(\\S+/podvm-boot-[^/\\s]+)/tpm-state");

    private BootLeftovers() {
    }

    /** {@code stderr}: the CLI's log of the boot of {@code image}. */
    public static void assertNone(String stderr, Path image) {
        Matcher state = STATE_DIR.matcher(stderr);
        assertThat(state.find()).as("swtpm's state directory in the log:\n%s", stderr).isTrue();
        assertThat(Path.of(state.group(1))).doesNotExist();
        assertThat(processesUsing(image)).as("QEMU is gone").isEmpty();
        assertThat(processesUsing(Path.of(state.group(1)))).as("swtpm is gone").isEmpty();
    }

    /** Processes whose command line names {@code path}. */
    public static List<String> processesUsing(Path path) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(path.toString())).toList();
    }
}
