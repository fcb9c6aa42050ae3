package io.nostrex.validator;

import io.nostrex.protocol.Event;

/**
 * One rule an event must pass before it is accepted, with a short name (the {@code reason} label
 * of the validations counter). The check returns null when the event passes, or the reason with
 * its NIP-01 prefix ({@code invalid:}, {@code pow:}, {@code blocked:}, ...).
 */
public record Policy(String name, Check check) {
    @FunctionalInterface
    public interface Check {
        String violation(Event event, long nowSeconds);
    }

    String violation(Event event, long nowSeconds) {
        return check.violation(event, nowSeconds);
    }
}
