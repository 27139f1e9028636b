package io.podvm.engine.mkosi;

import io.podvm.engine.files.FileTrees;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The fixture trees of issue 11 (src/test/resources/trees), copied where a test may change them. */
final class UserTrees {
    private UserTrees() {
    }

    static Path copy(String name, Path target) throws IOException {
        Path source;
        try {
            source = Path.of(UserTrees.class.getResource("/trees/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        FileTrees.copy(source, target, relative -> false);
        Path postinst = target.resolve("mkosi.postinst");
        if (Files.exists(postinst)) {
            // Maven's resource copy does not keep the executable bit that mkosi needs on scripts.
            Files.setPosixFilePermissions(postinst, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return target;
    }
}
