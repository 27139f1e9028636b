package io.podvm.engine.mkosi;

import io.podvm.engine.PodvmException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The podvm image definition that ships inside the engine jar (copied there from the repository root by
 * the build). It is copied out into a staging directory when the user names no tree.
 */
final class BundledDefinition {
    private static final String ROOT = "/podvm-definition";

    private BundledDefinition() {
    }

    /** Synchronized: a jar file system can be open only once per JVM, and agents run builds in parallel. */
    static synchronized void copyTo(Path target) throws IOException {
        URL marker = BundledDefinition.class.getResource(ROOT + "/mkosi.conf");
        if (marker == null) {
            throw new PodvmException("The bundled podvm definition is missing from the engine jar; rebuild it"
                    + " with 'mvn -f engine package'.");
        }
        URI uri = toUri(marker);
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyTree(jar.getPath(ROOT), target);
            }
        } else {
            copyTree(Path.of(uri).getParent(), target);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(source)) {
            entries = walk.sorted().toList();
        }
        for (Path entry : entries) {
            Path destination = target.resolve(source.relativize(entry).toString());
            if (Files.isDirectory(entry)) {
                Files.createDirectories(destination);
            } else {
                Files.copy(entry, destination);
            }
        }
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new PodvmException("Cannot locate the bundled podvm definition at " + url + ".", e);
        }
    }
}
