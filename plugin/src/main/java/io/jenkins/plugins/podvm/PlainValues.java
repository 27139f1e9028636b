package io.jenkins.plugins.podvm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies an engine result into plain JDK values (LinkedHashMap, ArrayList, String, Number, Boolean).
 * The result crosses the agent channel and is kept in the Pipeline program, and the controller's class
 * filter (JEP-200) accepts only such classes from outside a plugin jar: the engine's records and the
 * immutable lists of {@code List.copyOf} would be rejected.
 */
final class PlainValues {
    private PlainValues() {
    }

    static LinkedHashMap<String, Object> copyMap(Map<?, ?> map) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            copy.put(String.valueOf(entry.getKey()), copy(entry.getValue()));
        }
        return copy;
    }

    private static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Double) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map);
        }
        if (value instanceof Collection<?> collection) {
            ArrayList<Object> list = new ArrayList<>();
            for (Object element : collection) {
                list.add(copy(element));
            }
            return list;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        return value.toString();
    }
}
