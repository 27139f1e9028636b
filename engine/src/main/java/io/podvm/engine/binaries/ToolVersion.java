package io.podvm.engine.binaries;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tool's major.minor version, read from its version output. */
record ToolVersion(int major, int minor, String text) {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?");

    /** The first dotted number after {@code after} in the output, or null when there is none. */
    static ToolVersion find(String output, String after) {
        int at = output.indexOf(after);
        Matcher m = NUMBER.matcher(at < 0 ? output : output.substring(at + after.length()));
        return m.find() ? new ToolVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group()) : null;
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || major == wantMajor && minor >= wantMinor;
    }

    @Override
    public String toString() {
        return text;
    }
}
