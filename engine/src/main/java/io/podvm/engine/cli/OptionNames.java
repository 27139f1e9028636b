package io.podvm.engine.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine validates requests and names their fields ({@code outputDir}), as the Jenkins steps' parameters
 * are named; a shell user typed {@code --output-dir}. This turns one into the other in a message printed by a
 * command: the field that starts the message, and any other field written in camelCase (a single lower-case
 * word elsewhere in a sentence is a word, not a field). The table is read from the command's own options, so a
 * new option needs no entry; only fields whose option is spelled differently are listed here.
 */
final class OptionNames {
    private static final Pattern LEADING = Pattern.compile("^([a-z][A-Za-z0-9]*):");
    private static final Pattern CAMEL_CASE = Pattern.compile("\\b[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\\b");
    /** Fields whose option is not their name in kebab case (with or without a plural s). */
    private static final Map<String, Map<String, String>> SPELLED_DIFFERENTLY = Map.of(
            "mkosi", Map.of("stage", "--stage-only"),
            "binaries", Map.of("registryPassword", BinariesCommand.PASSWORD_VARIABLE),
            "upload", Map.of("settings", "--set", "setting", "--set"));

    private final Map<String, String> optionByField;

    private OptionNames(Map<String, String> optionByField) {
        this.optionByField = optionByField;
    }

    static OptionNames of(CommandSpec command) {
        Map<String, String> table = new HashMap<>(SPELLED_DIFFERENTLY.getOrDefault(command.name(), Map.of()));
        for (OptionSpec option : command.options()) {
            String name = option.longestName();
            if (name.startsWith("--")) {
                String field = camelCase(name.substring(2));
                table.putIfAbsent(field, name);
                table.putIfAbsent(field + "s", name);
            }
        }
        for (PositionalParamSpec parameter : command.positionalParameters()) {
            table.putIfAbsent(parameter.paramLabel().toLowerCase(Locale.ROOT), parameter.paramLabel());
        }
        return new OptionNames(table);
    }

    String translate(String message) {
        if (message == null) {
            return null;
        }
        Matcher leading = LEADING.matcher(message);
        String head = "";
        String rest = message;
        if (leading.find() && optionByField.containsKey(leading.group(1))) {
            head = optionByField.get(leading.group(1)) + ":";
            rest = message.substring(leading.end());
        }
        Matcher camel = CAMEL_CASE.matcher(rest);
        StringBuilder out = new StringBuilder(head);
        while (camel.find()) {
            camel.appendReplacement(out, Matcher.quoteReplacement(optionByField.getOrDefault(camel.group(), camel.group())));
        }
        camel.appendTail(out);
        return out.toString();
    }

    private static String camelCase(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
