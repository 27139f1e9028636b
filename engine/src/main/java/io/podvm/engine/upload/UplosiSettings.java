package io.podvm.engine.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.podvm.engine.InvalidRequestException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The provider settings of uplosi 0.4.0 ({@code config.go}: AWSConfig, AzureConfig, GCPConfig,
 * OpenStackConfig) and their TOML types. uplosi silently ignores keys it does not know, so a typo in
 * {@code --set aws.regoin=...} would only show up as a missing region far later; we reject it here.
 */
public final class UplosiSettings {
    /** The TOML type uplosi decodes a setting into. */
    public enum Type { STRING, STRING_LIST, BOOLEAN, INTEGER, STRING_MAP }

    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Map<String, Type> KNOWN = known();
    /** The keys of uplosi's Config itself, set with their own podvm options rather than --set. */
    private static final Map<String, Type> TOP_LEVEL = Map.of("provider", Type.STRING, "name", Type.STRING,
            "imageVersion", Type.STRING, "imageVersionFile", Type.STRING);
    private static final Map<String, String> BY_LOWER_CASE = byLowerCase();

    private UplosiSettings() {
    }

    private static Map<String, Type> known() {
        Map<String, Type> k = new LinkedHashMap<>();
        strings(k, "aws", "region", "amiName", "amiDescription", "bucket", "bucketLocationConstraint", "blobName",
                "snapshotName");
        k.put("aws.replicationRegions", Type.STRING_LIST);
        k.put("aws.publish", Type.BOOLEAN);
        strings(k, "azure", "subscriptionID", "location", "resourceGroup", "attestationVariant",
                "sharedImageGallery", "sharingProfile", "sharingNamePrefix", "imageDefinitionName", "offer", "sku",
                "publisher", "diskName");
        k.put("azure.replicationRegions", Type.STRING_LIST);
        k.put("azure.additionalSignatures", Type.STRING_LIST);
        strings(k, "gcp", "project", "location", "imageName", "imageFamily", "bucket", "blobName");
        strings(k, "openstack", "cloud", "imageName", "visibility");
        k.put("openstack.hidden", Type.BOOLEAN);
        k.put("openstack.tags", Type.STRING_LIST);
        k.put("openstack.minDiskGB", Type.INTEGER);
        k.put("openstack.minRamMB", Type.INTEGER);
        k.put("openstack.protected", Type.BOOLEAN);
        k.put("openstack.properties", Type.STRING_MAP);
        return Map.copyOf(k);
    }

    private static Map<String, String> byLowerCase() {
        Map<String, String> keys = new LinkedHashMap<>();
        KNOWN.keySet().forEach(k -> keys.put(k.toLowerCase(Locale.ROOT), k));
        TOP_LEVEL.keySet().forEach(k -> keys.put(k.toLowerCase(Locale.ROOT), k));
        return Map.copyOf(keys);
    }

    /**
     * The key uplosi decodes {@code key} into (e.g. {@code aws.publish} for {@code AWS.Publish}): its TOML
     * decoder (BurntSushi/toml) falls back to a case-insensitive match of the field names.
     */
    static Optional<String> canonical(String key) {
        return Optional.ofNullable(BY_LOWER_CASE.get(key.toLowerCase(Locale.ROOT)));
    }

    /** The type of a key of uplosi's Config ({@code name}) or of one of its providers ({@code aws.region}). */
    static Type typeOf(String canonicalKey) {
        Type type = TOP_LEVEL.containsKey(canonicalKey) ? TOP_LEVEL.get(canonicalKey) : KNOWN.get(canonicalKey);
        if (type == null) {
            throw new IllegalArgumentException("not an uplosi key: " + canonicalKey);
        }
        return type;
    }

    /** The providers' sections of uplosi's Config: aws, azure, gcp, openstack. */
    static boolean isSection(String key) {
        return KNOWN.keySet().stream().anyMatch(k -> k.startsWith(key.toLowerCase(Locale.ROOT) + "."));
    }

    private static void strings(Map<String, Type> k, String provider, String... fields) {
        for (String f : fields) {
            k.put(provider + "." + f, Type.STRING);
        }
    }

