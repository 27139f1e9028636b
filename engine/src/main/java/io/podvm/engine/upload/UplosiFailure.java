package io.podvm.engine.upload;

import io.podvm.engine.PodvmException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads uplosi's stderr while it runs and turns its failure into a sentence that names the provider and
 * the step. uplosi wraps its errors step by step ("uploading variants: uploading image: importing
 * snapshot: ..."); the first wrap below the generic ones is the step that failed.
 */
final class UplosiFailure {
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} ");
    private static final List<String> GENERIC = List.of("uploading variants: ", "uploading image: ");
    private static final Pattern NETWORK = Pattern.compile("dial tcp|no such host|connection refused|proxyconnect"
            + "|i/o timeout|network is unreachable|TLS handshake|context deadline exceeded");

    private final Provider provider;
    private final List<String> error = new ArrayList<>();
    private volatile String lastProgress = "starting";

    UplosiFailure(Provider provider) {
        this.provider = provider;
    }

    /** Called for each stderr line (already logged by the caller). */
    synchronized void stderr(String line) {
        if (line.startsWith("Error: ") || !error.isEmpty()) {
            error.add(line.strip());
            return;
        }
        String message = TIMESTAMP.matcher(line).replaceFirst("").strip();
        if (!message.isEmpty()) {
            lastProgress = message;
        }
    }

    /** The step uplosi reported last, for a timeout. */
    String lastProgress() {
        return lastProgress;
    }

    synchronized PodvmException failed(int exitCode) {
        if (error.isEmpty()) {
            return new PodvmException("uplosi failed uploading to " + provider + " (exit " + exitCode + ") after"
                    + " the step '" + lastProgress + "' without saying why; see its log above.");
        }
        String detail = String.join(" ", error).substring("Error: ".length()).strip();
        String step = step(detail);
        return new PodvmException("Uploading to " + provider + " failed at the step '" + step + "': " + detail
                + hint(step, detail));
    }

    PodvmException timedOut(long seconds) {
        return new PodvmException("Uploading to " + provider + " did not finish within " + seconds + " s and was"
                + " stopped, with every process uplosi had started; the last step uplosi reported was '"
                + lastProgress + "'. Check that " + provider + " is reachable from this machine (network, proxy),"
                + " or allow more time.");
    }

    static String step(String detail) {
        String rest = detail;
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String generic : GENERIC) {
                if (rest.startsWith(generic)) {
                    rest = rest.substring(generic.length());
                    stripped = true;
                }
            }
        }
        int colon = rest.indexOf(": ");
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    private String hint(String step, String detail) {
        if (step.startsWith("validating config") || step.startsWith("parsing config")
                || step.startsWith("config for variant")) {
            return ". uplosi rejected the configuration; fix the setting it names (--set KEY=VALUE or --config-dir).";
        }
        if (NETWORK.matcher(detail).find()) {
            return ". uplosi could not reach " + provider + "; check the network, the proxy settings and the"
                    + " endpoint from this machine.";
        }
        if (provider == Provider.AWS && step.startsWith("importing snapshot")) {
            return ". The S3 upload worked, but EC2 could not import it as a snapshot: AWS needs the 'vmimport'"
                    + " service role (https://docs.aws.amazon.com/vm-import/latest/userguide/required-permissions.html),"
                    + " and an emulator must implement ImportSnapshot.";
        }
        return ". See uplosi's log above for the details.";
    }
}
