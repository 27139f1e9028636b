package io.podvm.engine.tools;

import io.podvm.engine.InvalidRequestException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package manager mkosi runs on the host to install each distribution: a tree of that distribution cannot
 * be built without it, so {@code podvm doctor} lists them and {@code podvm mkosi} checks the one its tree needs
 * before any work.
 */
public final class PackageManagers {
    /** Distribution families, each with the host tools mkosi needs for them, and how to get those on Debian. */
    private static final Map<List<String>, List<ToolCheck>> BY_FAMILY = new LinkedHashMap<>();

    static {
        BY_FAMILY.put(List.of("debian", "ubuntu"), List.of(
                ToolCheck.of("debian", "apt-get", "apt-get install apt"),
                ToolCheck.of("debian", "dpkg", "apt-get install dpkg")));
        BY_FAMILY.put(List.of("fedora", "centos", "rhel", "rhel-ubi", "alma", "rocky", "azure", "mageia", "openmandriva"),
                List.of(ToolCheck.of("fedora", "dnf", "apt-get install dnf (or dnf5)").orElse("dnf5"),
                        ToolCheck.of("fedora", "rpm", "apt-get install rpm")));
        BY_FAMILY.put(List.of("opensuse"), List.of(
                ToolCheck.of("opensuse", "zypper", "apt-get install zypper"),
                ToolCheck.of("opensuse", "rpm", "apt-get install rpm")));
        BY_FAMILY.put(List.of("arch"), List.of(
                ToolCheck.of("arch", "pacman", "apt-get install pacman-package-manager")));
    }

    private PackageManagers() {
    }

    /** The host tools a tree of {@code distribution} needs; empty for "custom" and unknown names. */
    public static List<ToolCheck> forDistribution(String distribution) {
        for (Map.Entry<List<String>, List<ToolCheck>> family : BY_FAMILY.entrySet()) {
            if (family.getKey().contains(distribution)) {
                return family.getValue();
            }
        }
        return List.of();
    }

    /** Every family's tools, optional, for the doctor's table (each is needed only for trees of its family). */
    public static List<ToolCheck> forDoctor() {
        List<ToolCheck> all = new ArrayList<>();
        BY_FAMILY.values().forEach(checks -> checks.forEach(c -> all.add(c.optional())));
        return all;
    }

    /** Refuses, before any work, a tree whose distribution's package manager is not on this host. */
    public static void require(String distribution, String field) {
        for (ToolCheck check : forDistribution(distribution)) {
            boolean found = check.alternatives().stream().anyMatch(n -> Executables.find(n).isPresent());
            if (!found) {
                throw new InvalidRequestException(field + ": the tree builds " + distribution + ", and mkosi needs "
                        + check.name() + " on this host to install it, which was not found on PATH; "
                        + check.install() + ", or build on a host that has it. Nothing was built.");
            }
        }
    }
}
