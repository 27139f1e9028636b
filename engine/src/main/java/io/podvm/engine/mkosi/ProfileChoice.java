package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mkosi profiles a build selects: those asked for, plus the one named like the variant when the tree has
 * it (upstream podvm trees select debug and production with mkosi profiles, the seed's with a marker file).
 * A variant the tree can express neither way is an error, never a silent production build.
 */
final class ProfileChoice {
    static final String PROFILES = "mkosi.profiles";

    private ProfileChoice() {
    }

    /** Checks the request against the user's tree ({@code tree} null: the bundled definition, which uses the marker). */
    static List<String> choose(ImageRequest request, Path tree, MkosiVersion version) {
        if (tree == null) {
            return List.of();
        }
        List<String> available = profilesOf(tree);
        List<String> chosen = new ArrayList<>();
        for (String profile : request.profiles()) {
            if (!available.contains(profile)) {
                throw new InvalidRequestException("profiles (--profile): '" + profile + "' is not a profile of the"
                        + " tree " + tree + "; " + (available.isEmpty() ? "it has no " + PROFILES + "/"
                        : "it has " + String.join(", ", available)) + ".");
            }
            chosen.add(profile);
        }
        String variant = request.variant().id();
        if (available.contains(variant)) {
            if (!chosen.contains(variant)) {
                chosen.add(variant);
            }
        } else if (request.variant() == Variant.DEBUG && !chosen.contains(variant) && !usesMarker(tree)) {
            throw new InvalidRequestException("variant: the tree " + tree + " cannot build a 'debug' image: it has no"
                    + " mkosi profile 'debug' (" + (available.isEmpty() ? "no " + PROFILES + "/" : "profiles: "
                    + String.join(", ", available)) + ") and none of its files matches the marker "
                    + TreeStager.DEBUG_MARKER + " ([Match] PathExists=). Add " + PROFILES + "/debug.conf, select the"
                    + " tree's debug profile with --profile (profiles), or build the production variant.");
        }
        if (chosen.size() > 1 && !version.atLeast(25)) {
            throw new InvalidRequestException("profiles (--profile): mkosi " + version + " selects one profile, but "
                    + String.join(", ", chosen) + " were chosen (with the variant's); use mkosi 25 or newer, or one profile.");
        }
        return chosen;
    }

    static List<String> profilesOf(Path tree) {
        Path dir = tree.resolve(PROFILES);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".conf"))
                    .map(p -> p.getFileName().toString().replaceFirst("\\.conf$", "")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a configuration file of the tree matches the seed's debug marker file. */
    static boolean usesMarker(Path tree) {
        String marker = Path.of(TreeStager.DEBUG_MARKER).getFileName().toString();
        try (Stream<Path> files = Files.walk(tree)) {
            return files.filter(p -> p.toString().endsWith(".conf") && !p.startsWith(tree.resolve("resources")))
                    .anyMatch(p -> read(p).contains(marker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
