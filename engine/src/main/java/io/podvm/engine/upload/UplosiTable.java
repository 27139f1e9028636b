package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;
import io.podvm.engine.upload.UplosiMerge.Sourced;
import io.podvm.engine.upload.UplosiSettings.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One {@code [base]} or {@code [variant.NAME]} table decoded as uplosi's TOML decoder (BurntSushi/toml
 * 1.4) decodes it into a Config: keys matched to fields ignoring case, unknown keys skipped (we warn), a
 * value of the wrong type an error. The result is flat: {@code aws.publish -> true}.
 */
final class UplosiTable {
    private UplosiTable() {
    }

    static Map<String, Sourced> read(Object value, String file, String path, Consumer<String> warn) {
        String source = file + " [" + path + "]";
        Map<String, Sourced> out = new LinkedHashMap<>();
        table(value, file, path).forEach((key, v) -> {
            Optional<String> field = key.contains(".") ? Optional.empty() : UplosiSettings.canonical(key);
            if (field.isPresent()) {
                out.put(field.get(), new Sourced(typed(field.get(), v, source), source));
            } else if (UplosiSettings.isSection(key)) {
                String section = key.toLowerCase(Locale.ROOT);
                table(v, file, path + "." + key).forEach((k, sv) -> {
                    Optional<String> setting = k.contains(".") ? Optional.empty()
                            : UplosiSettings.canonical(section + "." + k).filter(s -> s.startsWith(section + "."));
                    if (setting.isPresent()) {
                        out.put(setting.get(), new Sourced(typed(setting.get(), sv, source), source));
                    } else {
                        warn.accept(unknown(source, section + "." + k));
                    }
                });
            } else {
                warn.accept(unknown(source, key));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> table(Object value, String file, String path) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidRequestException("configDir: " + file + ": " + path + " must be a table ([" + path + "]),"
                + " not " + UplosiMerge.toml(value) + "; uplosi cannot read the file either.");
    }

    private static String unknown(String source, String key) {
        return source + ": '" + key + "' is not an uplosi 0.4.0 setting; uplosi ignores it (check the spelling"
                + " and the table it is in).";
    }

    private static Object typed(String key, Object value, String source) {
        Type type = UplosiSettings.typeOf(key);
        Object typed = switch (type) {
            case STRING -> value instanceof String ? value : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case INTEGER -> value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
            case STRING_LIST -> stringList(value);
            case STRING_MAP -> stringMap(value);
        };
        if (typed == null) {
            throw new InvalidRequestException("configDir: " + source + ": " + key + " = " + UplosiMerge.toml(value)
                    + " has the wrong type; uplosi reads " + key + " as " + describe(type) + " and refuses the file.");
        }
        return typed;
    }

    private static List<String> stringList(Object value) {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add((String) item));
        return out;
    }

    private static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map<?, ?> map) || !map.values().stream().allMatch(String.class::isInstance)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    private static String describe(Type type) {
        return switch (type) {
            case STRING -> "a string (\"...\")";
            case BOOLEAN -> "a boolean (true or false)";
            case INTEGER -> "a whole number";
            case STRING_LIST -> "a list of strings ([\"a\", \"b\"])";
            case STRING_MAP -> "a table of strings ({key = \"value\"})";
        };
    }
}
