package io.podvm.engine.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.upload.UplosiMerge.Sourced;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A configuration directory read as uplosi 0.4.0 reads it ({@code parseConfigFiles} in upload.go and
 * {@code ConfigFile.Merge} in config.go): {@code uplosi.conf}, then every {@code uplosi.conf.d/*.conf} in
 * name order, each merged over the last with {@link UplosiMerge}. Two things of uplosi's code that its
 * README does not say: a variant is taken from the first file that defines it, and a later file's table
 * for the same variant is dropped (uplosi merges it into a copy it then throws away), except for the keys
 * of {@code openstack.properties} when the first definition has that table (the copy shares the map).
 * And a variant's settings go over the base's with the same rules, so a boolean set in the base wins.
 */
final class UplosiConfigFiles {
    static final String CONFIG = "uplosi.conf";
    static final String DROP_INS = "uplosi.conf.d";
    private static final TomlMapper TOML = new TomlMapper();

    private final Map<String, Sourced> base;
    private final Map<String, Map<String, Sourced>> variants;
    /** The file each variant was taken from. */
    private final Map<String, String> variantFiles = new LinkedHashMap<>();

    private UplosiConfigFiles(Map<String, Sourced> base, Map<String, Map<String, Sourced>> variants) {
        this.base = base;
        this.variants = variants;
    }

    /** No files: the configuration comes from podvm's options alone. */
    static UplosiConfigFiles none() {
        return new UplosiConfigFiles(new LinkedHashMap<>(), new TreeMap<>());
    }

    /** Reads {@code dir}; what uplosi would silently ignore is reported through {@code warn}. */
    static UplosiConfigFiles read(Path dir, Consumer<String> warn) {
        UplosiConfigFiles files = none();
        for (Path file : files(dir)) {
            String label = dir.relativize(file).toString();
            files.add(label, UplosiConfigFile.read(file, label, warn), warn);
        }
        return files;
    }

    /** The variants' names in uplosi's order (sorted); empty when the configuration has none. */
    List<String> variantNames() {
        return List.copyOf(variants.keySet());
    }

    /**
     * uplosi's RenderedVariant before defaults: the base, then the variant ({@code null}: no variant) over
     * it.
     */
    Map<String, Sourced> effective(String variant, Consumer<String> warn) {
        Map<String, Sourced> out = new LinkedHashMap<>();
        UplosiMerge.merge(out, base, ignored -> { });
        if (variant != null) {
            UplosiMerge.merge(out, variants.get(variant), warn);
        }
        return out;
    }

    private void add(String label, UplosiConfigFile file, Consumer<String> warn) {
        UplosiMerge.merge(base, file.base(), warn);
        file.variants().forEach((name, settings) -> {
            Map<String, Sourced> first = variants.get(name);
            if (first == null) {
                variants.put(name, new LinkedHashMap<>(settings));
                variantFiles.put(name, label);
            } else {
                mergeRedefinedVariant(label, name, variantFiles.get(name), first, settings, warn);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void mergeRedefinedVariant(String label, String name, String definedIn, Map<String, Sourced> first,
            Map<String, Sourced> later, Consumer<String> warn) {
        List<String> dropped = new ArrayList<>(later.keySet());
        Sourced properties = first.get("openstack.properties");
        Sourced more = later.get("openstack.properties");
        if (properties != null && more != null) {
            Map<String, String> merged = new LinkedHashMap<>((Map<String, String>) properties.value());
            merged.putAll((Map<String, String>) more.value());
            first.put("openstack.properties", new Sourced(merged, properties.source()));
            dropped.remove("openstack.properties");
        }
        if (!dropped.isEmpty()) {
            warn.accept(label + " [variant." + name + "]: " + String.join(", ", dropped) + " ignored: uplosi 0.4.0"
                    + " takes variant " + name + " from the first file that defines it (" + definedIn + ") and"
                    + " drops later tables of the same variant" + (properties == null ? "" : ", but for the keys of"
                    + " openstack.properties") + "; set them in that first file.");
        }
    }

    /** uplosi.conf, which uplosi requires, then uplosi.conf.d/*.conf in the byte order of their names. */
    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw InvalidRequestException.of("configDir", dir, "the configuration directory must exist and hold"
                    + " uplosi.conf (and, optionally, uplosi.conf.d/*.conf)");
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw InvalidRequestException.of("configDir", dir, "it has no uplosi.conf, which uplosi needs even when"
                    + " uplosi.conf.d/ holds the settings; create it (it may be empty)");
        }
        List<Path> files = new ArrayList<>(List.of(dir.resolve(CONFIG)));
        Path dropIns = dir.resolve(DROP_INS);
        if (Files.exists(dropIns) && !Files.isDirectory(dropIns)) {
            throw InvalidRequestException.of("configDir", dropIns, "uplosi reads drop-ins from this directory and"
                    + " stops when it is a file; remove it or make it a directory of *.conf files");
        }
        if (Files.isDirectory(dropIns)) {
            try (Stream<Path> entries = Files.list(dropIns)) {
                // Go's os.ReadDir sorts by name bytes, as Path's ordering does on Unix; uplosi skips
                // directories but not symbolic links to them, which then fail to read, as here.
                entries.filter(p -> p.getFileName().toString().endsWith(".conf") && !Files.isDirectory(p,
                        LinkOption.NOFOLLOW_LINKS)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw InvalidRequestException.of("configDir", dropIns, "the directory cannot be read: "
                        + e.getMessage());
            }
        }
        return files;
    }

    /** One file, decoded as uplosi's ConfigFile struct: {@code [base]} and {@code [variant.NAME]}. */
    record UplosiConfigFile(Map<String, Sourced> base, Map<String, Map<String, Sourced>> variants) {
        static UplosiConfigFile read(Path file, String label, Consumer<String> warn) {
            Map<String, Object> tree = parse(file);
            Map<String, Sourced> base = new LinkedHashMap<>();
            Map<String, Map<String, Sourced>> variants = new LinkedHashMap<>();
            tree.forEach((key, value) -> {
                switch (key.toLowerCase(Locale.ROOT)) {
                    case "base" -> base.putAll(UplosiTable.read(value, label, "base", warn));
                    case "variant" -> UplosiTable.table(value, label, "variant").forEach((name, table) ->
                            variants.put(name, UplosiTable.read(table, label, "variant." + name, warn)));
                    default -> warn.accept(label + ": '" + key + "' is neither [base] nor [variant.NAME]; uplosi"
                            + " ignores it.");
                }
            });
            return new UplosiConfigFile(base, variants);
        }

        private static Map<String, Object> parse(Path file) {
            try {
                return TOML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (IOException e) {
                throw new InvalidRequestException("configDir: " + file + " is not valid TOML: "
                        + e.getMessage().lines().findFirst().orElse("") + ".");
            }
        }
    }
}
