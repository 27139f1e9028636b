package io.podvm.engine;

/** Bad input, found before any long work starts. The message names the field, the value and what is allowed. */
public class InvalidRequestException extends PodvmException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    /** "field: value 'x' is not allowed; allowed: ...". */
    public static InvalidRequestException of(String field, Object value, String allowed) {
        return new InvalidRequestException(field + ": '" + value + "' is not valid; " + allowed + ".");
    }
}
