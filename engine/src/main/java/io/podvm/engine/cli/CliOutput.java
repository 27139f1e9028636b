package io.podvm.engine.cli;

import io.podvm.engine.json.Json;

import java.util.Map;

/** The result of a command on stdout: one JSON line, last, with --json; one "key: value" line per field otherwise. */
final class CliOutput {
    private CliOutput() {
    }

    static void print(boolean json, Map<String, Object> result) {
        if (json) {
            System.out.println(Json.line(result));
            System.out.flush();
            return;
        }
        result.forEach((key, value) -> System.out.println(key + ": " + (value == null ? "-" : value)));
    }
}
