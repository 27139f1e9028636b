package io.podvm.engine.mkosi;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A version of mkosi as {@code mkosi --version} prints it ("mkosi 24.3"). */
public record MkosiVersion(int major, int minor) implements Serializable {
    public static final int OLDEST_SUPPORTED = 15;
    /** The newest major version whose behaviour podvm knows; newer ones are used with a warning. */
    public static final int NEWEST_KNOWN = 27;

    private static final Pattern VERSION = Pattern.compile("(?:mkosi\\s+)?v?(\\d+)(?:\\.(\\d+))?");

    public static MkosiVersion parse(String text) {
        Matcher m = VERSION.matcher(text.trim());
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not an mkosi version: " + text);
        }
        return new MkosiVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(int otherMajor) {
        return major >= otherMajor;
    }

    public boolean supported() {
        return major >= OLDEST_SUPPORTED;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
