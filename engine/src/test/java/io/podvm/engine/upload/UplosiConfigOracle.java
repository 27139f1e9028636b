package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvm.engine.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * uplosi 0.4.0's own reading of configuration directories: the uplosi-config-oracle program
 * (engine/src/test/go/uplosi-config-oracle), built by scripts/install-tools.d/uplosi.sh against the
 * pinned uplosi module. Missing, it fails the test: there is no other way to know what uplosi does.
 */
final class UplosiConfigOracle {
    static final Path BINARY = Path.of(System.getProperty("podvm.uplosiConfigOracle",
            System.getenv().getOrDefault("PODVM_UPLOSI_CONFIG_ORACLE", "/opt/podvm-tools/bin/uplosi-config-oracle")));

    /** One variant as uplosi reads it ({@code ""}: the configuration has no variants). */
    record Variant(String name, Map<String, Object> merged, Map<String, Object> effective, String renderError) {
    }

    /** One directory: uplosi's error reading it, or its variants. */
    record Reading(String error, List<Variant> variants) {
    }

    private UplosiConfigOracle() {
    }

    static String versions() throws IOException, InterruptedException {
        return String.join("\n", run(List.of("--version"), BINARY.getParent()));
    }

    static List<Reading> read(List<Path> dirs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        dirs.forEach(d -> args.add(d.toAbsolutePath().toString()));
        List<Reading> readings = new ArrayList<>();
        for (String line : run(args, dirs.get(0))) {
            readings.add(reading(Json.read(line)));
        }
        if (readings.size() != dirs.size()) {
            fail("uplosi-config-oracle printed " + readings.size() + " readings for " + dirs.size() + " directories");
        }
        return readings;
    }

    private static List<String> run(List<String> args, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail("uplosi-config-oracle is not installed at " + BINARY + "; run scripts/install-tools.sh as root (its"
                    + " install-tools.d/uplosi.sh builds it against the pinned uplosi module), or point"
                    + " -Dpodvm.uplosiConfigOracle at it");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(args);
        Path err = Files.createTempFile("uplosi-config-oracle", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectError(err.toFile()).start();
            process.getOutputStream().close();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                fail("uplosi-config-oracle failed: " + Files.readString(err));
            }
            return lines;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static Reading reading(JsonNode node) {
        List<Variant> variants = new ArrayList<>();
        node.path("variants").forEach(v -> variants.add(new Variant(v.get("name").asText(),
                flat(v.get("merged")), flat(v.get("effective")),
                v.hasNonNull("renderError") ? v.get("renderError").asText() : null)));
        return new Reading(node.hasNonNull("error") ? node.get("error").asText() : null, variants);
    }

    /** JSON as the Java values podvm uses: Long, Boolean, String, List of String, Map of String. */
    private static Map<String, Object> flat(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
        return out;
    }

    private static Object value(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isObject()) {
            return flat(node);
        }
        return node.asText();
    }
}
