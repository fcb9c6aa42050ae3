package io.nostrex.validator;

import io.nostrex.protocol.Event;

/** What the validator asks the store: is this event already there, or was it deleted? */
public interface KnownEvents {
    boolean exists(String eventId);

    boolean isDeleted(Event event);

    /** For a validator run without a database: only its in-memory cache detects duplicates. */
    KnownEvents NONE = new KnownEvents() {
        @Override
        public boolean exists(String eventId) {
            return false;
        }

        @Override
        public boolean isDeleted(Event event) {
            return false;
        }
    };
}
