package io.jenkins.plugins.podvm;

import hudson.AbortException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Name/value parameters ({@code buildArgs}, {@code settings}) kept as {@code NAME=value} strings, as
 * {@code withEnv} keeps its variables: a list of strings is a type that structs describes (the Pipeline Syntax
 * reference and the Snippet Generator show it), where a {@code Map} parameter shows as an error. A Jenkinsfile
 * may still pass a map; {@link #mapsToLists} turns it into the list before the step is made.
 */
final class KeyValues {
    private KeyValues() {
    }

    /**
     * The arguments of a step with each of the named parameters that is a map replaced by its {@code NAME=value}
     * list (in the map's order); other values are left as they are, to be checked by the step.
     */
    static Map<String, Object> mapsToLists(Map<String, Object> arguments, String... names) {
        Map<String, Object> result = null;
        for (String name : names) {
            if (arguments.get(name) instanceof Map<?, ?> map) {
                if (result == null) {
                    result = new LinkedHashMap<>(arguments);
                }
                result.put(name, lines(map));
            }
        }
        return result == null ? arguments : result;
    }

    /** {@code NAME=value} for each entry; values as strings (Groovy may hand in GStrings or numbers). */
    static ArrayList<String> lines(Map<?, ?> map) {
        ArrayList<String> lines = new ArrayList<>();
        map.forEach((name, value) -> lines.add(name + "=" + (value == null ? "" : value)));
        return lines;
    }

    /**
     * The map the engine takes, from the step's lines; null for null. Fails, naming the parameter and the entry,
     * on an entry without a name: that is a typo, and guessing what was meant could build the wrong image.
     *
     * @param parameter the step and parameter, for the message ("podvmBinaries buildArgs")
     */
    static LinkedHashMap<String, String> toMap(List<String> lines, String parameter, String example)
            throws AbortException {
        if (lines == null) {
            return null;
        }
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (String line : lines) {
            int split = line.indexOf('=');
            if (split <= 0 || line.substring(0, split).isBlank()) {
                throw new AbortException(parameter + ": '" + line + "' is not NAME=value; write each entry as"
                        + " NAME=value, for example " + example + ".");
            }
            map.put(line.substring(0, split).trim(), line.substring(split + 1));
        }
        return map;
    }
}
