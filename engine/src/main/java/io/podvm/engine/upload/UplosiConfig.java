package io.podvm.engine.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The uplosi configuration of one upload: the user's {@code uplosi.conf} and {@code uplosi.conf.d/*.conf}
 * merged as uplosi merges them, our settings layered on top, version files redirected to private copies,
 * checked the way uplosi 0.4.0 checks it (so that a mistake is reported before anything is uploaded) and
 * written as one {@code uplosi.conf} into the private working directory. One merged file, rather than
 * {@code -c DIR}, because uplosi 0.4.0 reads {@code uplosi.conf.d} relative to its working directory even
 * with {@code -c}.
 */
final class UplosiConfig {
    static final String FILE_NAME = "uplosi.conf";
    private static final TomlMapper TOML = new TomlMapper();

    private final Map<String, Object> tree;
    private final Map<Path, VersionFile> versionFiles;
    private final List<Scope> scopes;

    /** A variant as uplosi renders it (base merged with the variant), or the base when there are none. */
    record Scope(String variant, Map<String, Object> settings, String version, VersionFile versionFile) {
        String label() {
            return variant == null ? "" : " (variant " + variant + ")";
        }
    }

    private UplosiConfig(Map<String, Object> tree, Map<Path, VersionFile> versionFiles, List<Scope> scopes) {
        this.tree = tree;
        this.versionFiles = versionFiles;
        this.scopes = scopes;
    }

    /**
     * Builds and checks the configuration; nothing is written yet.
     *
     * @param base where relative paths of the request are resolved
     * @param work the private working directory, where the version copies will go
     */
    static UplosiConfig prepare(UploadRequest request, ProviderCredentials credentials, Path base, Path work) {
        Path configDir = request.configDir() == null ? null : base.resolve(request.configDir());
        Map<String, Object> tree = configDir == null ? new LinkedHashMap<>() : readUserConfig(configDir);
        Map<String, Object> baseTable = table(tree, "base");
        applyRequest(request, credentials, base, baseTable);
        Map<Path, VersionFile> versionFiles = new LinkedHashMap<>();
        Path versionsDir = work.resolve("versions");
        redirectVersionFile(baseTable, request.imageVersionFile() != null ? base : configDir, versionsDir,
                versionFiles, request.imageVersionFile() != null ? "imageVersionFile" : "uplosi.conf base.imageVersionFile");
        for (Map.Entry<String, Map<String, Object>> v : variants(tree).entrySet()) {
            redirectVersionFile(v.getValue(), configDir, versionsDir, versionFiles,
                    "uplosi.conf variant." + v.getKey() + ".imageVersionFile");
        }
        List<Scope> scopes = scopes(request, tree, versionFiles);
        ConfigChecks.check(request.provider(), credentials, scopes);
        if (request.incrementVersion() && scopes.stream().allMatch(s -> s.versionFile() == null)) {
            throw new InvalidRequestException("incrementVersion: --increment-version needs a version file to bump,"
                    + " and none is configured; give --image-version-file FILE.");
        }
        return new UplosiConfig(tree, versionFiles, scopes);
    }

    List<Scope> scopes() {
        return scopes;
    }

    List<VersionFile> versionFiles() {
        return List.copyOf(versionFiles.values());
    }

    /** The version uploaded: that of the first variant uploaded (uplosi goes in name order). */
    String version() {
        return scopes.get(0).version();
    }

    /** The version file that is reported as bumped: the first variant's, or the first one configured. */
    VersionFile primaryVersionFile() {
        return scopes.stream().map(Scope::versionFile).filter(v -> v != null).findFirst().orElse(null);
    }

