package io.podvm.engine.tools;

import io.podvm.engine.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The package managers of each distribution, as this host has them (Debian 12 with apt, without dnf). */
class PackageManagersTest {
    @Test
    void theDoctorListsEachDistributionsPackageManager() {
        String table = Doctor.table(Doctor.examine(Doctor.checks()));

        assertThat(table).containsPattern("debian\\*\\s+apt-get\\s+yes").containsPattern("fedora\\*\\s+dnf\\|dnf5\\s+no")
                .containsPattern("fedora\\*\\s+rpm").containsPattern("opensuse\\*\\s+zypper")
                .containsPattern("arch\\*\\s+pacman").contains("only for mkosi trees of that distribution");
    }

    @Test
    void aDistributionWhosePackageManagerIsMissingIsRefused() {
        assertThat(Executables.find("dnf")).as("this test expects a host without dnf").isEmpty();

        assertThatThrownBy(() -> PackageManagers.require("rocky", "distribution"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("distribution: the tree builds rocky, and mkosi needs dnf|dnf5 on this host");
        PackageManagers.require("ubuntu", "distribution");
        PackageManagers.require("custom", "distribution");
    }
}
