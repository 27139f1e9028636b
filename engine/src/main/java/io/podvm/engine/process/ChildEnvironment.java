package io.podvm.engine.process;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which of the host's variables a tool is given. A child never inherits the whole environment: that holds
 * podvm's own secrets ({@code PODVM_SSH_KEY_PASSPHRASE}, {@code PODVM_REGISTRY_PASSWORD}) and, in Jenkins,
 * whatever {@code withCredentials} bound around the step. So every tool gets an allow-list: the variables
 * any program needs to run as this user on this machine ({@link #BASE}), plus those its own documentation or
 * source says it reads. Allow-lists rather than deny-lists, because a deny-list cannot know the names of a
 * user's other secrets. Variables the call sets itself ({@link ExecSpec#env}) are added on top. Names starting
 * with {@code PODVM_} are never passed from the host, whatever the list says.
 */
public final class ChildEnvironment {
    private static final String PODVM_PREFIX = "PODVM_";

    /**
     * For every tool: who and where the user is, locale, terminal, temporary directory, time zone, reproducible
     * builds, proxies in both spellings (curl, apt, Go and Python read either), and the TLS trust store
     * overrides of OpenSSL and Go.
     */
    public static final ChildEnvironment BASE = new ChildEnvironment(List.of("PATH", "HOME", "USER", "LOGNAME",
            "LANG", "LANGUAGE", "TERM", "TMPDIR", "TZ", "SOURCE_DATE_EPOCH", "http_proxy", "https_proxy",
            "no_proxy", "all_proxy", "ftp_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY",
            "SSL_CERT_FILE", "SSL_CERT_DIR"), List.of("LC_"));

    /**
     * mkosi 24/25 reads, besides the base: {@code MKOSI_*} (MKOSI_DNF, MKOSI_LESS, MKOSI_INTERPRETER), the
     * systemd tools' SYSTEMD_LOG_LEVEL, the runtime and cache directories, the invoking user behind sudo or
     * pkexec (to give the outputs back to them), GNUPGHOME (signing), and PYTHONPATH for an mkosi run from a
     * source checkout (mkosi is a Python package). Host variables that a user's mkosi scripts need must be
     * named in the tree's {@code Environment=}.
     */
    public static final ChildEnvironment MKOSI = BASE.plus(List.of("SYSTEMD_LOG_LEVEL", "XDG_RUNTIME_DIR",
            "XDG_CACHE_HOME", "SUDO_UID", "SUDO_GID", "SUDO_USER", "PKEXEC_UID", "GNUPGHOME", "CACHE_DIRECTORY",
            "RUNTIME_DIRECTORY", "PYTHONPATH"), List.of("MKOSI_"));

    /**
     * podman, buildah, skopeo and docker: the containers configuration (CONTAINERS_CONF,
     * CONTAINERS_REGISTRIES_CONF, CONTAINERS_STORAGE_CONF, REGISTRY_AUTH_FILE, the older REGISTRIES_CONFIG_PATH),
     * storage and isolation (STORAGE_DRIVER, STORAGE_OPTS, BUILDAH_*), the XDG directories rootless podman keeps
     * its state in, the session bus for systemd cgroups, remote podman (CONTAINER_HOST, CONTAINER_CONNECTION) and Docker's
     * client settings (DOCKER_HOST, DOCKER_CONFIG, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY, BUILDX_*).
     */
    public static final ChildEnvironment CONTAINERS = BASE.plus(List.of("REGISTRY_AUTH_FILE", "REGISTRIES_CONFIG_PATH",
            "STORAGE_DRIVER", "STORAGE_OPTS", "DBUS_SESSION_BUS_ADDRESS"),
            List.of("CONTAINERS_", "CONTAINER_", "BUILDAH_", "DOCKER_", "BUILDX_", "XDG_"));

    /**
     * mtools (mcopy): its configuration file (MTOOLSRC) and the configuration flags it also reads from the
     * environment (MTOOLS_SKIP_CHECK, MTOOLS_LOWER_CASE, MTOOLS_NO_VFAT, ...; mtools' manual, "Global variables").
     */
    public static final ChildEnvironment MTOOLS = BASE.plus(List.of("MTOOLSRC"), List.of("MTOOLS_"));

    private final Set<String> names;
    private final List<String> prefixes;
    private final Set<String> excluded;

    private ChildEnvironment(List<String> names, List<String> prefixes) {
        this(names, prefixes, Set.of());
    }

    private ChildEnvironment(List<String> names, List<String> prefixes, Set<String> excluded) {
        this.names = Set.copyOf(names);
        this.prefixes = List.copyOf(prefixes);
        this.excluded = Set.copyOf(excluded);
    }

    /** This list and more: for a tool that reads more than another. */
    public ChildEnvironment plus(List<String> moreNames, List<String> morePrefixes) {
        Set<String> allNames = new LinkedHashSet<>(names);
        allNames.addAll(moreNames);
        List<String> allPrefixes = new ArrayList<>(prefixes);
        allPrefixes.addAll(morePrefixes);
        return new ChildEnvironment(List.copyOf(allNames), allPrefixes, excluded);
    }

    /** This list without some names, for variables the call replaces as a set (a request's own credentials). */
    public ChildEnvironment except(Set<String> names) {
        Set<String> all = new LinkedHashSet<>(excluded);
        all.addAll(names);
        return new ChildEnvironment(List.copyOf(this.names), prefixes, all);
    }

    /** The host's variables that this list lets through. */
    public Map<String, String> from(HostEnvironment host) {
        Map<String, String> passed = new TreeMap<>();
        host.variables().forEach((name, value) -> {
            if (allows(name)) {
                passed.put(name, value);
            }
        });
        return passed;
    }

    boolean allows(String name) {
        if (name.startsWith(PODVM_PREFIX) || excluded.contains(name)) {
            return false;
        }
        return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }
}
