package io.jenkins.plugins.podvm;

import java.util.ArrayList;
import java.util.List;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;

/**
 * List parameters in the step forms: one value per line in a text area (as {@code withEnv}'s form does), so
 * that the Snippet Generator can set every parameter. The form shows the list joined by new lines and sends
 * the text back, which {@link #textToLists} turns into the list the step's setter takes.
 */
final class FormLines {
    private FormLines() {
    }

    /** The text of a list parameter's text area; empty for none. */
    static String join(List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }

    /** The submitted form with each named text area replaced by its non-blank lines, trimmed. */
    static JSONObject textToLists(JSONObject formData, String... names) {
        for (String name : names) {
            if (formData.has(name) && !(formData.get(name) instanceof JSONArray)) {
                List<String> lines = new ArrayList<>();
                for (String line : formData.getString(name).split("\r?\n")) {
                    if (!line.isBlank()) {
                        lines.add(line.trim());
                    }
                }
                formData.put(name, JSONArray.fromObject(lines));
            }
        }
        return formData;
    }
}
