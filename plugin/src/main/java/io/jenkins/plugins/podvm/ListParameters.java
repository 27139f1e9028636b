package io.jenkins.plugins.podvm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The list parameters ({@code buildArgs}, {@code overlays}, {@code extraPackages}, {@code settings},
 * {@code enableVariants}, {@code disableVariants}): lists in a Jenkinsfile, a text area with one value per line
 * in the step forms (as {@code withEnv}'s form has), so that the Snippet Generator can set every parameter.
 * A text area reaches the setter as a list of one string holding all the lines (Stapler's binding of a single
 * value to a collection), so the setters split every value into its lines.
 */
final class ListParameters {
    private ListParameters() {
    }

    /**
     * The values as strings (Groovy may hand in GStrings), each split into its lines, trimmed, blank ones left
     * out; null for null or when nothing is left, so that an unset parameter stays unset.
     */
    static ArrayList<String> values(Collection<?> values) {
        if (values == null) {
            return null;
        }
        ArrayList<String> result = new ArrayList<>();
        for (Object value : values) {
            if (value == null) {
                continue;
            }
            for (String line : value.toString().split("\r?\n")) {
                if (!line.isBlank()) {
                    result.add(line.trim());
                }
            }
        }
        return result.isEmpty() ? null : result;
    }

    /** The text of a list parameter's text area: one value per line; empty for none. */
    static String join(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }
}
