package io.podvm.engine.upload;

import io.podvm.engine.InvalidRequestException;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * An image version as uplosi 0.4.0 takes it, so that podvm refuses before the upload what uplosi would
 * refuse only after it. uplosi's code, not its README, is the rule:
 * <ul>
 * <li>config/validation.rego, before the upload: {@code ^\d+\.\d+\.\d+$} (ASCII digits, any length, leading
 * zeros allowed), on the version file's content after Go's {@code strings.TrimSpace};</li>
 * <li>upload.go {@code incrementSemver}, with {@code -i}, after the upload: {@code semver.Canonical("v" + v)}
 * (golang.org/x/mod 0.22.0: no leading zeros in any number), then {@code strconv.Atoi} of the patch number
 * (Go's int, 64 bits on the platforms uplosi ships for) plus one, unchecked: the largest patch number
 * overflows into a negative one.</li>
 * </ul>
 */
final class ImageVersion {
    static final Pattern FORMAT = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final BigInteger LARGEST_PATCH = BigInteger.valueOf(Long.MAX_VALUE - 1);

    private ImageVersion() {
    }

    /** uplosi's check before the upload; {@code field} names the option or file the version came from. */
    static void checkFormat(String field, String version) {
        if (!FORMAT.matcher(version).matches()) {
            throw new InvalidRequestException(field + ": '" + abbreviate(version) + "' is not a version uplosi"
                    + " accepts; it must be X.Y.Z with digits only, e.g. 1.2.3 (no 'v', no -rc1 or +build).");
        }
    }

    /** uplosi's -i after the upload: what it would refuse, or garble, is refused now. */
    static void checkIncrementable(String field, String version) {
        checkFormat(field, version);
        if (!SEMVER.matcher(version).matches()) {
            throw new InvalidRequestException(field + ": '" + version + "' has a number with a leading zero, which"
                    + " uplosi's --increment-version cannot bump (it reads the version as semver, after the upload);"
                    + " write it without leading zeros, e.g. " + withoutLeadingZeros(version) + ", or upload"
                    + " without --increment-version.");
        }
        if (new BigInteger(patch(version)).compareTo(LARGEST_PATCH) > 0) {
            throw new InvalidRequestException(field + ": the patch number of '" + version + "' is too large for"
                    + " uplosi's --increment-version (a 64-bit integer: at most " + LARGEST_PATCH + " can be"
                    + " bumped); bump the minor number instead, e.g. " + major(version) + "."
                    + new BigInteger(minor(version)).add(BigInteger.ONE) + ".0.");
        }
    }

    /** The next patch version, as uplosi's incrementSemver writes it; major and minor are kept as text. */
    static String increment(String version) {
        return major(version) + "." + minor(version) + "." + (Long.parseLong(patch(version)) + 1);
    }

    /** Go's strings.TrimSpace: Unicode white space (category Z, and \t \n \v \f \r U+0085) at both ends. */
    static String trimSpace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isGoSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        return c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c == 0x85
                || Character.getType(c) == Character.SPACE_SEPARATOR || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
    }

    private static String major(String version) {
        return version.substring(0, version.indexOf('.'));
    }

    private static String minor(String version) {
        return version.substring(version.indexOf('.') + 1, version.lastIndexOf('.'));
    }

    private static String patch(String version) {
        return version.substring(version.lastIndexOf('.') + 1);
    }

    private static String withoutLeadingZeros(String version) {
        return new BigInteger(major(version)) + "." + new BigInteger(minor(version)) + "."
                + new BigInteger(patch(version));
    }

    private static String abbreviate(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
