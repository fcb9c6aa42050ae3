package io.nostrex.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.EventVerifier;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AuthEventsTest {
    private static final long NOW = 1_750_000_000L;
    private static final String CHALLENGE = "c0ffee";
    private static final Set<String> URLS = Set.of("wss://relay.example.com", "ws://127.0.0.1:7777");
    private static final EventSigner ALICE = EventSigner.random();
    private final AuthEvents auth = new AuthEvents(EventVerifier.best());

    private static Event authEvent(long createdAt, int kind, String relay, String challenge) {
        return ALICE.sign(createdAt, kind, List.of(List.of("relay", relay), List.of("challenge", challenge)), "");
    }

    @Test
    void aSignedEventWithTheChallengeAndOneOfTheRelaysUrlsAuthenticates() {
        assertThat(auth.problem(authEvent(NOW, 22242, "wss://relay.example.com/", CHALLENGE), CHALLENGE, URLS, NOW))
                .isNull();
        assertThat(auth.problem(authEvent(NOW - 590, 22242, "WS://127.0.0.1:7777", CHALLENGE), CHALLENGE, URLS, NOW))
                .isNull();
        assertThat(auth.problem(authEvent(NOW + 590, 22242, "wss://Relay.Example.com:443", CHALLENGE), CHALLENGE, URLS, NOW))
                .isNull();
    }

    static Stream<Arguments> refusals() {
        Event good = authEvent(NOW, 22242, "wss://relay.example.com", CHALLENGE);
        return Stream.of(
                Arguments.of("another kind", authEvent(NOW, 1, "wss://relay.example.com", CHALLENGE),
                        "invalid: an AUTH event must be of kind 22242"),
                Arguments.of("another challenge", authEvent(NOW, 22242, "wss://relay.example.com", "other"),
                        "invalid: the challenge tag does not match"),
                Arguments.of("no challenge", ALICE.sign(NOW, 22242, List.of(List.of("relay", "wss://relay.example.com")), ""),
                        "invalid: the challenge tag does not match"),
                Arguments.of("another relay", authEvent(NOW, 22242, "wss://other.example.com", CHALLENGE),
                        "invalid: the relay tag 'wss://other.example.com' is not this relay's URL"),
                Arguments.of("another port", authEvent(NOW, 22242, "ws://127.0.0.1:7778", CHALLENGE),
                        "invalid: the relay tag"),
                Arguments.of("not a URL", authEvent(NOW, 22242, "relay.example.com", CHALLENGE), "invalid: the relay tag"),
                Arguments.of("no relay tag", ALICE.sign(NOW, 22242, List.of(List.of("challenge", CHALLENGE)), ""),
                        "invalid: the AUTH event has no relay tag"),
                Arguments.of("eleven minutes old", authEvent(NOW - 660, 22242, "wss://relay.example.com", CHALLENGE),
                        "invalid: the AUTH event's created_at is more than 10 minutes"),
                Arguments.of("eleven minutes ahead", authEvent(NOW + 660, 22242, "wss://relay.example.com", CHALLENGE),
                        "invalid: the AUTH event's created_at is more than 10 minutes"),
                Arguments.of("another's signature", new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(),
                        good.tags(), good.content(), authEvent(NOW, 22242, "wss://relay.example.com/x", CHALLENGE).sig()),
                        EventVerifier.BAD_SIGNATURE),
                Arguments.of("a forged id", new Event("0".repeat(64), good.pubkey(), good.createdAt(), good.kind(),
                        good.tags(), good.content(), good.sig()), "invalid: event id does not match"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyOtherEventIsRefusedWithItsReason(String name, Event e, String reason) {
        assertThat(auth.problem(e, CHALLENGE, URLS, NOW)).startsWith(reason);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "wss://Relay.Example.COM/, wss://relay.example.com",
            "wss://relay.example.com:443, wss://relay.example.com",
            "ws://relay.example.com:80/nostr/, ws://relay.example.com/nostr",
            "ws://relay.example.com:7777?x=1#y, ws://relay.example.com:7777",
            "https://relay.example.com, null",
            "relay.example.com, null",
            "'wss://', null"})
    void urlsAreComparedInOneForm(String url, String normalized) {
        assertThat(AuthEvents.normalize(url)).isEqualTo(normalized);
    }
}
