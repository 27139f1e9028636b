package io.podvm.engine.cli;

import io.podvm.engine.json.Json;
import io.podvm.engine.log.BuildLog;

import java.util.Map;

/** The result of a command: one JSON line last on stdout with --json, readable lines on the log otherwise. */
final class CliOutput {
    private CliOutput() {
    }

    static void print(boolean json, Map<String, Object> result, BuildLog log) {
        if (json) {
            System.out.println(Json.line(result));
            System.out.flush();
            return;
        }
        result.forEach((key, value) -> System.out.println(key + ": " + (value == null ? "-" : value)));
    }
}
