package io.podvm.engine.binaries;

import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference in the grammar of the distribution project ({@code [host[:port]/]path[:tag][@digest]}),
 * checked here so that a typo is reported at once and not by a registry after a long wait.
 */
public final class ImageReference implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DOCKER_HUB = "docker.io";
    private static final int MAX_NAME = 255;

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])";
    private static final Pattern DOMAIN = Pattern.compile(HOST + "(?::[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    /** What a digest starts with, so that a mistyped one is reported as a digest, not as credentials. */
    private static final Pattern DIGEST_ATTEMPT = Pattern.compile("sha(?:256|384|512):[^/@]*$");
    private static final Pattern SPLIT = Pattern.compile("^([^@]+?)(?::([^:/@]+))?(?:@(.+))?$");

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;
    private final String text;

    private ImageReference(String registry, String repository, String tag, String digest, String text) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
        this.text = text;
    }

    /** Parses a reference as written by the user; {@code field} names it in the error. */
    public static ImageReference parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + ": no image was given; give a podvm-binaries image such as"
                    + " quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:<tag>.");
        }
        refuseCredentials(value, field);
        Matcher parts = SPLIT.matcher(value);
        if (!parts.matches()) {
            throw invalid(field, value, "it is not name[:tag][@digest]");
        }
        String name = parts.group(1);
        String tag = parts.group(2);
        String digest = parts.group(3);
        if (name.length() > MAX_NAME) {
            throw invalid(field, value, "the name is longer than " + MAX_NAME + " characters");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw invalid(field, value, "the tag '" + tag + "' must be letters, digits, '_', '.', '-' (at most 128)");
        }
        if (digest != null && !(DIGEST.matcher(digest).matches() && (!digest.startsWith("sha256:")
                || SHA256.matcher(digest).matches()))) {
            throw invalid(field, value, "the digest '" + digest + "' must be sha256: and 64 lower-case hex digits");
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasDomain = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)));
        String registry = hasDomain ? first : DOCKER_HUB;
        String path = hasDomain ? name.substring(slash + 1) : name;
        if (hasDomain && !DOMAIN.matcher(registry).matches()) {
            throw invalid(field, value, "the registry '" + registry + "' is not a host name with an optional port");
        }
        if (!PATH.matcher(path).matches()) {
            throw invalid(field, value, "the repository '" + path + "' must be lower-case letters, digits and"
                    + " '.', '_', '-' separated by '/'");
        }
        if (!hasDomain && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(registry, path, tag, digest, value);
    }

    /**
     * Credentials written into a reference ({@code user:password@host/repository:tag}, with or without a scheme)
     * would end up in logs, process listings and error messages: they are refused, and the sentence shows the
     * reference without them.
     */
    private static void refuseCredentials(String value, String field) {
        String shown = withoutCredentials(value);
        if (!shown.equals(value)) {
            throw new InvalidRequestException(field + ": the reference has user information before '@'"
                    + " (user:password@" + shown + "); podvm never takes credentials in a reference and does not"
                    + " show them. Give the image as registry/repository:tag (a digest as @sha256:<64 hex digits>)"
                    + " and the credentials separately: in Jenkins registryCredentialsId, on the command line"
                    + " --registry-user with the password in PODVM_REGISTRY_PASSWORD.");
        }
    }

    /**
     * The text without what a URL would call user information, safe to show: a reference has at most one '@',
     * followed by a digest ({@code sha256:...}), so whatever stands before an '@' that is not followed by one
     * is dropped (a password may itself hold '@' or '/').
     */
    public static String withoutCredentials(String value) {
        int last = value == null ? -1 : value.lastIndexOf('@');
        if (last < 0) {
            return value;
        }
        String tail = value.substring(last + 1);
        if (DIGEST.matcher(tail).matches() || DIGEST_ATTEMPT.matcher(tail).lookingAt()) {
            String head = value.substring(0, last);
            return head.contains("@") ? withoutCredentials(head) + "@" + tail : value;
        }
        return tail;
    }

    private static InvalidRequestException invalid(String field, String value, String why) {
        return InvalidRequestException.of(field, value, why + "; a reference is [registry[:port]/]repository"
                + "[:tag][@sha256:digest], for example quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0");
    }

    /** The registry host (and port) that credentials are for: "quay.io", "127.0.0.1:5000", "docker.io". */
    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    /** The tag, or null when only a digest (or nothing, meaning latest) was given. */
    public String tag() {
        return tag;
    }

    public String digest() {
        return digest;
    }

    /** The reference in the form the container tools take: registry always spelled out. */
    public String canonical() {
        StringBuilder out = new StringBuilder(registry).append('/').append(repository);
        if (tag != null) {
            out.append(':').append(tag);
        } else if (digest == null) {
            out.append(":latest");
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
