package io.podvm.engine.tools;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One tool that a capability needs: how to find it, how to read its version and which versions work.
 *
 * @param alternatives names of which any one will do (docker, podman, buildah), tried in order
 * @param versionArgs arguments that make it print its version, empty when the version is not checked
 * @param versionPattern the version in that output, as group 1
 * @param minimumMajor the oldest major version that works, 0 when any does
 * @param required whether the capability fails without it (qemu-img is needed only for qcow2)
 */
public record ToolCheck(String capability, List<String> alternatives, List<String> versionArgs,
        Pattern versionPattern, int minimumMajor, boolean required, String install) {

    public static ToolCheck of(String capability, String name, String install) {
        return new ToolCheck(capability, List.of(name), List.of(), null, 0, true, install);
    }

    public ToolCheck version(Pattern pattern, int minimum, String... args) {
        return new ToolCheck(capability, alternatives, List.of(args), pattern, minimum, required, install);
    }

    public ToolCheck optional() {
        return new ToolCheck(capability, alternatives, versionArgs, versionPattern, minimumMajor, false, install);
    }

    public ToolCheck orElse(String... others) {
        List<String> all = new java.util.ArrayList<>(alternatives);
        all.addAll(List.of(others));
        return new ToolCheck(capability, List.copyOf(all), versionArgs, versionPattern, minimumMajor, required, install);
    }

    public String name() {
        return String.join("|", alternatives);
    }
}
