package io.podvm.engine.cli;

import io.podvm.engine.log.MaskingOutputStream;
import io.podvm.engine.log.SecretMasker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CLI's standard output and error, both through one masker that every command adds its secrets to: so
 * every line podvm writes is masked, the closing error sentence, picocli's messages and a stack trace too,
 * not only the build log. The secrets podvm reads from its environment are in it from the start.
 */
final class CliConsole {
    /** Variables whose values are secrets wherever they appear. */
    static final List<String> SECRET_VARIABLES = List.of(MkosiCommand.PASSPHRASE_VARIABLE,
            BinariesCommand.PASSWORD_VARIABLE, "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_CLIENT_SECRET");

    private static final SecretMasker MASKER = new SecretMasker();
    private static MaskingOutputStream out;
    private static MaskingOutputStream err;

    private CliConsole() {
    }

    /** The masker of everything the CLI writes; a command adds the secrets it reads. */
    static SecretMasker masker() {
        return MASKER;
    }

    /** Puts the masker in front of System.out and System.err (once per JVM). */
    static synchronized void install() {
        if (out != null) {
            return;
        }
        SECRET_VARIABLES.forEach(name -> MASKER.add(System.getenv(name)));
        out = new MaskingOutputStream(System.out, MASKER);
        err = new MaskingOutputStream(System.err, MASKER);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Writes out unfinished lines; called as the command ends. */
    static synchronized void finish() {
        System.out.flush();
        System.err.flush();
        try {
            if (out != null) {
                out.finish();
                err.finish();
            }
        } catch (IOException ignored) {
            // The console is gone (a closed pipe): nothing more can be written anyway.
        }
    }
}
