package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.Nostr.isEose;
import static io.nostrex.app.it.Nostr.req;
import static io.nostrex.app.it.RelayIT.WAIT;
import static io.nostrex.app.it.RelayIT.publish;
import static io.nostrex.app.it.RelayIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NIP-42 end to end on the shared relay's two gateways: the challenge, AUTH, direct messages and
 * gift wraps served only to their parties in history, counts and live, and NIP-70.
 */
class AuthIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    private static WsClient clientA() {
        return new WsClient(relay.gatewayA().port());
    }

    private static WsClient clientB() {
        return new WsClient(relay.gatewayB().port());
    }

    /** Authenticates the client as {@code who} on the gateway at {@code port}; returns the OK. */
    private static String auth(WsClient c, int port, EventSigner who) throws InterruptedException {
        Event e = who.sign(System.currentTimeMillis() / 1000, 22242, List.of(List.of("relay", "ws://127.0.0.1:" + port + "/"),
                List.of("challenge", c.challenge())), "");
        c.send("[\"AUTH\"," + EventJson.write(e) + "]");
        List<String> got = c.until(m -> Nostr.isOk(m, e), WAIT);
        return got.get(got.size() - 1);
    }

    @Test
    void aValidAuthAuthenticatesOneOrMorePubkeysAndIsNeverStored() throws Exception {
        EventSigner alice = EventSigner.random();
        EventSigner bob = EventSigner.random();
        int port = relay.gatewayA().port();
        try (WsClient a = clientA(); WsClient b = clientB()) {
            assertThat(a.challenge()).matches("[0-9a-f]{32}");
            assertThat(b.challenge()).isNotEqualTo(a.challenge());

            // refused: another connection's challenge, another relay's URL, a stale event
            long now = System.currentTimeMillis() / 1000;
            Event foreignChallenge = alice.sign(now, 22242, List.of(List.of("relay", "ws://127.0.0.1:" + port),
                    List.of("challenge", b.challenge())), "");
            Event otherRelay = alice.sign(now, 22242, List.of(List.of("relay", "wss://elsewhere.example.com"),
                    List.of("challenge", a.challenge())), "");
            Event stale = alice.sign(now - 3600, 22242, List.of(List.of("relay", "ws://127.0.0.1:" + port),
                    List.of("challenge", a.challenge())), "");
            for (Event bad : List.of(foreignChallenge, otherRelay, stale)) {
                a.send("[\"AUTH\"," + EventJson.write(bad) + "]");
                assertThat(a.next(WAIT)).startsWith("[\"OK\",\"" + bad.id() + "\",false,\"invalid: ");
            }

            assertThat(auth(a, port, alice)).endsWith(",true,\"\"]");
            assertThat(auth(a, port, bob)).as("a second pubkey on the same connection").endsWith(",true,\"\"]");
            assertThat(query(b, "auths", "{\"kinds\":[22242]}")).isEmpty();
        }
    }

    @Test
    void directMessagesAndGiftWrapsReachOnlyTheirPartiesInHistoryCountsAndLive() throws Exception {
        EventSigner alice = EventSigner.random();
        EventSigner bob = EventSigner.random();
        EventSigner eve = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        Event dm = alice.sign(now - 5, 4, List.of(List.of("p", bob.pubkey())), "ciphertext for bob");
        Event wrap = EventSigner.random().sign(now - 4, 1059, List.of(List.of("p", bob.pubkey())), "sealed for bob");
        Event note = alice.sign(now - 3, 1, List.of(List.of("p", bob.pubkey())), "a public note to bob");
        String bobsInbox = "{\"kinds\":[4,1059],\"#p\":[\"" + bob.pubkey() + "\"]}";
        String alicesEvents = "{\"authors\":[\"" + alice.pubkey() + "\"]}";
        String mentionsOfBob = "{\"#p\":[\"" + bob.pubkey() + "\"]}";
        try (WsClient a = clientA(); WsClient anonymous = clientB(); WsClient eves = clientB(); WsClient bobs = clientB()) {
            for (Event e : List.of(dm, wrap, note)) {
                assertThat(publish(a, e)).endsWith(",true,\"\"]");
            }

            // not authenticated: a REQ or COUNT for private kinds only is closed; in others they are withheld
            anonymous.send(req("inbox", bobsInbox));
            assertThat(anonymous.next(WAIT)).startsWith("[\"CLOSED\",\"inbox\",\"auth-required: ");
            anonymous.send("[\"COUNT\",\"c\"," + bobsInbox + "]");
            assertThat(anonymous.next(WAIT)).startsWith("[\"CLOSED\",\"c\",\"auth-required: ");
            assertThat(query(anonymous, "alice", alicesEvents)).containsExactly(delivered("alice", note));
            assertThat(query(anonymous, "mentions", mentionsOfBob)).containsExactly(delivered("mentions", note));
            assertThat(count(anonymous, mentionsOfBob)).isEqualTo(1);

            // authenticated as neither party: nothing private either
            auth(eves, relay.gatewayB().port(), eve);
            assertThat(query(eves, "inbox", bobsInbox)).as("could hold DMs from Eve to Bob: none").isEmpty();
            eves.send(req("between", "{\"kinds\":[4],\"authors\":[\"" + alice.pubkey() + "\"],\"#p\":[\"" + bob.pubkey() + "\"]}"));
            assertThat(eves.next(WAIT)).as("DMs between two others only").startsWith("[\"CLOSED\",\"between\",\"restricted: ");
            assertThat(query(eves, "mentions", mentionsOfBob)).containsExactly(delivered("mentions", note));

            // the recipient, on the other gateway, and the author
            auth(bobs, relay.gatewayB().port(), bob);
            assertThat(query(bobs, "inbox", bobsInbox)).containsExactly(delivered("inbox", wrap), delivered("inbox", dm));
            assertThat(count(bobs, mentionsOfBob)).isEqualTo(3);
            auth(a, relay.gatewayA().port(), alice);
            assertThat(query(a, "sent", alicesEvents)).containsExactly(delivered("sent", note), delivered("sent", dm));

            // live: Bob's subscription gets the next DM, the anonymous one and Eve's only the note after it
            bobs.send(req("live", mentionsOfBob));
            bobs.until(m -> isEose(m, "live"), WAIT);
            anonymous.send(req("live", mentionsOfBob));
            anonymous.until(m -> isEose(m, "live"), WAIT);
            eves.send(req("live", mentionsOfBob));
            eves.until(m -> isEose(m, "live"), WAIT);
            Event dm2 = alice.sign(now - 2, 4, List.of(List.of("p", bob.pubkey())), "second ciphertext");
            Event note2 = alice.sign(now - 1, 1, List.of(List.of("p", bob.pubkey())), "second public note");
            assertThat(publish(a, dm2)).endsWith(",true,\"\"]");
            assertThat(publish(a, note2)).endsWith(",true,\"\"]");
            assertThat(bobs.until(m -> m.equals(delivered("live", note2)), WAIT))
                    .containsExactly(delivered("live", dm2), delivered("live", note2));
            // the same author's events reach a gateway in order, so a withheld DM would have come first
            assertThat(anonymous.until(m -> m.equals(delivered("live", note2)), WAIT))
                    .containsExactly(delivered("live", note2));
            assertThat(eves.until(m -> m.equals(delivered("live", note2)), WAIT))
                    .containsExactly(delivered("live", note2));
        }
    }

    @Test
    void aProtectedEventIsAcceptedOnlyFromItsAuthenticatedAuthor() throws Exception {
        EventSigner alice = EventSigner.random();
        Event mine = alice.sign(System.currentTimeMillis() / 1000, 1, List.of(List.of("-")), "only from me");
        try (WsClient a = clientA(); WsClient b = clientB()) {
            assertThat(publish(a, mine)).startsWith("[\"OK\",\"" + mine.id() + "\",false,\"auth-required: ");
            auth(a, relay.gatewayA().port(), EventSigner.random());
            assertThat(publish(a, mine)).startsWith("[\"OK\",\"" + mine.id() + "\",false,\"restricted: ");
            auth(a, relay.gatewayA().port(), alice);
            assertThat(publish(a, mine)).isEqualTo(Nostr.ok(mine, true, ""));
            assertThat(query(b, "p", "{\"ids\":[\"" + mine.id() + "\"]}")).containsExactly(delivered("p", mine));
        }
    }

    @Test
    void theRelayInformationDocumentAdvertisesAuth() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + relay.gatewayA().port() + "/"))
                .header("Accept", "application/nostr+json").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        var info = Json.read(r.body());
        assertThat(info.path("supported_nips").toString()).contains("42").contains("70");
        assertThat(info.path("software").asText()).startsWith("https://");
        assertThat(info.path("limitation").path("auth_required").asBoolean(true)).isFalse();
        assertThat(info.path("limitation").path("restricted_writes").asBoolean(true)).isFalse();
        assertThat(info.path("limitation").path("created_at_upper_limit").asLong()).isEqualTo(900);
        assertThat(info.path("limitation").has("created_at_lower_limit")).as("no NOSTREX_MAX_AGE_SECONDS").isFalse();
    }

    private static long count(WsClient c, String filter) throws InterruptedException {
        c.send("[\"COUNT\",\"n\"," + filter + "]");
        String m = c.until(x -> x.startsWith("[\"COUNT\",\"n\"") || x.startsWith("[\"CLOSED\",\"n\""), WAIT).get(0);
        assertThat(m).startsWith("[\"COUNT\"");
        try {
            return Json.read(m).get(2).path("count").asLong();
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(m, e);
        }
    }
}
