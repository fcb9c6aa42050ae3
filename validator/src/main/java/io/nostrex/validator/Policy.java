package io.nostrex.validator;

import io.nostrex.protocol.Event;

/**
 * One rule an event must pass before it is accepted. Returns null when the event passes, or the
 * reason with its NIP-01 prefix ({@code invalid:}, {@code pow:}, {@code blocked:}, ...).
 */
@FunctionalInterface
public interface Policy {
    String check(Event event, long nowSeconds);
}
