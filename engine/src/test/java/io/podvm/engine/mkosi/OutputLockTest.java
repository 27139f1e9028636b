package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One build per output directory: a second fails at once naming the holder; a dead holder blocks nobody. */
class OutputLockTest {
    @TempDir
    Path out;

    @Test
    void aSecondBuildInThisJvmFailsNamingTheHolder() {
        try (OutputLock first = OutputLock.take(out, "podvm mkosi")) {
            assertThatThrownBy(() -> OutputLock.take(out, "podvm mkosi"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("outputDir: '" + out + "' is in use by another podvm build (pid "
                            + ProcessHandle.current().pid() + ", started ")
                    .hasMessageEndingWith(", podvm mkosi); two builds into one output directory would replace each"
                            + " other's outputs, so wait until it ends or give another output directory.");
        }
        OutputLock.take(out, "podvm mkosi").close();
        assertThat(out.resolve(OutputLock.FILE)).as("the lock file goes with its holder").doesNotExist();
    }

    /**
     * Another process holds the lock with fcntl, as a second podvm's JVM does; when it is killed with SIGKILL the
     * kernel drops the lock and the next build gets it.
     */
    @Test
    void aLockOfAnotherProcessIsRefusedUntilThatProcessIsKilled() throws Exception {
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, os, sys, time",
                "f = open(sys.argv[1], 'w')",
                "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "f.write('pid %d, started earlier, podvm mkosi' % os.getpid()); f.flush()",
                "print('locked', flush=True)",
                "time.sleep(600)"), out.resolve(OutputLock.FILE).toString()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> OutputLock.take(out, "podvm mkosi"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("is in use by another podvm build (pid " + holder.pid()
                            + ", started earlier, podvm mkosi)");

            new ProcessBuilder("kill", "-KILL", Long.toString(holder.pid())).start().waitFor();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (OutputLock taken = OutputLock.take(out, "podvm mkosi")) {
                assertThat(out.resolve(OutputLock.FILE)).content().startsWith("pid " + ProcessHandle.current().pid());
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
