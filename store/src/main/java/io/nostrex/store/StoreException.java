package io.nostrex.store;

/** The database failed; the operation had no effect (its transaction was rolled back) and may be retried. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
