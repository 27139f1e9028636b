package io.podvm.engine.cli;

import io.podvm.engine.AbortedException;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code podvm}: the engine from a shell, so that a build on a laptop is the build that Jenkins runs. */
@Command(name = "podvm", mixinStandardHelpOptions = true, version = "podvm 0.1.0",
        description = "Builds confidential-containers pod VM images: guest binaries, mkosi image, cloud upload.",
        subcommands = {MkosiCommand.class, BinariesCommand.class, UploadCommand.class, BootCommand.class,
                MeasureCommand.class, DiffCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class})
public final class PodvmCli {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_ABORTED = 130;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CliConsole.install();
        CommandLine cli = new CommandLine(new PodvmCli());
        cli.setOut(new PrintWriter(System.out, true)).setErr(new PrintWriter(System.err, true));
        cli.setExecutionExceptionHandler(PodvmCli::report);
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> interruptAndWait(main, finished), "podvm-abort");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return cli.execute(args);
        } finally {
            CliConsole.finish();
            finished.countDown();
            removeHook(onSignal);
        }
    }

    /**
     * SIGINT/SIGTERM: interrupt the work, which ends the tool's process tree and deletes what it staged, and
     * hold the JVM until that is done (mkosi alone may take its 20 s grace, then the stage is deleted). The
     * JVM exits as soon as the hook returns, with the status shells give a process ended by that signal:
     * 130 after SIGINT, 143 after SIGTERM. We keep that rather than halt(130) from the hook: scripts, CI
     * runners and Jenkins' sh step read 128+N as "ended by signal N", and a SIGTERM from a supervisor
     * (timeout, a stopped container, a Jenkins abort of an sh step) is then reported as what it was.
     */
    private static void interruptAndWait(Thread main, CountDownLatch finished) {
        main.interrupt();
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting because of a signal; the hook is waiting for us.
        }
    }

    /** A user's error is a sentence on stderr, not a stack trace. */
    private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof AbortedException) {
            err.println("podvm: aborted: " + e.getMessage());
            return EXIT_ABORTED;
        }
        // The engine names request fields (outputDir); the user typed this command's options (--output-dir).
        String message = OptionNames.of(cli.getCommandSpec()).translate(e.getMessage());
        if (e instanceof InvalidRequestException) {
            err.println("podvm: " + message);
            return EXIT_BAD_INPUT;
        }
        if (e instanceof PodvmException) {
            err.println("podvm: " + message);
            return EXIT_FAILED;
        }
        err.println("podvm: unexpected error: " + e);
        e.printStackTrace(err);
        return EXIT_FAILED;
    }
}
