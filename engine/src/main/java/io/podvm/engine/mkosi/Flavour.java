package io.podvm.engine.mkosi;

import io.podvm.engine.InvalidRequestException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The distributions the bundled definition is written for, with the release used when none is given.
 * A user's own tree may name any distribution mkosi knows; these are for the bundled one.
 */
public enum Flavour {
    DEBIAN("bookworm", List.of("bookworm"), Pattern.compile("[a-z0-9][a-z0-9+.-]*")),
    FEDORA("43", List.of("41", "42", "43", "44", "rawhide"), Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_+.-]*"));

    private final String defaultRelease;
    private final List<String> releases;
    private final Pattern packageName;

    Flavour(String defaultRelease, List<String> releases, Pattern packageName) {
        this.defaultRelease = defaultRelease;
        this.releases = releases;
        this.packageName = packageName;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String defaultRelease() {
        return defaultRelease;
    }

    public List<String> releases() {
        return releases;
    }

    /** Package names as the distribution's own tools accept them (Debian policy; RPM's looser rule). */
    public boolean isPackageName(String name) {
        return packageName.matcher(name).matches();
    }

    public static Flavour parse(String value, String field) {
        for (Flavour f : values()) {
            if (f.id().equals(value)) {
                return f;
            }
        }
        throw InvalidRequestException.of(field, value, "the bundled definition builds " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Flavour::id).collect(Collectors.joining(", "));
    }
}
