package io.podvm.engine.upload;

import io.podvm.engine.upload.UplosiMerge.Sourced;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The options of one upload ({@code --name}, {@code --image-version}, {@code --image-version-file},
 * {@code --set}; the step parameters of the same names) over one variant's configuration. They are the
 * most specific thing the user said, so they replace what any file says, in every variant uploaded, with
 * a note naming the file value each one replaced. Settings implied by the credentials (the AWS region)
 * only fill what the files leave unset.
 */
final class ExplicitOptions {
    private final UploadRequest request;
    private final ProviderCredentials credentials;
    private final Path base;

    ExplicitOptions(UploadRequest request, ProviderCredentials credentials, Path base) {
        this.request = request;
        this.credentials = credentials;
        this.base = base;
    }

    /**
     * @param scope how the notes name the variant, e.g. " in variant debug"
     */
    void apply(Map<String, Sourced> settings, String scope, Consumer<String> note) {
        fill(settings, "provider", request.provider().id(), "--provider");
        if (request.name() != null) {
            replace(settings, "name", request.name(), "--name " + request.name(), scope, note);
        }
        if (request.imageVersion() != null) {
            String option = "--image-version " + request.imageVersion();
            replace(settings, "imageVersion", request.imageVersion(), option, scope, note);
            remove(settings, "imageVersionFile", option, scope, note);
        }
        if (request.imageVersionFile() != null) {
            String option = "--image-version-file " + request.imageVersionFile();
            replace(settings, "imageVersionFile", base.resolve(request.imageVersionFile()).toString(), option, scope,
                    note);
            remove(settings, "imageVersion", option, scope, note);
        }
        request.settings().forEach((key, value) -> replace(settings, key, value,
                "--set " + key + "=" + (value instanceof String text ? text : UplosiMerge.toml(value)), scope, note));
        credentials.impliedSettings(request.provider()).forEach((key, value) ->
                fill(settings, request.provider().id() + "." + key, value, "the credentials"));
    }

    /** Whether a value came from an option rather than a file (its paths are relative to the base). */
    static boolean isOption(Sourced value) {
        return value.source().startsWith("--");
    }

    private static void replace(Map<String, Sourced> settings, String key, Object value, String option,
            String scope, Consumer<String> note) {
        Sourced old = settings.put(key, new Sourced(value, option));
        if (old != null && !UplosiMerge.isEmpty(old.value()) && !old.value().equals(value)) {
            note.accept(option + " replaces " + key + " = " + UplosiMerge.toml(old.value()) + " from "
                    + old.source() + scope + ".");
        }
    }

    private static void remove(Map<String, Sourced> settings, String key, String option, String scope,
            Consumer<String> note) {
        Sourced old = settings.remove(key);
        if (old != null && !UplosiMerge.isEmpty(old.value())) {
            note.accept(option + " replaces " + key + " = " + UplosiMerge.toml(old.value()) + " from "
                    + old.source() + scope + ".");
        }
    }

    private static void fill(Map<String, Sourced> settings, String key, Object value, String source) {
        Sourced old = settings.get(key);
        if (old == null || UplosiMerge.isEmpty(old.value())) {
            settings.put(key, new Sourced(value, source));
        }
    }
}
