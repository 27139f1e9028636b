package io.podvm.engine.binaries;

import io.podvm.engine.tools.Executables;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Real tools the tests need: a missing one fails the test loudly instead of skipping it. */
final class RequiredTools {
    private RequiredTools() {
    }

    static Path require(String name) {
        return Executables.find(name).orElseGet(() -> fail(name + " is not installed, and these tests run the real"
                + " tool: run scripts/install-tools.sh as root (it installs podman, buildah, skopeo, tar,"
                + " busybox-static, apache2-utils and distribution-registry)."));
    }
}
