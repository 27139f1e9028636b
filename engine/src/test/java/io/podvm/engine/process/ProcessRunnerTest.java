package io.podvm.engine.process;

import io.podvm.engine.AbortedException;
import io.podvm.engine.PodvmException;
import io.podvm.engine.testing.TestLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerTest {
    private final TestLogs.Captured log = new TestLogs.Captured();
    private final ProcessRunner runner = new ProcessRunner(log.log());

    @Test
    void streamsOutputLinesIntoTheMaskedLogAndPassesTheEnvironment() {
        log.masker().add("hunter2-secret");

        ExecResult result = runner.run(ExecSpec.of("bash", "-c", "echo \"token=$TOKEN\"; echo err >&2; exit 3")
                .env("TOKEN", "hunter2-secret"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(log.toString()).contains("token=****").contains("err").doesNotContain("hunter2-secret");
    }

    @Test
    void capturesStdoutWhenAskedTo() {
        List<String> lines = new ArrayList<>();

        ExecResult result = runner.run(ExecSpec.of("printf", "a\\nb\\n").captureStdout().onStdout(lines::add));

        assertThat(result.output()).containsExactly("a", "b");
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void capturesBothStreamsOfAQueryInsteadOfLoggingThem() {
        ExecResult result = runner.run(ExecSpec.of("bash", "-c", "echo version 1.2; echo note >&2").captureOutput());

        assertThat(result.output()).containsExactlyInAnyOrder("version 1.2", "note");
        assertThat(log.toString()).doesNotContain("version 1.2\n").doesNotContain("\nnote\n");
    }

    @Test
    void aMissingProgramIsASentenceNotAStackTrace() {
        assertThatThrownBy(() -> runner.run(ExecSpec.of("/nonexistent/tool")))
                .isInstanceOf(PodvmException.class).hasMessageStartingWith("Cannot start /nonexistent/tool")
                .hasMessageContaining("podvm doctor");
    }

    @Test
    void anInterruptEndsTheWholeProcessTree() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<ProcessHandle> tree = new ArrayList<>();
        Thread worker = new Thread(() -> {
            try {
                runner.run(ExecSpec.of("bash", "-c", "sleep 600 & (sleep 600 & wait) & trap '' TERM; wait"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        ProcessHandle shell = waitForChildWithDescendants(3);
        tree.add(shell);
        tree.addAll(shell.descendants().toList());

        long start = System.nanoTime();
        worker.interrupt();
        worker.join(15_000);

        assertThat(worker.isAlive()).isFalse();
        // The shell ignores TERM: 5 s grace and 2 s rest, then SIGKILL; the rest is room for a loaded machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    /**
     * mkosi stops its own children on SIGTERM and then removes its workspace, which takes seconds: the top
     * process alone gets the signal first, and the time its spec gives it, before the rest of the tree is
     * signalled and killed (a fixed 5 s SIGKILL of everything cut that cleanup short).
     */
    @Test
    void anAbortGivesTheTopProcessItsGraceToStopItsChildrenAndCleanUp(@TempDir Path dir) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        String script = "d=$1; bash -c 'trap \"echo stopped >>$0/child; exit 0\" TERM; sleep 600 & wait' \"$d\" &"
                + " child=$!; trap 'kill -TERM $child; wait $child; sleep 6; echo cleaned >$d/top; exit 1' TERM; wait";
        Thread worker = new Thread(() -> {
            try {
                runner.run(ExecSpec.of("bash", "-c", script, "tool", dir.toString()).stopGrace(Duration.ofSeconds(15)));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        ProcessHandle top = waitForChildWithDescendants(2);
        List<ProcessHandle> tree = new ArrayList<>(top.descendants().toList());
        tree.add(top);

        worker.interrupt();
        worker.join(30_000);

        assertThat(thrown.get()).isInstanceOf(AbortedException.class);
        assertThat(dir.resolve("top")).as("the tool's own cleanup ran to its end").hasContent("cleaned");
        assertThat(dir.resolve("child")).as("the child was stopped once, by its parent").hasContent("stopped");
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aTimeoutEndsTheToolLikeAnAbort() {
        assertThatThrownBy(() -> runner.run(ExecSpec.of("sleep", "600").timeout(Duration.ofMillis(300))))
                .isInstanceOf(AbortedException.class).hasMessageContaining("did not finish within");
    }

    /** The bash child of this JVM once it has started its background sleeps. */
    private static ProcessHandle waitForChildWithDescendants(int count) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (child.descendants().count() >= count) {
                    return child;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the test's process tree did not start");
    }
}
