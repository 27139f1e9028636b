package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.PodvmException;

/**
 * Explains why a pull failed from what the tool printed. Registries answer wrong credentials and a missing
 * image in the first request, before any layer is downloaded, so both are reported as bad input.
 */
final class PullFailure {
    private PullFailure() {
    }

    static PodvmException explain(PullerKind tool, ImageReference image, String user, RecentLines output, int exit) {
        String registry = image.registry();
        if (output.contains("unauthorized") || output.contains("authentication required")
                || output.contains("invalid username/password") || output.contains("401")) {
            if (user != null) {
                return new InvalidRequestException("registryUser: the registry " + registry + " refused the"
                        + " credentials of user '" + user + "' (unauthorized); check the user name and the password."
                        + " Nothing was pulled.");
            }
            return new InvalidRequestException("registryUser: the registry " + registry + " wants credentials for"
                    + " '" + image + "' (unauthorized) and none were given; give a registry user and password.");
        }
        if (output.contains("manifest unknown") || output.contains("name unknown") || output.contains("not found")) {
            return new InvalidRequestException("image: '" + image + "' was not found in the registry " + registry
                    + "; check the repository and the tag or digest.");
        }
        if (output.contains("http response to https client") || output.contains("x509")
                || output.contains("certificate")) {
            return new InvalidRequestException("image: the registry " + registry + " could not be reached over"
                    + " verified HTTPS (" + output.last() + "); if it serves plain HTTP or a self-signed"
                    + " certificate, allow that with insecureRegistry.");
        }
        return new PodvmException(tool.id() + " could not pull '" + image + "' (exit " + exit
                + (output.last().isEmpty() ? "" : ": " + output.last()) + "). The previous binaries tree, if any,"
                + " was left as it was.");
    }
}
