package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.upload.UplosiConfigOracle.Reading;
import io.podvm.engine.upload.UplosiConfigOracle.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * podvm reads a configuration directory as uplosi 0.4.0 does, checked against uplosi's own code
 * ({@link UplosiConfigOracle}) on generated directories ({@link UplosiConfigGenerator}):
 * <ol>
 * <li>the same error, or per variant the same merged settings (base, drop-ins and variant as podvm
 * merges them = uplosi's RenderedVariant before defaults), and the same version from a version file;</li>
 * <li>the uplosi.conf podvm writes, read by uplosi, gives the same effective configuration (defaults and
 * templates filled in) as the user's directory read by uplosi.</li>
 * </ol>
 * Replay a failure with {@code -Dpodvm.differential.seed=SEED}; {@code -Dpodvm.differential.count=N} sets
 * the number of directories (150).
 */
class UplosiMergeDifferentialTest {
    private static final long SEED = Long.getLong("podvm.differential.seed", System.nanoTime());
    private static final int COUNT = Integer.getInteger("podvm.differential.count", 150);

    @TempDir
    Path dir;

    private final List<String> disagreements = new ArrayList<>();
    private int variantsCompared;
    private int versionsCompared;
    private int errorsCompared;
    private int warnings;

    @Test
    void theOracleIsBuiltAgainstThePinnedUplosiAndItsMergo() throws Exception {
        assertThat(UplosiConfigOracle.versions()).contains("github.com/edgelesssys/uplosi v0.4.0",
                "dario.cat/mergo v1.0.1", "github.com/BurntSushi/toml v1.4.0");
    }

    @Test
    void podvmReadsEveryGeneratedDirectoryAsUplosiDoes() throws Exception {
        System.out.println("uplosi differential: seed " + SEED + ", " + COUNT + " directories (replay with"
                + " -Dpodvm.differential.seed=" + SEED + ")");
        UplosiConfigGenerator generator = new UplosiConfigGenerator(SEED);
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Path d = dir.resolve(String.format("d%03d", i));
            generator.write(d);
            dirs.add(d);
        }
        List<Reading> readings = UplosiConfigOracle.read(dirs);

        Map<Integer, Path> roundTrips = new LinkedHashMap<>();
        for (int i = 0; i < COUNT; i++) {
            Map<String, Map<String, Object>> podvm = compare(i, dirs.get(i), readings.get(i));
            if (podvm != null) {
                roundTrips.put(i, writeAsPodvmDoes(dirs.get(i), podvm));
            }
        }
        List<Reading> again = UplosiConfigOracle.read(List.copyOf(roundTrips.values()));
        int k = 0;
        for (Map.Entry<Integer, Path> roundTrip : roundTrips.entrySet()) {
            compareRoundTrip(roundTrip.getKey(), dirs.get(roundTrip.getKey()), readings.get(roundTrip.getKey()),
                    again.get(k++));
        }

        System.out.println("uplosi differential: seed " + SEED + ": " + COUNT + " directories, " + variantsCompared
                + " variants compared, " + versionsCompared + " versions from files, " + errorsCompared
                + " directories both refuse, " + roundTrips.size() + " round trips, " + warnings + " warnings, "
                + disagreements.size() + " disagreements");
        if (!disagreements.isEmpty()) {
            fail("podvm and uplosi 0.4.0 read " + disagreements.size() + " generated directories differently (seed "
                    + SEED + "; replay with -Dpodvm.differential.seed=" + SEED + "):\n\n"
                    + String.join("\n\n", disagreements.subList(0, Math.min(5, disagreements.size()))));
        }
        // Not vacuous: most directories have variants that both read.
        assertThat(variantsCompared).isGreaterThanOrEqualTo(COUNT);
        assertThat(versionsCompared).isPositive();
        assertThat(warnings).isPositive();
    }

    /** podvm's settings per variant ({@code null}: no variants), or null when podvm refuses the directory. */
    private Map<String, Map<String, Object>> compare(int i, Path d, Reading uplosi) throws IOException {
        List<String> warned = new ArrayList<>();
        UplosiConfigFiles files;
        try {
            files = UplosiConfigFiles.read(d, warned::add);
        } catch (InvalidRequestException e) {
            if (uplosi.error() == null) {
                disagree(i, d, "podvm refuses the directory, uplosi reads it: " + e.getMessage());
            }
            errorsCompared++;
            return null;
        }
        warnings += warned.size();
        if (uplosi.error() != null) {
            disagree(i, d, "uplosi refuses the directory, podvm reads it: " + uplosi.error());
            return null;
        }
        List<String> names = files.variantNames().isEmpty() ? List.of("") : files.variantNames();
        List<String> uplosiNames = uplosi.variants().stream().map(Variant::name).toList();
        if (!names.equals(uplosiNames)) {
            disagree(i, d, "variants: podvm " + names + ", uplosi " + uplosiNames);
            return null;
        }
        Map<String, Map<String, Object>> podvm = new LinkedHashMap<>();
        for (Variant variant : uplosi.variants()) {
            String name = variant.name().isEmpty() ? null : variant.name();
            Map<String, Object> settings = UplosiConfig.values(files.effective(name, w -> warnings++));
            podvm.put(name, settings);
            variantsCompared++;
            String diff = diff(settings, variant.merged());
            if (!diff.isEmpty()) {
                disagree(i, d, "variant '" + variant.name() + "', merged settings:\n" + diff);
            }
            compareVersion(i, d, variant, settings);
        }
        return podvm;
    }

    /** uplosi reads the version file before it validates, so a later (validation) error still has it. */
    private void compareVersion(int i, Path d, Variant variant, Map<String, Object> settings) {
        if (!(settings.get("imageVersionFile") instanceof String file)) {
            return;
        }
        boolean uplosiRead = variant.renderError() == null || !variant.renderError().contains(file);
        String version;
        try {
            version = VersionFile.read(d.resolve(file), dir.resolve("copy-" + i), "imageVersionFile").version();
        } catch (InvalidRequestException e) {
            if (uplosiRead) {
                disagree(i, d, "variant '" + variant.name() + "': podvm cannot read " + file + ", uplosi reads "
                        + variant.effective().get("imageVersion") + ": " + e.getMessage());
            }
            return;
        }
        versionsCompared++;
        if (!uplosiRead || !version.equals(variant.effective().get("imageVersion"))) {
            disagree(i, d, "variant '" + variant.name() + "': podvm reads version " + version + " from " + file
                    + ", uplosi " + (uplosiRead ? variant.effective().get("imageVersion") : variant.renderError()));
        }
    }

    /** podvm's uplosi.conf for these settings, version files named by absolute path as podvm does. */
    private Path writeAsPodvmDoes(Path d, Map<String, Map<String, Object>> variants) throws IOException {
        Map<String, Map<String, Object>> absolute = new LinkedHashMap<>();
        variants.forEach((name, settings) -> {
            Map<String, Object> copy = new LinkedHashMap<>(settings);
            copy.computeIfPresent("imageVersionFile", (k, v) -> d.resolve((String) v).toString());
            absolute.put(name, copy);
        });
        Path out = Files.createDirectories(dir.resolve("podvm-" + d.getFileName()));
        Files.writeString(out.resolve("uplosi.conf"), UplosiConfig.toToml(UplosiConfig.tree(absolute)));
        return out;
    }

    private void compareRoundTrip(int i, Path d, Reading user, Reading podvm) {
        if (podvm.error() != null) {
            disagree(i, d, "uplosi cannot read the uplosi.conf podvm writes: " + podvm.error());
            return;
        }
        for (int v = 0; v < user.variants().size(); v++) {
            Variant expected = user.variants().get(v);
            Variant actual = podvm.variants().get(v);
            Map<String, Object> want = new LinkedHashMap<>(expected.effective());
            Map<String, Object> got = new LinkedHashMap<>(actual.effective());
            want.remove("imageVersionFile");
            got.remove("imageVersionFile");
            String diff = diff(got, want);
            if (!diff.isEmpty() || (expected.renderError() == null) != (actual.renderError() == null)) {
                disagree(i, d, "variant '" + expected.name() + "', uplosi reading podvm's uplosi.conf (podvm) and the"
                        + " user's directory (uplosi):\n" + diff + "  render errors: podvm's file "
                        + actual.renderError() + ", user's " + expected.renderError());
            }
        }
    }

    private static String diff(Map<String, Object> podvm, Map<String, Object> uplosi) {
        StringBuilder out = new StringBuilder();
        TreeSet<String> keys = new TreeSet<>(podvm.keySet());
        keys.addAll(uplosi.keySet());
        for (String key : keys) {
            if (!Objects.equals(podvm.get(key), uplosi.get(key))) {
                out.append("  ").append(key).append(": podvm ").append(shown(podvm, key)).append(", uplosi ")
                        .append(shown(uplosi, key)).append('\n');
            }
        }
        return out.toString();
    }

    private static String shown(Map<String, Object> settings, String key) {
        return settings.containsKey(key) ? UplosiMerge.toml(settings.get(key)) : "(unset)";
    }

    private void disagree(int i, Path d, String what) {
        disagreements.add("directory " + i + " of seed " + SEED + ": " + what + "\n" + contents(d));
    }

    /** The files as uplosi reads them, for the failure message. */
    private static String contents(Path d) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(d)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(file);
                out.append("---- ").append(d.relativize(file)).append('\n').append(text)
                        .append(text.endsWith("\n") ? "" : "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().indent(4);
    }
}
