package io.nostrex.protocol.fuzz;

import io.nostrex.protocol.Canonical;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Nip01Reference;

/** What must hold for every event a decoder gives, whatever input it came from. */
final class EventRules {
    private static final EventVerifier VERIFIER = EventVerifier.best();

    private EventRules() {}

    static void check(Event e) {
        // the id the relay computes is the one an independent serializer and digest give
        String ours = Hex.encode(Canonical.sha256(Canonical.serialize(e)));
        String independent = Nip01Reference.id(e);
        FuzzFinding.check(ours.equals(independent), "canonical id " + ours + " but NIP-01 gives " + independent);
        boolean accepted;
        try {
            VERIFIER.verify(e);
            accepted = true;
        } catch (InvalidEventException rejected) {
            FuzzFinding.check(rejected.getMessage() != null && !rejected.getMessage().isBlank(), "blank rejection");
            accepted = false;
        }
        if (accepted) {
            FuzzFinding.check(e.id().equals(independent), "accepted event " + e.id() + " whose NIP-01 id is " + independent);
        }
        // written and parsed again, it is the same event, and writing it again gives the same bytes
        String written = EventJson.write(e);
        Event again;
        try {
            again = EventParser.parse(written);
        } catch (InvalidEventException e2) {
            throw new FuzzFinding("the relay's own JSON of a parsed event does not parse: " + e2.getMessage(), e2);
        }
        FuzzFinding.check(again.equals(e), "write-parse changed the event: " + written);
        FuzzFinding.check(EventJson.write(again).equals(written), "write-parse-write changed the bytes: " + written);
    }
}
