package io.podvm.engine.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Random uplosi configuration directories for the differential test: {@code uplosi.conf}, drop-ins in
 * {@code uplosi.conf.d} (and files uplosi skips), version files, and in every {@code [base]} or
 * {@code [variant.NAME]} table a random choice of settings of every type, empty values and zeros included,
 * sometimes with keys in another case or keys uplosi does not know.
 */
final class UplosiConfigGenerator {
    /** Values to draw from per key; every type of uplosi's Config, with its empty value. */
    private static final Map<String, List<Object>> VALUES = values();
    private static final List<String> VARIANTS = List.of("a", "b", "debug", "prod", "\"v1.2\"", "\"night ly\"");
    private static final List<String> DROP_INS = List.of("10-net.conf", "9-late.conf", "20_z.conf", "A.conf",
            "b.conf", ".hidden.conf", "notes.txt", "x.conf.bak");

    private final Random random;

    UplosiConfigGenerator(long seed) {
        this.random = new Random(seed);
    }

    private static Map<String, List<Object>> values() {
        Map<String, List<Object>> v = new LinkedHashMap<>();
        v.put("provider", List.of("aws", "openstack", "gcp", "azure", ""));
        v.put("name", List.of("podvm", "img-a", "Podvm-X", ""));
        v.put("imageVersion", List.of("1.0.0", "2.3.4", "0.0.1", ""));
        v.put("imageVersionFile", List.of("VERSION", "v2.version", "missing.version", ""));
        v.put("aws.region", List.of("eu-central-1", "us-east-1", ""));
        v.put("aws.bucket", List.of("bucket-a", "bucket-b", ""));
        v.put("aws.amiName", List.of("{{.Name}}-custom-{{.Version}}", "ami-fixed", ""));
        v.put("aws.replicationRegions", List.of(List.of(), List.of("eu-west-1"), List.of("eu-west-1", "us-west-2")));
        v.put("aws.publish", List.of(true, false));
        v.put("azure.location", List.of("northeurope", "westus", ""));
        v.put("azure.additionalSignatures", List.of(List.of(), List.of("sig1")));
        v.put("gcp.project", List.of("proj-1", "proj-2", ""));
        v.put("openstack.cloud", List.of("cloud-a", "cloud-b", ""));
        v.put("openstack.visibility", List.of("public", "private", ""));
        v.put("openstack.tags", List.of(List.of(), List.of("a"), List.of("a", "b")));
        v.put("openstack.properties", List.of(Map.of(), Map.of("k", "v"), Map.of("k", ""),
                new LinkedHashMap<>(Map.of("a", "1", "k", "w"))));
        v.put("openstack.hidden", List.of(true, false));
        v.put("openstack.protected", List.of(true, false));
        v.put("openstack.minDiskGB", List.of(0L, 32L, 10L, -1L));
        v.put("openstack.minRamMB", List.of(0L, 512L));
        return v;
    }

    /** Writes one directory. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (random.nextInt(30) > 0) { // uplosi refuses a directory without uplosi.conf
            Files.writeString(dir.resolve("uplosi.conf"), file(true));
        }
        Files.writeString(dir.resolve("VERSION"), pick(List.of("1.2.3\n", "4.5.6", " 7.8.9 \n")));
        Files.writeString(dir.resolve("v2.version"), pick(List.of("0.9.1\n", "10.0.0")));
        int dropIns = random.nextInt(4);
        if (random.nextInt(60) == 0) { // uplosi stops when uplosi.conf.d is not a directory
            Files.writeString(dir.resolve("uplosi.conf.d"), "[base]\n");
        } else if (dropIns > 0) {
            Path confD = Files.createDirectories(dir.resolve("uplosi.conf.d"));
            for (int i = 0; i < dropIns; i++) {
                Files.writeString(confD.resolve(pick(DROP_INS)), file(false));
            }
            if (random.nextInt(8) == 0) {
                Files.createDirectories(confD.resolve("skipped-dir.conf"));
            }
        }
    }

    private String file(boolean main) {
        StringBuilder toml = new StringBuilder();
        if (random.nextInt(10) < (main ? 9 : 6)) {
            table(toml, random.nextInt(6) == 0 ? "Base" : "base");
        }
        int variants = random.nextInt(main ? 4 : 3);
        List<String> names = new ArrayList<>(VARIANTS);
        for (int i = 0; i < variants; i++) {
            table(toml, (random.nextInt(8) == 0 ? "Variant." : "variant.") + names.remove(random.nextInt(names.size())));
        }
        if (random.nextInt(10) == 0) {
            toml.append("[something]\nkey = \"uplosi ignores this table\"\n");
        }
        return toml.toString();
    }

    /** One table: top-level keys first, then one sub-table per provider section. */
    private void table(StringBuilder toml, String path) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        VALUES.forEach((key, options) -> {
            if (random.nextInt(4) == 0) {
                chosen.put(key, pick(options));
            }
        });
        toml.append('[').append(path).append("]\n");
        chosen.forEach((key, value) -> {
            if (!key.contains(".")) {
                toml.append(caseOf(key)).append(" = ").append(toml(value)).append('\n');
            }
        });
        if (random.nextInt(12) == 0) {
            toml.append("imageVersionTypo = \"9.9.9\"\n");
        }
        if (random.nextInt(40) == 0) { // a value of the wrong type: uplosi refuses the file
            toml.append(pick(List.of("name = 7", "imageVersion = 1.0", "provider = [\"aws\"]"))).append('\n');
        }
        Map<String, List<String>> sections = chosen.keySet().stream().filter(k -> k.contains("."))
                .collect(Collectors.groupingBy(k -> k.substring(0, k.indexOf('.')), LinkedHashMap::new,
                        Collectors.toList()));
        sections.forEach((section, keys) -> {
            toml.append('[').append(path).append('.').append(random.nextInt(8) == 0
                    ? section.toUpperCase(Locale.ROOT) : section).append("]\n");
            for (String key : keys) {
                toml.append(caseOf(key.substring(key.indexOf('.') + 1))).append(" = ").append(toml(chosen.get(key)))
                        .append('\n');
            }
            if (random.nextInt(12) == 0) {
                toml.append("regoin = \"typo\"\n");
            }
            if (random.nextInt(40) == 0) { // a value of the wrong type: uplosi refuses the file
                toml.append(pick(List.of("publish = \"yes\"", "minDiskGB = \"32\"", "tags = [1, 2]",
                        "properties = {k = 1}", "hidden = 1"))).append('\n');
            }
        });
    }

    /** Mostly the key as uplosi spells it; sometimes another case, which uplosi's decoder accepts. */
    private String caseOf(String key) {
        return switch (random.nextInt(10)) {
            case 0 -> key.toUpperCase(Locale.ROOT);
            case 1 -> key.toLowerCase(Locale.ROOT);
            default -> key;
        };
    }

    private static String toml(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(UplosiConfigGenerator::toml).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + " = " + toml(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
