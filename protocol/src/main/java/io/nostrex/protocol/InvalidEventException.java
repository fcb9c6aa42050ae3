package io.nostrex.protocol;

/**
 * An event that breaks a rule. The message is the reason a relay sends back in OK false, already
 * carrying its NIP-01 machine prefix, e.g. {@code "invalid: id is not 64 lowercase hex"}.
 */
public final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String prefixedReason) {
        super(prefixedReason);
    }

    public static InvalidEventException invalid(String reason) {
        return new InvalidEventException("invalid: " + reason);
    }
}
