package io.nostrex.protocol;

import io.nostrex.protocol.crypto.SchnorrVerifier;

/** Checks that an event's id is the hash of its canonical form and that its signature is valid. */
public final class EventVerifier {
    private final SchnorrVerifier schnorr;

    public EventVerifier(SchnorrVerifier schnorr) {
        this.schnorr = schnorr;
    }

    public static EventVerifier best() {
        return new EventVerifier(SchnorrVerifier.best());
    }

    public String verifierName() {
        return schnorr.name();
    }

    /** The reason given for an event whose signature does not verify. */
    public static final String BAD_SIGNATURE =
            "invalid: signature is not a valid BIP-340 signature of the id by the pubkey";

    /** Throws with the reason ({@code invalid: ...}) when the id or the signature is wrong. */
    public void verify(Event event) throws InvalidEventException {
        byte[] id;
        try {
            id = Canonical.sha256(Canonical.serialize(event));
        } catch (IllegalArgumentException unencodable) {
            throw InvalidEventException.invalid("event cannot be serialized: " + unencodable.getMessage());
        }
        if (!Hex.encode(id).equals(event.id())) {
            throw InvalidEventException.invalid("event id does not match the sha256 of its canonical serialization");
        }
        if (!schnorr.verify(Hex.decode(event.sig()), id, Hex.decode(event.pubkey()))) {
            throw new InvalidEventException(BAD_SIGNATURE);
        }
    }

    /** Parses and fully checks one event object. */
    public Event parseAndVerify(String json) throws InvalidEventException {
        Event event = EventParser.parse(json);
        verify(event);
        return event;
    }
}
