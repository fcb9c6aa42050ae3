package io.nostrex.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.EventVerifier;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventJudgeTest {
    private static final long NOW = 1_750_000_000L;
    private static final EventSigner ALICE = EventSigner.random();

    private final EventJudge judge = new EventJudge(EventVerifier.best(),
            Policies.defaults(new Policies.Limits(100, 3, 64, 900, 0, 8)), 1000);

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("future", ALICE.sign(NOW + 901, 1, List.of(), "x"), "invalid: created_at is more than 900",
                        "created_at_future"),
                Arguments.of("long content", ALICE.sign(NOW, 1, List.of(), "x".repeat(101)), "invalid: content is longer",
                        "content_length"),
                Arguments.of("too many tags", ALICE.sign(NOW, 1, List.of(List.of("t", "a"), List.of("t", "b"),
                        List.of("t", "c"), List.of("t", "d")), "x"), "invalid: more than 3 tags", "tag_count"),
                Arguments.of("long tag value", ALICE.sign(NOW, 1, List.of(List.of("t", "y".repeat(65))), "x"),
                        "invalid: a tag value is longer", "tag_value_length"),
                Arguments.of("expired", ALICE.sign(NOW, 1, List.of(List.of("expiration", String.valueOf(NOW))), "x"),
                        "invalid: event has expired", "expired"),
                Arguments.of("an AUTH event as an EVENT", ALICE.sign(NOW, 22242, List.of(List.of("challenge", "x")), ""),
                        "invalid: AUTH events (kind 22242)", "auth_event"),
                Arguments.of("protected, from no authenticated connection", ALICE.sign(NOW, 1, List.of(List.of("-")), "x"),
                        "auth-required:", "protected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsPolicyViolationsNamingThePolicy(String name, Event event, String message, String policy) {
        Judgement j = judge.judge(EventJson.write(event), event.id(), NOW);
        assertThat(j.outcome()).isEqualTo(Judgement.Outcome.REJECT);
        assertThat(j.message()).startsWith(message);
        assertThat(j.reason()).isEqualTo(policy);
        assertThat(j.eventId()).isEqualTo(event.id());
    }

    @Test
    void aProtectedEventIsAcceptedOnlyFromItsAuthenticatedAuthor() {
        // Given a protected event of Alice's (NIP-70)
        Event e = powEvent(List.of(List.of("-")));
        String json = EventJson.write(e);
        String bob = EventSigner.random().pubkey();

        // When it comes from no authenticated connection, from one authenticated as Bob, then as Alice and Bob
        Judgement anonymous = judge.judge(json, e.id(), NOW, Set.of());
        Judgement asBob = judge.judge(json, e.id(), NOW, Set.of(bob));
        Judgement asAlice = judge.judge(json, e.id(), NOW, Set.of(bob, ALICE.pubkey()));

        // Then only the last is accepted, and each refusal says why
        assertThat(anonymous.message()).startsWith("auth-required: this event is protected (NIP-70)");
        assertThat(anonymous.reason()).isEqualTo("protected");
        assertThat(asBob.message()).startsWith("restricted: this event is protected (NIP-70)");
        assertThat(asAlice.outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
    }

    @Test
    void writesCanBeLimitedToAuthenticatedUsersAndToAnAllowList() {
        // Given a relay that accepts only authenticated users, and one that accepts only Alice's events
        Policies.Limits limits = new Policies.Limits(100, 3, 64, 900, 0, 8);
        EventJudge authRequired = new EventJudge(EventVerifier.best(), Policies.defaults(limits),
                new WriteAccess(true, Set.of()), 1000);
        EventJudge allowList = new EventJudge(EventVerifier.best(), Policies.defaults(limits),
                new WriteAccess(false, Set.of(ALICE.pubkey())), 1000);
        Event byAlice = powEvent();
        Event byBob = powEvent(EventSigner.random(), List.of());

        // Then
        Judgement anonymous = authRequired.judge(EventJson.write(byAlice), byAlice.id(), NOW, Set.of());
        assertThat(anonymous.message()).startsWith("auth-required: this relay accepts events only from authenticated");
        assertThat(anonymous.reason()).isEqualTo("auth_required");
        assertThat(authRequired.judge(EventJson.write(byBob), byBob.id(), NOW, Set.of(ALICE.pubkey())).outcome())
                .as("any authenticated user may publish any valid event").isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        Judgement notAllowed = allowList.judge(EventJson.write(byBob), byBob.id(), NOW, Set.of());
        assertThat(notAllowed.message()).startsWith("restricted: this relay accepts events only from the pubkeys on its allow list");
        assertThat(notAllowed.reason()).isEqualTo("allow_list");
        assertThat(allowList.judge(EventJson.write(byAlice), byAlice.id(), NOW, Set.of()).outcome())
                .isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        Event vanish = mineWith(EventSigner.random(), 62, List.of(List.of("relay", "ALL_RELAYS")));
        assertThat(authRequired.judge(EventJson.write(vanish), vanish.id(), NOW, Set.of()).outcome())
                .as("a request to vanish is followed whoever sends it").isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(allowList.judge(EventJson.write(vanish), vanish.id(), NOW, Set.of()).outcome())
                .isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(new WriteAccess(false, Set.of()).restricted()).isFalse();
        assertThat(new WriteAccess(true, Set.of()).restricted()).isTrue();
    }

    @Test
    void afterARequestToVanishARecentEventSentAgainGoesOnToTheArchiverToBeRefused() {
        Event note = powEvent();
        assertThat(judge.judge(EventJson.write(note), note.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(judge.judge(EventJson.write(note), note.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.DUPLICATE);
        Event vanish = mineWith(62, List.of(List.of("relay", "ALL_RELAYS")));
        assertThat(judge.judge(EventJson.write(vanish), vanish.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(judge.judge(EventJson.write(note), note.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(judge.judge(EventJson.write(vanish), vanish.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.DUPLICATE);
    }

    @Test
    void anAuthorPastItsEventsPerSecondIsRateLimitedAndNoOneElseIs() {
        EventJudge limited = new EventJudge(EventVerifier.best(), Policies.defaults(new Policies.Limits(100, 3, 64, 900, 0, 8)),
                WriteAccess.open(), new io.nostrex.contract.PolicyView(), 2, 1000);
        Event a1 = powEvent();
        Event a2 = powEvent();
        Event a3 = powEvent();
        Event bob = powEvent(EventSigner.random(), List.of());
        assertThat(limited.judge(EventJson.write(a1), a1.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(limited.judge(EventJson.write(a2), a2.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        Judgement third = limited.judge(EventJson.write(a3), a3.id(), NOW);
        assertThat(third.outcome()).isEqualTo(Judgement.Outcome.REJECT);
        assertThat(third.message()).isEqualTo("rate-limited: this author may publish 2 events per second on this relay; slow down");
        assertThat(third.reason()).isEqualTo("rate_limited");
        assertThat(limited.judge(EventJson.write(a1), a1.id(), NOW).outcome()).as("a repeat costs nothing")
                .isEqualTo(Judgement.Outcome.DUPLICATE);
        assertThat(limited.judge(EventJson.write(bob), bob.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        String forged = EventJson.write(bob).replace(bob.sig(), a1.sig());
        assertThat(limited.judge(forged, bob.id(), NOW).reason()).as("checked before the allowance").isEqualTo("signature");
    }

    @Test
    void idSignatureAndShapeFailuresNameTheirCheck() {
        // Given an event whose content was changed after signing, one with another event's
        // signature, and text that is not an event
        Event e = powEvent();
        Event other = powEvent();
        String tampered = EventJson.write(e).replace("\"content\":\"", "\"content\":\"!");
        String wrongSig = EventJson.write(e).replace(e.sig(), other.sig());

        // When / Then
        assertThat(judge.judge(tampered, e.id(), NOW).reason()).isEqualTo("id");
        assertThat(judge.judge(wrongSig, e.id(), NOW).reason()).isEqualTo("signature");
        assertThat(judge.judge("{nope", "key-id", NOW).reason()).isEqualTo("malformed");
        assertThat(judge.judge(EventJson.write(powEvent()), "k", NOW).reason()).isEmpty();
    }

    @Test
    void acceptsThenReportsDuplicate() {
        Event e = powEvent();
        assertThat(judge.judge(EventJson.write(e), e.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        Judgement again = judge.judge(EventJson.write(e), e.id(), NOW);
        assertThat(again.outcome()).isEqualTo(Judgement.Outcome.DUPLICATE);
        assertThat(again.message()).startsWith("duplicate:");
    }

    @Test
    void aDeletionLetsItsTargetsThroughAgainForTheArchiverToBlock() {
        Event note = powEvent();
        judge.judge(EventJson.write(note), note.id(), NOW);
        Event deletion = mineWith(5, List.of(List.of("e", note.id())));
        assertThat(judge.judge(EventJson.write(deletion), deletion.id(), NOW).outcome())
                .isEqualTo(Judgement.Outcome.ACCEPT_STORED);
        assertThat(judge.judge(EventJson.write(note), note.id(), NOW).outcome())
                .isEqualTo(Judgement.Outcome.ACCEPT_STORED);
    }

    @Test
    void ephemeralIsAcceptedLive() {
        Event e = mine(20001);
        assertThat(judge.judge(EventJson.write(e), e.id(), NOW).outcome()).isEqualTo(Judgement.Outcome.ACCEPT_EPHEMERAL);
    }

    @Test
    void insufficientPowAndBadSignatureAndGarbageAreRejected() {
        Event weak = ALICE.sign(NOW, 1, List.of(), "weak");
        if (io.nostrex.protocol.ProofOfWork.difficulty(weak.id()) < 8) {
            assertThat(judge.judge(EventJson.write(weak), weak.id(), NOW).message()).startsWith("pow:");
        }
        Event e = powEvent();
        String tampered = EventJson.write(e).replace("\"content\":\"", "\"content\":\"!");
        assertThat(judge.judge(tampered, e.id(), NOW).message()).startsWith("invalid: event id does not match");
        Judgement garbage = judge.judge("{nope", "key-id", NOW);
        assertThat(garbage.outcome()).isEqualTo(Judgement.Outcome.REJECT);
        assertThat(garbage.eventId()).isEqualTo("key-id");
        assertThat(garbage.message()).startsWith("invalid: malformed JSON");
    }

    private static int counter;

    private static Event powEvent() {
        return mine(1);
    }

    private static Event mine(int kind) {
        return mineWith(kind, List.of());
    }

    /** An event whose id has at least 8 leading zero bits, mined with a nonce tag (NIP-13). */
    private static Event mineWith(int kind, List<List<String>> tags) {
        return mineWith(ALICE, kind, tags);
    }

    private static Event powEvent(List<List<String>> tags) {
        return mineWith(ALICE, 1, tags);
    }

    private static Event powEvent(EventSigner signer, List<List<String>> tags) {
        return mineWith(signer, 1, tags);
    }

    private static Event mineWith(EventSigner signer, int kind, List<List<String>> tags) {
        for (int nonce = 0; ; nonce++) {
            List<List<String>> all = new java.util.ArrayList<>(tags);
            all.add(List.of("nonce", String.valueOf(nonce), "8"));
            Event e = signer.sign(NOW, kind, all, "pow " + counter);
            if (io.nostrex.protocol.ProofOfWork.difficulty(e.id()) >= 8) {
                counter++;
                return e;
            }
        }
    }
}
