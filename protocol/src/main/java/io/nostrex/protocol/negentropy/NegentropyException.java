package io.nostrex.protocol.negentropy;

/** A Negentropy message that cannot be read, or a protocol version this side cannot speak. */
public final class NegentropyException extends Exception {
    public NegentropyException(String message) {
        super(message);
    }
}
