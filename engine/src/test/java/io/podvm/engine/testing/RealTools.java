package io.podvm.engine.testing;

import io.podvm.engine.tools.Executables;

import java.nio.file.Path;

/** The real tools the tests use: a missing one fails the test loudly instead of skipping it. */
public final class RealTools {
    private RealTools() {
    }

    public static Path require(String name) {
        return Executables.find(name).orElseThrow(() -> new AssertionError(name + " is not installed, and this"
                + " test needs the real tool: run 'sudo scripts/install-tools.sh'."));
    }

    /** Kept between runs so that only the first build on a machine downloads packages. */
    public static Path packageCache() {
        return Path.of(System.getProperty("podvm.test.packageCache", "/var/tmp/podvm-test/mkosi-packages"));
    }
}