    String toToml() {
        try {
            return TOML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes uplosi.conf and the version copies into the working directory. */
    void write(Path work) throws IOException {
        Files.writeString(work.resolve(FILE_NAME), toToml(), StandardCharsets.UTF_8);
        for (VersionFile file : versionFiles.values()) {
            file.writeCopy();
        }
    }

    private static void applyRequest(UploadRequest request, ProviderCredentials credentials, Path base,
            Map<String, Object> baseTable) {
        baseTable.put("provider", request.provider().id());
        if (request.name() != null) {
            baseTable.put("name", request.name());
        }
        if (request.imageVersion() != null) {
            baseTable.put("imageVersion", request.imageVersion());
            baseTable.remove("imageVersionFile");
        }
        if (request.imageVersionFile() != null) {
            baseTable.put("imageVersionFile", base.resolve(request.imageVersionFile()).toString());
            baseTable.remove("imageVersion");
        }
        Map<String, Object> providerTable = table(baseTable, request.provider().id());
        request.settings().forEach((key, value) -> providerTable.put(key.substring(key.indexOf('.') + 1), value));
        credentials.impliedSettings(request.provider()).forEach(providerTable::putIfAbsent);
    }

    private static void redirectVersionFile(Map<String, Object> table, Path relativeTo, Path versionsDir,
            Map<Path, VersionFile> versionFiles, String field) {
        Object name = table.get("imageVersionFile");
        if (!(name instanceof String text) || text.isBlank()) {
            return;
        }
        Path original = (relativeTo == null ? Path.of(text) : relativeTo.resolve(text)).toAbsolutePath().normalize();
        VersionFile file = versionFiles.computeIfAbsent(original, o -> VersionFile.read(o,
                versionsDir.resolve(versionFiles.size() + ".version"), field));
        table.put("imageVersionFile", file.copy().toString());
    }

    private static List<Scope> scopes(UploadRequest request, Map<String, Object> tree,
            Map<Path, VersionFile> versionFiles) {
        Map<String, Object> baseTable = table(tree, "base");
        Map<String, Map<String, Object>> variants = variants(tree);
        List<Scope> scopes = new ArrayList<>();
        if (variants.isEmpty()) {
            refuseVariantGlobs(request);
            scopes.add(scope(null, baseTable, versionFiles));
            return scopes;
        }
        List<String> names = variants.keySet().stream().sorted()
                .filter(n -> matchesAny(request.enableVariants().isEmpty() ? List.of("*") : request.enableVariants(), n))
                .filter(n -> !matchesAny(request.disableVariants(), n)).toList();
        if (names.isEmpty()) {
            throw new InvalidRequestException("variants: --enable-variant " + request.enableVariants()
                    + " and --disable-variant " + request.disableVariants() + " leave no variant to upload; the"
                    + " configuration has: " + String.join(", ", variants.keySet().stream().sorted().toList()) + ".");
        }
        for (String name : names) {
            scopes.add(scope(name, merge(baseTable, variants.get(name)), versionFiles));
        }
        return scopes;
    }

    /** A glob that selects among no variants is a mistake (a wrong configDir, a forgotten uplosi.conf.d/). */
    private static void refuseVariantGlobs(UploadRequest request) {
        String field = !request.enableVariants().isEmpty() ? "enableVariants"
                : !request.disableVariants().isEmpty() ? "disableVariants" : null;
        if (field != null) {
            List<String> globs = field.equals("enableVariants") ? request.enableVariants() : request.disableVariants();
            throw new InvalidRequestException(field + ": " + globs + " select variants, but the configuration defines"
                    + " none (variants are [variant.<name>] tables in the uplosi.conf or uplosi.conf.d/ of configDir);"
                    + " drop " + field + ", or give the configuration that defines them.");
        }
    }

    private static Scope scope(String variant, Map<String, Object> settings, Map<Path, VersionFile> versionFiles) {
        Object file = settings.get("imageVersionFile");
        if (file instanceof String copy && !copy.isBlank()) {
            VersionFile v = versionFiles.values().stream().filter(f -> f.copy().toString().equals(copy)).findFirst()
                    .orElseThrow();
            return new Scope(variant, settings, v.version(), v);
        }
        Object version = settings.get("imageVersion");
        return new Scope(variant, settings, version instanceof String s && !s.isBlank() ? s : null, null);
    }

    private static boolean matchesAny(List<String> globs, String name) {
        for (String glob : globs) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (matcher.matches(Path.of(name))) {
                return true;
            }
        }
        return false;
    }

    /** uplosi.conf first, then uplosi.conf.d/*.conf in name order, each merged over the last. */
    private static Map<String, Object> readUserConfig(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw InvalidRequestException.of("configDir", dir, "the configuration directory must exist and hold"
                    + " uplosi.conf and/or uplosi.conf.d/*.conf");
        }
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve(FILE_NAME))) {
            files.add(dir.resolve(FILE_NAME));
        }
        Path confD = dir.resolve("uplosi.conf.d");
        if (Files.isDirectory(confD)) {
            try (Stream<Path> entries = Files.list(confD)) {
                entries.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw InvalidRequestException.of("configDir", confD, "the directory cannot be read: " + e.getMessage());
            }
        }
        if (files.isEmpty()) {
            throw InvalidRequestException.of("configDir", dir, "it holds neither uplosi.conf nor uplosi.conf.d/*.conf");
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Path file : files) {
            tree = merge(tree, readToml(file));
        }
        return tree;
    }

    private static Map<String, Object> readToml(Path file) {
        try {
            return TOML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new InvalidRequestException("configDir: " + file + " is not valid TOML: "
                    + e.getMessage().lines().findFirst().orElse("") + ".");
        }
    }

    /**
     * Merges as uplosi's mergo does with WithOverride: tables merge key by key, and any other value of the
     * overlay replaces the base's unless it is empty (an empty string or list does not unset anything).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> out = deepCopy(base);
        overlay.forEach((key, value) -> {
            Object existing = out.get(key);
            if (existing instanceof Map && value instanceof Map) {
                out.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) value));
            } else if (!isEmpty(value)) {
                out.put(key, value instanceof Map ? deepCopy((Map<String, Object>) value) : value);
            }
        });
        return out;
    }

    private static boolean isEmpty(Object value) {
        return value == null || value instanceof String s && s.isEmpty() || value instanceof List<?> l && l.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map ? deepCopy((Map<String, Object>) v) : v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> table(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        if (value != null) {
            throw new InvalidRequestException("configDir: '" + key + "' must be a table in uplosi.conf, not '"
                    + value + "'.");
        }
        Map<String, Object> table = new LinkedHashMap<>();
        parent.put(key, table);
        return table;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> variants(Map<String, Object> tree) {
        Object value = tree.get("variant");
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, table) -> {
                if (!(table instanceof Map)) {
                    throw new InvalidRequestException("configDir: variant." + name + " must be a table in uplosi.conf.");
                }
                variants.put((String) name, (Map<String, Object>) table);
            });
        }
        return variants;
    }
}
