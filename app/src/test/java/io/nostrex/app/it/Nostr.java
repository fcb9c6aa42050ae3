package io.nostrex.app.it;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;

/** Small helpers to write and read the messages of a test. */
final class Nostr {
    private Nostr() {}

    static String event(Event e) {
        return "[\"EVENT\"," + EventJson.write(e) + "]";
    }

    static String req(String subId, String... filters) {
        return "[\"REQ\",\"" + subId + "\"," + String.join(",", filters) + "]";
    }

    static String close(String subId) {
        return "[\"CLOSE\",\"" + subId + "\"]";
    }

    static String ok(Event e, boolean accepted, String message) {
        return "[\"OK\",\"" + e.id() + "\"," + accepted + ",\"" + message + "\"]";
    }

    static boolean isOk(String m, Event e) {
        return m.startsWith("[\"OK\",\"" + e.id() + "\"");
    }

    static boolean isEose(String m, String subId) {
        return m.equals("[\"EOSE\",\"" + subId + "\"]");
    }

    static String delivered(String subId, Event e) {
        return "[\"EVENT\",\"" + subId + "\"," + EventJson.write(e) + "]";
    }
}
