package io.podvm.engine.upload;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.upload.UplosiMerge.Sourced;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uplosi configuration of one upload: the user's {@code uplosi.conf} and {@code uplosi.conf.d/*.conf}
 * read and merged exactly as uplosi 0.4.0's code does ({@link UplosiConfigFiles}), each variant
 * uploaded merged over the base as uplosi renders it, then the explicit options over every variant
 * ({@link ExplicitOptions}), version files redirected to private copies, checked the way uplosi checks it
 * (so that a mistake is reported before anything is uploaded) and written as one {@code uplosi.conf} into
 * the private working directory. That file holds each variant uploaded fully merged (or the base alone
 * when there are no variants), so that uplosi's own merging finds nothing left to decide: an option can
 * then replace even a boolean that the files set. One merged file, rather than {@code -c DIR}, also
 * because uplosi 0.4.0 reads {@code uplosi.conf.d} relative to its working directory even with {@code -c}.
 */
final class UplosiConfig {
    static final String FILE_NAME = "uplosi.conf";
    private static final TomlMapper TOML = new TomlMapper();

    private final Map<String, Object> tree;
    private final Map<Path, VersionFile> versionFiles;
    private final List<Scope> scopes;
    private final List<String> warnings;
    private final List<String> notes;

    /** A variant as uplosi renders it (base merged with the variant), or the base when there are none. */
    record Scope(String variant, Map<String, Object> settings, String version, VersionFile versionFile) {
        String label() {
            return variant == null ? "" : " (variant " + variant + ")";
        }
    }

    private UplosiConfig(Map<String, Object> tree, Map<Path, VersionFile> versionFiles, List<Scope> scopes,
            List<String> warnings, List<String> notes) {
        this.tree = tree;
        this.versionFiles = versionFiles;
        this.scopes = scopes;
        this.warnings = List.copyOf(warnings);
        this.notes = List.copyOf(notes);
    }

    /**
     * Builds and checks the configuration; nothing is written yet.
     *
     * @param base where relative paths of the request are resolved
     * @param work the private working directory, where the version copies will go
     */
    static UplosiConfig prepare(UploadRequest request, ProviderCredentials credentials, Path base, Path work) {
        Path configDir = request.configDir() == null ? null : base.resolve(request.configDir());
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        UplosiConfigFiles files = configDir == null ? UplosiConfigFiles.none()
                : UplosiConfigFiles.read(configDir, warnings::add);
        ExplicitOptions options = new ExplicitOptions(request, credentials, base);
        Map<Path, VersionFile> versionFiles = new LinkedHashMap<>();
        Path versionsDir = work.resolve("versions");
        List<Scope> scopes = new ArrayList<>();
        Map<String, Map<String, Object>> written = new LinkedHashMap<>();
        for (String variant : selectedVariants(request, files)) {
            Map<String, Sourced> settings = files.effective(variant, warnings::add);
            options.apply(settings, variant == null ? "" : " in variant " + variant, notes::add);
            VersionFile versionFile = redirectVersionFile(settings, configDir, versionsDir, versionFiles);
            Map<String, Object> flat = values(settings);
            written.put(variant, flat);
            scopes.add(scope(variant, flat, versionFile));
        }
        ConfigChecks.check(request.provider(), credentials, scopes);
        if (request.incrementVersion() && scopes.stream().allMatch(s -> s.versionFile() == null)) {
            throw new InvalidRequestException("incrementVersion: --increment-version needs a version file to bump,"
                    + " and none is configured; give --image-version-file FILE.");
        }
        return new UplosiConfig(tree(written), versionFiles, scopes, warnings, notes);
    }

    /** What uplosi would silently ignore in the user's files, with the file and key of each. */
    List<String> warnings() {
        return warnings;
    }

    /** Each value of the files that an explicit option replaced. */
    List<String> notes() {
        return notes;
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
        return toToml(tree);
    }

