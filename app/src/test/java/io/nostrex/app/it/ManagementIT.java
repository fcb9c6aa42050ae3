package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.delivered;
import static io.nostrex.app.it.RelayIT.WAIT;
import static io.nostrex.app.it.RelayIT.publish;
import static io.nostrex.app.it.RelayIT.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.contract.PolicyReader;
import io.nostrex.contract.PolicyView;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.auth.HttpAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NIP-86 end to end: the management API on one gateway, NIP-98 authorization, and each change in
 * force on the other gateway, the validators and the store through {@code nostr.policy}.
 */
class ManagementIT {
    private static TestRelay relay;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
    }

    private record Answer(int status, JsonNode body) {}

    /** A JSON-RPC call to gateway A signed by {@code who} (NIP-98). */
    private static Answer call(EventSigner who, String method, String... params) throws Exception {
        StringBuilder body = new StringBuilder("{\"method\":");
        EventJson.string(body, method);
        body.append(",\"params\":[");
        for (int i = 0; i < params.length; i++) {
            EventJson.string(body.append(i > 0 ? "," : ""), params[i]);
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + relay.gatewayA().port() + "/";
        Event auth = who.sign(System.currentTimeMillis() / 1000, 27235, List.of(List.of("u", url),
                List.of("method", "POST"), List.of("payload", HttpAuth.sha256Hex(bytes))), "");
        return send(bytes, "Nostr " + Base64.getEncoder().encodeToString(EventJson.write(auth).getBytes(StandardCharsets.UTF_8)));
    }

    private static Answer send(byte[] body, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.gatewayA().port() + "/"))
                .header("Content-Type", "application/nostr+json+rpc").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), Json.read(response.body()));
    }

    private static WsClient clientB() {
        return new WsClient(relay.gatewayB().port());
    }

    @Test
    void withoutAValidAdminAuthorizationEveryCallIs401() throws Exception {
        byte[] body = "{\"method\":\"supportedmethods\",\"params\":[]}".getBytes(StandardCharsets.UTF_8);
        Answer none = send(body, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().path("error").asText()).startsWith("unauthorized: an Authorization header");
        Answer stranger = call(EventSigner.random(), "supportedmethods");
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.body().path("error").asText()).contains("is not an admin of this relay");

        Answer methods = call(TestRelay.ADMIN, "supportedmethods");
        assertThat(methods.status()).isEqualTo(200);
        assertThat(methods.body().path("result").toString()).contains("\"banpubkey\"", "\"listbannedevents\"",
                "\"changerelayicon\"", "\"listblockedips\"");
        Answer unknown = call(TestRelay.ADMIN, "grantrole", "x");
        assertThat(unknown.body().path("error").asText()).startsWith("unsupported method 'grantrole'");
        assertThat(call(TestRelay.ADMIN, "banpubkey", "npub1notahexkey").body().path("error").asText()).startsWith("invalid:");
    }

    @Test
    void aBanReachesAnotherProcesssPolicyWithinASecond() throws Exception {
        // Given a policy reader of its own, as another gateway, validator or archiver process has
        try (PolicyReader other = PolicyReader.start(relay.settings.kafka(), new PolicyView(), "it-other")) {
            assertThat(other.awaitCaughtUp(WAIT)).isTrue();
            EventSigner troll = EventSigner.random();
            // When an admin bans a pubkey on gateway A
            long start = System.nanoTime();
            call(TestRelay.ADMIN, "banpubkey", troll.pubkey());
            // Then the other process knows within a second
            while (!other.view().isBannedPubkey(troll.pubkey()) && System.nanoTime() - start < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the other process applied it").isLessThan(1_000);
            call(TestRelay.ADMIN, "unbanpubkey", troll.pubkey());
        }
    }

    @Test
    void aBannedPubkeyCanPublishNowhereUntilUnbanned() throws Exception {
        EventSigner spammer = EventSigner.random();
        assertThat(call(TestRelay.ADMIN, "banpubkey", spammer.pubkey(), "spam").body().path("result").asBoolean()).isTrue();
        assertThat(call(TestRelay.ADMIN, "listbannedpubkeys").body().path("result").toString())
                .contains("{\"pubkey\":\"" + spammer.pubkey() + "\",\"reason\":\"spam\"}");
        try (WsClient b = clientB()) {
            Event note = spammer.sign(System.currentTimeMillis() / 1000, 1, List.of(), "buy now");
            assertThat(publish(b, note)).isEqualTo(Nostr.ok(note, false, "blocked: this pubkey is banned from this relay"));
            call(TestRelay.ADMIN, "unbanpubkey", spammer.pubkey());
            assertThat(call(TestRelay.ADMIN, "listbannedpubkeys").body().path("result").toString()).doesNotContain(spammer.pubkey());
            assertThat(publish(b, note)).isEqualTo(Nostr.ok(note, true, ""));
        }
    }

    @Test
    void aBannedEventLeavesTheStoreAndIsNeverTakenAgain() throws Exception {
        EventSigner alice = EventSigner.random();
        Event note = alice.sign(System.currentTimeMillis() / 1000, 1, List.of(), "objectionable");
        String byId = "{\"ids\":[\"" + note.id() + "\"]}";
        try (WsClient b = clientB()) {
            publish(b, note);
            assertThat(query(b, "before", byId)).containsExactly(delivered("before", note));
            assertThat(call(TestRelay.ADMIN, "banevent", note.id(), "illegal").body().path("result").asBoolean()).isTrue();
            waitFor(() -> {
                try {
                    return query(b, "after", byId).isEmpty();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(publish(b, note)).isEqualTo(Nostr.ok(note, false, "blocked: this event is banned from this relay"));
            assertThat(call(TestRelay.ADMIN, "listbannedevents").body().path("result").toString())
                    .contains("{\"id\":\"" + note.id() + "\",\"reason\":\"illegal\"}");
            call(TestRelay.ADMIN, "allowevent", note.id());
            assertThat(call(TestRelay.ADMIN, "listbannedevents").body().path("result").toString()).doesNotContain(note.id());
        }
    }

    @Test
    void anAllowListAdmitsOnlyItsPubkeysWhileItHasAny() throws Exception {
        EventSigner member = EventSigner.random();
        EventSigner outsider = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        try (WsClient b = clientB()) {
            call(TestRelay.ADMIN, "allowpubkey", member.pubkey());
            try {
                assertThat(call(TestRelay.ADMIN, "listallowedpubkeys").body().path("result").toString()).contains(member.pubkey());
                Event in = member.sign(now, 1, List.of(), "member");
                Event out = outsider.sign(now, 1, List.of(), "outsider");
                assertThat(publish(b, in)).isEqualTo(Nostr.ok(in, true, ""));
                assertThat(publish(b, out)).startsWith("[\"OK\",\"" + out.id() + "\",false,\"restricted: ");
            } finally {
                call(TestRelay.ADMIN, "unallowpubkey", member.pubkey());
            }
            Event later = outsider.sign(now + 1, 1, List.of(), "open again");
            assertThat(publish(b, later)).isEqualTo(Nostr.ok(later, true, ""));
        }
    }

    @Test
    void theRelaysNameDescriptionAndIconChangeInItsInformationDocument() throws Exception {
        try {
            call(TestRelay.ADMIN, "changerelayname", "Renamed relay");
            call(TestRelay.ADMIN, "changerelaydescription", "Run by admins");
            call(TestRelay.ADMIN, "changerelayicon", "https://relay.example.com/icon.png");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.gatewayB().port() + "/"))
                    .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode info = Json.read(r.body());
            assertThat(info.path("name").asText()).isEqualTo("Renamed relay");
            assertThat(info.path("description").asText()).isEqualTo("Run by admins");
            assertThat(info.path("icon").asText()).isEqualTo("https://relay.example.com/icon.png");
            assertThat(info.path("supported_nips").toString()).contains("86");
        } finally {
            // the relay is shared with the other tests
            call(TestRelay.ADMIN, "changerelayname", relay.settings.relayName());
            call(TestRelay.ADMIN, "changerelaydescription", relay.settings.relayDescription());
        }
    }

    @Test
    void aBlockedAddressIsDisconnectedAndRefusedUntilUnblocked() throws Exception {
        try (WsClient b = clientB()) {
            assertThat(query(b, "alive", "{\"limit\":1}")).hasSizeLessThanOrEqualTo(1);
            try {
                assertThat(call(TestRelay.ADMIN, "blockip", "127.0.0.1", "abuse").body().path("result").asBoolean()).isTrue();
                assertThat(b.closed()).succeedsWithin(WAIT);
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + relay.gatewayB().port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(call(TestRelay.ADMIN, "listblockedips").body().path("result").toString())
                        .contains("{\"ip\":\"127.0.0.1\",\"reason\":\"abuse\"}");
            } finally {
                call(TestRelay.ADMIN, "unblockip", "127.0.0.1");
            }
        }
        try (WsClient again = clientB()) {
            assertThat(query(again, "back", "{\"limit\":1}")).hasSizeLessThanOrEqualTo(1);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
