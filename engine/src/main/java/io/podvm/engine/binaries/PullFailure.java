package io.podvm.engine.binaries;

import io.podvm.engine.log.RecentLines;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Explains why a pull failed from what skopeo or podman printed. Both end with one line of the form
 * {@code initializing source docker://R/P:T: <step> in R/P: <registry error code>: <message>} (the containers
 * image library), where the step is {@code pinging container registry R} when the registry was not reached at
 * all. The answer is read by its words and error codes, never by a bare number in the text: a port or a
 * digest holds "401" and "404" too. Registries answer wrong credentials and a missing image in the first
 * request, before any layer is downloaded, so both are reported as bad input.
 */
final class PullFailure {
    /** What went wrong, as the registry or the network said it. */
    enum Reason {
        /** Nothing listens there, or the name is unknown, or the network does not get there. */
        UNREACHABLE(Pattern.compile("connection refused|no such host|i/o timeout|network is unreachable"
                + "|no route to host|connection reset by peer|TLS handshake timeout")),
        /** Plain HTTP or a certificate that does not verify. */
        TLS(Pattern.compile("server gave HTTP response to HTTPS client|x509: |tls: |certificate", Pattern.CASE_INSENSITIVE)),
        /** The registry's error codes MANIFEST_UNKNOWN, NAME_UNKNOWN and "not found" answers. */
        NOT_FOUND(Pattern.compile("manifest unknown|name unknown|repository name not known|\\b404 Not Found\\b"
                + "|status(?: code)?:? 404\\b|: not found\\b", Pattern.CASE_INSENSITIVE)),
        /** UNAUTHORIZED: no or wrong credentials (HTTP 401). */
        UNAUTHORIZED(Pattern.compile("\\bunauthorized\\b|authentication required|invalid username/password"
                + "|incorrect username or password|\\b401 Unauthorized\\b|status(?: code)?:? 401\\b",
                Pattern.CASE_INSENSITIVE)),
        /** DENIED: the credentials are good but may not read this repository, or it does not exist (HTTP 403). */
        DENIED(Pattern.compile("\\bdenied\\b|\\b403 Forbidden\\b|status(?: code)?:? 403\\b", Pattern.CASE_INSENSITIVE)),
        OTHER(null);

        private final Pattern words;

        Reason(Pattern words) {
            this.words = words;
        }

        /** The reason the last error line gives; the order above decides when one line holds two. */
        static Reason of(List<String> lines) {
            String line = errorLine(lines);
            for (Reason reason : values()) {
                if (reason.words != null && reason.words.matcher(line).find()) {
                    return reason;
                }
            }
            return OTHER;
        }

        /** The last line that reports an error; tools print progress before it and nothing after. */
        private static String errorLine(List<String> lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.contains("Error") || line.contains("level=fatal") || line.contains("error")) {
                    return line;
                }
            }
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private PullFailure() {
    }

    static PodvmException explain(PullerKind tool, ImageReference image, String user, RecentLines output, int exit) {
        String registry = image.registry();
        return switch (Reason.of(output.lines())) {
            case UNAUTHORIZED -> user != null
                    ? new InvalidRequestException("registryUser: the registry " + registry + " refused the"
                            + " credentials of user '" + user + "' (unauthorized); check the user name and the password."
                            + " Nothing was pulled.")
                    : new InvalidRequestException("registryUser: the registry " + registry + " wants credentials for"
                            + " '" + image + "' (unauthorized) and none were given; give a registry user and password.");
            case DENIED -> new InvalidRequestException("image: the registry " + registry + " denied access to '" + image
                    + "'" + (user == null ? " without credentials" : " for user '" + user + "'") + " (denied); registries"
                    + " answer so when the repository does not exist too. Check the repository"
                    + (user == null ? ", or give a registry user and password." : " and that the user may read it."));
            case NOT_FOUND -> new InvalidRequestException("image: '" + image + "' was not found in the registry "
                    + registry + " (manifest unknown); check the repository and the tag or digest.");
            case TLS -> new InvalidRequestException("image: the registry " + registry + " could not be reached over"
                    + " verified HTTPS (" + output.last() + "); if it serves plain HTTP or a self-signed"
                    + " certificate, allow that with insecureRegistry.");
            case UNREACHABLE -> new PodvmException("image: the registry " + registry + " could not be reached ("
                    + cause(output.last()) + "); check the registry's host name and port, and that it is up."
                    + " Nothing was pulled.");
            case OTHER -> new PodvmException(tool.id() + " could not pull '" + image + "' (exit " + exit
                    + (output.last().isEmpty() ? "" : ": " + output.last()) + "). The previous binaries tree, if any,"
                    + " was left as it was.");
        };
    }

    /** The network's own words at the end of the line: "dial tcp 127.0.0.1:5000: connect: connection refused". */
    private static String cause(String line) {
        int dial = line.lastIndexOf("dial tcp");
        String cause = dial >= 0 ? line.substring(dial) : line;
        return cause.replaceAll("\"$", "");
    }
}
