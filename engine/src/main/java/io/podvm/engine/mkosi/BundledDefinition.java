package io.podvm.engine.mkosi;

import io.podvm.engine.PodvmException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The podvm image definition that ships inside the engine jar, zipped by the build from the repository
 * root. A zip read as a stream works with every class loader, a Jenkins agent's remote one included,
 * where listing a resource directory does not.
 */
final class BundledDefinition {
    private static final String ZIP = "/podvm-definition.zip";

    private BundledDefinition() {
    }

    static void copyTo(Path target) throws IOException {
        InputStream zip = open();
        Files.createDirectories(target);
        try (ZipInputStream entries = new ZipInputStream(zip)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path destination = target.resolve(entry.getName()).normalize();
                if (!destination.startsWith(target)) {
                    throw new PodvmException("The bundled podvm definition has an entry outside its tree: "
                            + entry.getName() + ".");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(entries, destination);
                }
            }
        }
    }

    /** The texts of the files whose names match, read without unpacking the definition. */
    static List<String> read(Predicate<String> names) throws IOException {
        List<String> texts = new ArrayList<>();
        try (ZipInputStream entries = new ZipInputStream(open())) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                if (!entry.isDirectory() && names.test(entry.getName())) {
                    texts.add(new String(entries.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return texts;
    }

    private static InputStream open() {
        InputStream zip = BundledDefinition.class.getResourceAsStream(ZIP);
        if (zip == null) {
            throw new PodvmException("The bundled podvm definition is missing from the engine jar; rebuild it"
                    + " with 'mvn -B package -DskipTests'.");
        }
        return zip;
    }
}
