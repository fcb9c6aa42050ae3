package io.nostrex.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.EventVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpAuthTest {
    private static final long NOW = 1_750_000_000L;
    private static final Set<String> URLS = Set.of("wss://relay.example.com");
    private static final byte[] BODY = "{\"method\":\"supportedmethods\",\"params\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final EventSigner ADMIN = EventSigner.random();
    private final HttpAuth auth = new HttpAuth(EventVerifier.best());

    static String header(Event e) {
        return "Nostr " + Base64.getEncoder().encodeToString(EventJson.write(e).getBytes(StandardCharsets.UTF_8));
    }

    private static Event event(long at, int kind, String u, String method, String payload) {
        return ADMIN.sign(at, kind, List.of(List.of("u", u), List.of("method", method), List.of("payload", payload)), "");
    }

    @Test
    void aSignedEventForThisRelayMethodAndBodyAuthorizesItsPubkey() throws Exception {
        String payload = HttpAuth.sha256Hex(BODY);
        assertThat(auth.authorize(header(event(NOW, 27235, "https://relay.example.com/", "POST", payload)), "POST",
                BODY, URLS, NOW)).isEqualTo(ADMIN.pubkey());
        assertThat(auth.authorize(header(event(NOW - 50, 27235, "wss://relay.example.com", "post", payload)), "POST",
                BODY, URLS, NOW)).isEqualTo(ADMIN.pubkey());
    }

    @Test
    void everythingElseIsRefusedSayingWhy() {
        String payload = HttpAuth.sha256Hex(BODY);
        assertRefused(null, "an Authorization header 'Nostr <base64 event>' (NIP-98) is required");
        assertRefused("Bearer abc", "an Authorization header");
        assertRefused("Nostr !!!", "the Authorization header holds no readable event");
        assertRefused(header(event(NOW, 1, "wss://relay.example.com", "POST", payload)), "the authorization event must be of kind 27235");
        assertRefused(header(event(NOW - 61, 27235, "wss://relay.example.com", "POST", payload)), "the authorization event's created_at is more than 60 s");
        assertRefused(header(event(NOW, 27235, "wss://other.example.com", "POST", payload)), "the u tag does not name this relay");
        assertRefused(header(event(NOW, 27235, "wss://relay.example.com", "GET", payload)), "the method tag is not POST");
        assertRefused(header(event(NOW, 27235, "wss://relay.example.com", "POST", HttpAuth.sha256Hex(new byte[1]))),
                "the payload tag is not the SHA-256 of the request body");
        Event good = event(NOW, 27235, "wss://relay.example.com", "POST", payload);
        Event forged = new Event(good.id(), EventSigner.random().pubkey(), good.createdAt(), good.kind(), good.tags(),
                good.content(), good.sig());
        assertRefused(header(forged), "invalid: event id does not match");
    }

    private void assertRefused(String header, String reason) {
        assertThatThrownBy(() -> auth.authorize(header, "POST", BODY, URLS, NOW))
                .isInstanceOf(HttpAuth.Refused.class).hasMessageStartingWith(reason);
    }
}
