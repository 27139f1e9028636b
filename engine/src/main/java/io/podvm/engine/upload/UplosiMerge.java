package io.podvm.engine.upload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * uplosi 0.4.0's {@code Config.Merge}: {@code mergo.Merge(dst, src, WithOverride,
 * WithTransformers(OptionTransformer))} with mergo v1.0.1, one rule per type of setting:
 * <ul>
 * <li>string, integer, list: the later value replaces the earlier one unless it is empty ({@code ""},
 * {@code 0}, {@code []}); an empty value never unsets anything;</li>
 * <li>boolean ({@code Option[bool]}): the first value read is kept; OptionTransformer sets dst only while
 * it is still None;</li>
 * <li>map ({@code openstack.properties}): merged key by key, the later value replacing the earlier one
 * even when it is {@code ""}.</li>
 * </ul>
 * Where that drops a value the user evidently meant (a later boolean that differs, a later empty value
 * over a set one), a warning names the file, table and key.
 */
final class UplosiMerge {
    /** One value of a configuration and where it was read, e.g. {@code uplosi.conf.d/10.conf [base]}. */
    record Sourced(Object value, String source) {
    }

    private UplosiMerge() {
    }

    /** Merges {@code src} (flat keys such as {@code aws.publish}) into {@code dst} as uplosi does. */
    static void merge(Map<String, Sourced> dst, Map<String, Sourced> src, Consumer<String> warn) {
        src.forEach((key, value) -> {
            Sourced old = dst.get(key);
            switch (UplosiSettings.typeOf(key)) {
                case BOOLEAN -> mergeBoolean(dst, key, old, value, warn);
                case STRING_MAP -> mergeMap(dst, key, old, value);
                default -> mergeReplacing(dst, key, old, value, warn);
            }
        });
    }

    private static void mergeBoolean(Map<String, Sourced> dst, String key, Sourced old, Sourced value,
            Consumer<String> warn) {
        if (old == null) {
            dst.put(key, value);
        } else if (!old.value().equals(value.value())) {
            warn.accept(value.source() + ": " + key + " = " + value.value() + " is ignored: uplosi keeps the first"
                    + " value it reads for a boolean, " + key + " = " + old.value() + " from " + old.source() + ".");
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeMap(Map<String, Sourced> dst, String key, Sourced old, Sourced value) {
        Map<String, String> merged = old == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>((Map<String, String>) old.value());
        merged.putAll((Map<String, String>) value.value());
        dst.put(key, new Sourced(merged, old == null ? value.source() : old.source()));
    }

    private static void mergeReplacing(Map<String, Sourced> dst, String key, Sourced old, Sourced value,
            Consumer<String> warn) {
        if (!isEmpty(value.value())) {
            dst.put(key, value);
        } else if (old != null && !isEmpty(old.value())) {
            warn.accept(value.source() + ": " + key + " = " + toml(value.value()) + " is ignored: uplosi does not let"
                    + " an empty value (\"\", 0, []) replace one that is set; " + key + " = " + toml(old.value())
                    + " from " + old.source() + " stays.");
        }
    }

    /** What mergo's isEmptyValue calls empty, for the types uplosi's Config has. */
    static boolean isEmpty(Object value) {
        return value == null || value instanceof String s && s.isEmpty() || value instanceof Long n && n == 0
                || value instanceof List<?> l && l.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty();
    }

    /** A value as it appears in a configuration file, for messages. */
    static String toml(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(UplosiMerge::toml).toList().toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append(" = ").append(toml(v)));
            return out.append("}").toString();
        }
        return Objects.toString(value);
    }
}
