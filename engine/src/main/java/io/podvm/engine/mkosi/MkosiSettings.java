package io.podvm.engine.mkosi;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.PodvmException;
import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.ExecResult;
import io.podvm.engine.process.ExecSpec;
import io.podvm.engine.process.ProcessRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the translator knows about mkosi, in one place: the settings table of the mkosi that will run
 * (asked from mkosi itself, since which settings exist and which may stand in a subimage change from version
 * to version), and the few layout changes between versions that no table of mkosi's tells.
 */
final class MkosiSettings {
    /** One row of mkosi's own table ({@code mkosi.config.SETTINGS}). */
    record Setting(String name, String section, boolean refusedInSubimage, boolean inheritedBySubimage,
            List<String> implicitPaths) {
        /** Settings that only the top-level (main) configuration may hold, or that reach subimages from it anyway. */
        boolean mainOnly() {
            return refusedInSubimage || inheritedBySubimage;
        }
    }

    /** A change of layout between mkosi versions: what older trees call {@code before}, {@code since} calls {@code after}. */
    record LayoutChange(int since, String before, String after, String why) {
    }

    /** The layout changes, oldest first; the settings themselves come from {@link #byName}. */
    static final List<LayoutChange> LAYOUT_CHANGES = List.of(
            new LayoutChange(19, "mkosi.presets", "mkosi.images", "subimages moved from mkosi.presets/ to mkosi.images/"),
            new LayoutChange(19, "[Preset]", "[Config]", "Dependencies= moved from [Preset] to [Config]"),
            new LayoutChange(25, "mkosi.pkgmngr", "mkosi.sandbox", "mkosi.pkgmngr/ was renamed mkosi.sandbox/"));

    private static final String PROBE = "mkosi-settings.py";
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

    private final MkosiVersion version;
    private final Map<String, Setting> byName;

    MkosiSettings(MkosiVersion version, List<Setting> settings) {
        this.version = version;
        this.byName = new LinkedHashMap<>();
        settings.forEach(s -> byName.put(s.name(), s));
    }

    MkosiVersion version() {
        return version;
    }

    Optional<Setting> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    boolean mainOnly(String name) {
        return get(name).map(Setting::mainOnly).orElse(false);
    }

    boolean refusedInSubimage(String name) {
        return get(name).map(Setting::refusedInSubimage).orElse(false);
    }

    List<Setting> all() {
        return List.copyOf(byName.values());
    }

    /**
     * Asks the mkosi at {@code launcher} for its table, with the interpreter named on the launcher's first line:
     * the {@code python3} on PATH may be another Python, without mkosi.
     */
    /** Debian's Python, whose path holds the mkosi that apt installed: for a launcher that is not a Python script. */
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    static MkosiSettings ask(Path launcher, MkosiVersion version, BuildLog log) {
        Optional<String> ownInterpreter = interpreterOf(launcher);
        String interpreter = ownInterpreter.orElse(SYSTEM_PYTHON);
        Path probe = null;
        try {
            probe = Files.createTempFile("podvm-mkosi-settings-", ".py");
            try (InputStream in = MkosiSettings.class.getResourceAsStream(PROBE)) {
                Files.write(probe, in.readAllBytes());
            }
            ExecResult result = new ProcessRunner(log).run(ExecSpec.of(interpreter, probe.toString(), launcher.toString())
                    .timeout(PROBE_TIMEOUT).captureOutput());
            if (!result.succeeded()) {
                throw new PodvmException("Could not read the settings table of mkosi " + version + " at " + launcher
                        + " with " + interpreter + " (exit " + result.exitCode() + "): " + lastLine(result.output())
                        + ". podvm needs it to translate trees; check that this mkosi runs.");
            }
            if (ownInterpreter.isEmpty() && !version.toString().equals(moduleVersion(result.output()))) {
                throw new PodvmException(launcher + " is not mkosi's Python launcher script (a wrapper?), and the mkosi"
                        + " that " + SYSTEM_PYTHON + " imports is " + moduleVersion(result.output()) + ", not " + version
                        + ", so podvm cannot read this mkosi's settings table; point --mkosi at mkosi's own launcher"
                        + " (Debian's /usr/bin/mkosi, or the ones scripts/install-tools.sh writes).");
            }
            return new MkosiSettings(version, parse(result.output()));
        } catch (IOException e) {
            throw new PodvmException("Could not read the settings table of mkosi at " + launcher + ": " + e + ".", e);
        } finally {
            deleteQuietly(probe);
        }
    }

    static List<Setting> parse(List<String> output) throws IOException {
        String json = output.stream().filter(l -> l.startsWith("[")).reduce((a, b) -> b).orElse("[]");
        List<Setting> settings = new ArrayList<>();
        for (JsonNode row : Json.read(json)) {
            List<String> paths = new ArrayList<>();
            row.path("implicitPaths").forEach(p -> paths.add(p.asText()));
            settings.add(new Setting(row.path("name").asText(), row.path("section").asText(),
                    row.path("refusedInSubimage").asBoolean(), row.path("inheritedBySubimage").asBoolean(), paths));
        }
        if (settings.isEmpty()) {
            throw new IOException("the probe printed no settings");
        }
        return settings;
    }

    /** The interpreter on the launcher's first line, or none when the launcher is not a Python script. */
    private static Optional<String> interpreterOf(Path launcher) {
        try (InputStream in = Files.newInputStream(launcher)) {
            String first = new String(in.readNBytes(256), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (first.startsWith("#!") && first.contains("python")) {
                return Optional.of(first.substring(2).trim().split("\\s+")[0]);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new PodvmException("Could not read the mkosi launcher " + launcher + ": " + e.getMessage() + ".", e);
        }
    }

    private static String moduleVersion(List<String> output) {
        return output.stream().filter(l -> l.startsWith("mkosi-version ")).map(l -> l.substring(14).strip())
                .findFirst().orElse("unknown");
    }

    private static String lastLine(List<String> lines) {
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file of a few kilobytes; nothing to act on
            }
        }
    }
}