    /** Writes uplosi.conf and the version copies into the working directory. */
    void write(Path work) throws IOException {
        Files.writeString(work.resolve(FILE_NAME), toToml(), StandardCharsets.UTF_8);
        for (VersionFile file : versionFiles.values()) {
            file.writeCopy();
        }
    }

    /**
     * The variants uploaded, in uplosi's order (by name), or a single {@code null} when the configuration
     * has no variants.
     */
    private static List<String> selectedVariants(UploadRequest request, UplosiConfigFiles files) {
        List<String> all = files.variantNames();
        if (all.isEmpty()) {
            refuseVariantGlobs(request);
            return Collections.singletonList(null);
        }
        List<String> names = all.stream()
                .filter(n -> matchesAny(request.enableVariants().isEmpty() ? List.of("*") : request.enableVariants(), n))
                .filter(n -> !matchesAny(request.disableVariants(), n)).toList();
        if (names.isEmpty()) {
            throw new InvalidRequestException("variants: --enable-variant " + request.enableVariants()
                    + " and --disable-variant " + request.disableVariants() + " leave no variant to upload; the"
                    + " configuration has: " + String.join(", ", all) + ".");
        }
        return names;
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

    /**
     * Points imageVersionFile at a private copy (uplosi's -i bumps that, and we bump the original only
     * after a successful upload). A file named in the configuration is relative to its directory, as for
     * uplosi run there; one given as an option is relative to the base.
     */
    private static VersionFile redirectVersionFile(Map<String, Sourced> settings, Path configDir, Path versionsDir,
            Map<Path, VersionFile> versionFiles) {
        Sourced name = settings.get("imageVersionFile");
        if (name == null || !(name.value() instanceof String text) || text.isBlank()) {
            return null;
        }
        Path relativeTo = ExplicitOptions.isOption(name) || configDir == null ? null : configDir;
        Path original = (relativeTo == null ? Path.of(text) : relativeTo.resolve(text)).toAbsolutePath().normalize();
        String field = ExplicitOptions.isOption(name) ? "imageVersionFile" : name.source() + " imageVersionFile";
        VersionFile file = versionFiles.computeIfAbsent(original, o -> VersionFile.read(o,
                versionsDir.resolve(versionFiles.size() + ".version"), field));
        settings.put("imageVersionFile", new Sourced(file.copy().toString(), name.source()));
        return file;
    }

    private static Scope scope(String variant, Map<String, Object> flat, VersionFile versionFile) {
        if (versionFile != null) {
            return new Scope(variant, nested(flat), versionFile.version(), versionFile);
        }
        Object version = flat.get("imageVersion");
        return new Scope(variant, nested(flat), version instanceof String s && !s.isBlank() ? s : null, null);
    }

    /** The values alone, leaving out what uplosi treats as unset. */
    static Map<String, Object> values(Map<String, Sourced> settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (!UplosiMerge.isEmpty(value.value())) {
                values.put(key, value.value());
            }
        });
        return values;
    }

    /**
     * uplosi.conf of flat settings per variant: each variant's table holds all of its settings, or, with
     * no variants (the single key {@code null}), the base does.
     */
    static Map<String, Object> tree(Map<String, Map<String, Object>> variants) {
        Map<String, Object> tree = new LinkedHashMap<>();
        if (variants.size() == 1 && variants.containsKey(null)) {
            tree.put("base", nested(variants.get(null)));
            return tree;
        }
        Map<String, Object> tables = new LinkedHashMap<>();
        variants.forEach((name, flat) -> tables.put(name, nested(flat)));
        tree.put("variant", tables);
        return tree;
    }

    static String toToml(Map<String, Object> tree) {
        try {
            return TOML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code aws.publish -> true} as {@code aws -> {publish -> true}}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> flat) {
        Map<String, Object> out = new LinkedHashMap<>();
        flat.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot < 0) {
                out.put(key, value);
            } else {
                ((Map<String, Object>) out.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()))
                        .put(key.substring(dot + 1), value);
            }
        });
        return out;
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
}
