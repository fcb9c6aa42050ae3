package io.nostrex.store;

/** What {@link EventStore#store} did with one event, with the NIP-01 OK answer it implies. */
public enum StoreOutcome {
    /** Newly stored. */
    STORED(true, ""),
    /** Already accepted before (stored now, or stored once and since replaced or expired). */
    DUPLICATE(true, "duplicate: already have this event"),
    /** A replaceable or addressable event older than the version already stored; not stored. */
    REPLACED_BY_NEWER(true, "duplicate: have a newer version of this replaceable event"),
    /** Its author deleted it (NIP-09); it is never accepted again. */
    DELETED(false, "blocked: this event was deleted by its author"),
    /** Its author, or the recipient of this gift wrap, asked this relay to vanish (NIP-62) after it was made. */
    VANISHED(false, "blocked: its author or recipient asked this relay to delete everything up to a later time (NIP-62)"),
    /** The relay's operators banned this event or its author (NIP-86). */
    BANNED(false, "blocked: banned by this relay's operators"),
    /**
     * The database refused this event for good (a permanent error, see {@link StoreException#isPermanent});
     * it went to the dead-letter topic and the rest of its batch was stored.
     */
    FAILED(false, "error: the relay could not store this event"),
    /** An ephemeral kind (20000-29999): never stored; delivering it live is the caller's business. */
    EPHEMERAL(true, "");

    private final boolean accepted;
    private final String message;

    StoreOutcome(boolean accepted, String message) {
        this.accepted = accepted;
        this.message = message;
    }

    /** The boolean of the NIP-01 OK message. */
    public boolean accepted() {
        return accepted;
    }

    /** The message of the NIP-01 OK message, with its machine-readable prefix ("" when none). */
    public String message() {
        return message;
    }
}