    /** The keys a provider accepts, for error messages. */
    public static List<String> keysOf(Provider provider) {
        return KNOWN.keySet().stream().filter(k -> k.startsWith(provider.id() + ".")).sorted().toList();
    }

    /**
     * Checks a {@code --set KEY=VALUE} for {@code provider} and returns the value as uplosi will read it.
     *
     * @param key below uplosi's {@code base} table, e.g. {@code aws.region}
     */
    public static Object parse(Provider provider, String key, String raw) {
        String field = "--set " + key;
        Type type = KNOWN.get(key);
        if (type == null) {
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            throw new InvalidRequestException(field + ": '" + key + "' is not an uplosi " + provider + " setting"
                    + hint(section, provider) + "; allowed for " + provider + ": "
                    + String.join(", ", keysOf(provider)) + ".");
        }
        if (!key.startsWith(provider.id() + ".")) {
            throw new InvalidRequestException(field + ": '" + key + "' is a setting of another provider, but this"
                    + " upload is for " + provider + "; allowed: " + String.join(", ", keysOf(provider)) + ".");
        }
        return switch (type) {
            case STRING -> string(field, raw);
            case STRING_LIST -> stringList(field, raw);
            case BOOLEAN -> bool(field, raw);
            case INTEGER -> integer(field, raw);
            case STRING_MAP -> stringMap(field, raw);
        };
    }

    private static String hint(String section, Provider provider) {
        return switch (section) {
            case "name" -> " (use --name)";
            case "imageVersion", "imageVersionFile" -> " (use --image-version or --image-version-file)";
            case "provider" -> " (use --provider)";
            case "base", "variant" -> " (keys are below uplosi's [base] table, e.g. " + provider + "."
                    + provider.required().get(0).field() + "; variants come from --config-dir)";
            default -> "";
        };
    }

    private static String string(String field, String raw) {
        JsonNode node = tomlValue(raw);
        if (node != null && node.isTextual()) {
            return node.textValue(); // a quoted TOML string: "eu-central-1"
        }
        if (raw.isEmpty()) {
            throw InvalidRequestException.of(field, raw, "the value must not be empty");
        }
        return raw;
    }

    private static List<String> stringList(String field, String raw) {
        JsonNode node = tomlValue(raw);
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual() || item.textValue().isEmpty()) {
                    throw InvalidRequestException.of(field, raw, "allowed: a TOML array of non-empty strings,"
                            + " e.g. [\"a\", \"b\"]");
                }
                values.add(item.textValue());
            }
            return values;
        }
        // A convenience for the command line: a,b,c without TOML quoting.
        for (String part : raw.split(",")) {
            if (part.isBlank()) {
                throw InvalidRequestException.of(field, raw, "allowed: a TOML array of strings such as"
                        + " [\"a\", \"b\"] or a comma-separated list a,b");
            }
            values.add(part.trim());
        }
        return values;
    }

    private static boolean bool(String field, String raw) {
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw InvalidRequestException.of(field, raw, "allowed: true or false");
    }

    private static long integer(String field, String raw) {
        if (NUMBER.matcher(raw).matches() && raw.length() < 10) {
            return Long.parseLong(raw);
        }
        throw InvalidRequestException.of(field, raw, "allowed: a whole number, e.g. 32");
    }

    private static Map<String, String> stringMap(String field, String raw) {
        JsonNode node = tomlValue(raw);
        if (node == null || !node.isObject()) {
            throw InvalidRequestException.of(field, raw, "allowed: a TOML inline table of strings, e.g."
                    + " {hw_firmware_type = \"uefi\", os_type = \"linux\"}");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw InvalidRequestException.of(field, raw, "every value of the table must be a string");
            }
            values.put(e.getKey(), e.getValue().textValue());
        });
        return values;
    }

    /** The value as TOML, or null when it is not a TOML value (a bare word is then taken as a string). */
    private static JsonNode tomlValue(String raw) {
        try {
            return TOML.readTree("v = " + raw + "\n").get("v");
        } catch (IOException | RuntimeException notToml) {
            return null;
        }
    }
}
