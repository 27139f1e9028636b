package io.podvm.engine;

/**
 * Blank values in requests. An empty or all-space string is a mistake (an unset shell variable, an empty
 * form field, a stray line), never a way to ask for the default, which is asked for by leaving the field out.
 */
public final class Blank {
    private Blank() {
    }

    /**
     * The value, or null when none was given; a blank one is refused.
     *
     * @param instead what the user can give instead, e.g. "give production or debug, or leave it out (production)"
     */
    public static String refuse(String field, String value, String instead) {
        if (value != null && value.isBlank()) {
            throw InvalidRequestException.of(field, value, "an empty value is not allowed; " + instead);
        }
        return value;
    }
}
