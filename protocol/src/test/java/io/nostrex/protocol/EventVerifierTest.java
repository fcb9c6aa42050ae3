package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.crypto.BouncyCastleSchnorrVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventVerifierTest {
    private static final EventVerifier VERIFIER = EventVerifier.best();
    private static final String BAD_ID = "invalid: event id does not match the sha256 of its canonical serialization";
    private static final String BAD_SIG = "invalid: signature is not a valid BIP-340 signature of the id by the pubkey";

    @Test
    void wholeCorpusVerifies() {
        List<String> failures = new ArrayList<>();
        for (Event e : TestCorpus.events()) {
            try {
                VERIFIER.verify(e);
            } catch (InvalidEventException ex) {
                failures.add(e.id() + ": " + ex.getMessage());
            }
        }
        assertThat(TestCorpus.events()).hasSize(TestCorpus.SIZE);
        assertThat(failures).isEmpty();
    }

    @Test
    void everyCorpusLineParsesAndVerifiesFromItsOriginalJson() throws Exception {
        for (String line : TestCorpus.lines().subList(0, 200)) {
            assertThat(VERIFIER.parseAndVerify(line)).isNotNull();
        }
    }

    @Test
    void pureJavaVerifierAcceptsASample() throws Exception {
        EventVerifier pure = new EventVerifier(new BouncyCastleSchnorrVerifier());
        assertThat(pure.verifierName()).isEqualTo("bouncycastle");
        for (Event e : oneEventPerKind().values()) {
            pure.verify(e);
        }
    }

    /** Each tampering, and the message it must produce. */
    static Stream<Arguments> tamperings() {
        String otherId = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
        String otherPubkey = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
        return Stream.of(
                tampering("changed content", e -> event(e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(),
                        e.content() + " ", e.sig()), BAD_ID),
                tampering("changed created_at", e -> event(e.id(), e.pubkey(), e.createdAt() + 1, e.kind(), e.tags(),
                        e.content(), e.sig()), BAD_ID),
                tampering("changed kind", e -> event(e.id(), e.pubkey(), e.createdAt(), e.kind() ^ 1, e.tags(),
                        e.content(), e.sig()), BAD_ID),
                tampering("added tag", e -> event(e.id(), e.pubkey(), e.createdAt(), e.kind(), addTag(e),
                        e.content(), e.sig()), BAD_ID),
                tampering("changed pubkey", e -> event(e.id(), otherPubkey, e.createdAt(), e.kind(), e.tags(),
                        e.content(), e.sig()), BAD_ID),
                tampering("changed one sig hex digit", e -> event(e.id(), e.pubkey(), e.createdAt(), e.kind(),
                        e.tags(), e.content(), flipHexDigit(e.sig(), 100)), BAD_SIG),
                tampering("changed first sig hex digit", e -> event(e.id(), e.pubkey(), e.createdAt(), e.kind(),
                        e.tags(), e.content(), flipHexDigit(e.sig(), 0)), BAD_SIG),
                tampering("id replaced by another valid-hex id", e -> event(otherId, e.pubkey(), e.createdAt(),
                        e.kind(), e.tags(), e.content(), e.sig()), BAD_ID),
                tampering("changed content, id recomputed", e -> rehashed(event(e.id(), e.pubkey(), e.createdAt(),
                        e.kind(), e.tags(), e.content() + " ", e.sig())), BAD_SIG),
                tampering("changed pubkey, id recomputed", e -> rehashed(event(e.id(), otherPubkey, e.createdAt(),
                        e.kind(), e.tags(), e.content(), e.sig())), BAD_SIG));
    }

    /** Every tampering applied to one corpus event of each kind. */
    static Stream<Arguments> tamperedEventsOfEveryKind() {
        List<Event> samples = List.copyOf(oneEventPerKind().values());
        return tamperings().flatMap(t -> samples.stream().map(e -> Arguments.of(t.get()[0], e.kind(),
                ((UnaryOperator<Event>) t.get()[1]).apply(e), t.get()[2])));
    }

    @ParameterizedTest(name = "{0}, kind {1}")
    @MethodSource("tamperedEventsOfEveryKind")
    void tamperedEventFailsWithTheRightMessage(String tampering, int kind, Event tampered, String message) {
        assertThatThrownBy(() -> VERIFIER.verify(tampered))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(message);
    }

    @Test
    void eventWithAnUnpairedSurrogateCannotBeSerialized() {
        Event e = TestCorpus.events().get(0);
        Event broken = event(e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), "ab\ud800", e.sig());

        assertThatThrownBy(() -> VERIFIER.verify(broken))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("invalid: event cannot be serialized: unpaired surrogate at index 2");
    }

    @Test
    void parseAndVerifyReportsParseErrorsFirst() {
        assertThatThrownBy(() -> VERIFIER.parseAndVerify("{}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("invalid: missing id");
    }

    private static Map<Integer, Event> oneEventPerKind() {
        Map<Integer, Event> byKind = new LinkedHashMap<>();
        for (Event e : TestCorpus.events()) {
            byKind.putIfAbsent(e.kind(), e);
        }
        return byKind;
    }

    private static Arguments tampering(String name, UnaryOperator<Event> change, String message) {
        return Arguments.of(name, change, message);
    }

    private static Event event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                               String content, String sig) {
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static Event rehashed(Event e) {
        Event withId = event(Canonical.id(e), e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content(), e.sig());
        assertThat(withId.id()).isNotEqualTo(e.id());
        return withId;
    }

    private static List<List<String>> addTag(Event e) {
        List<List<String>> tags = new ArrayList<>(e.tags());
        tags.add(List.of("t", "tampered"));
        return tags;
    }

    private static String flipHexDigit(String hex, int index) {
        char c = hex.charAt(index);
        char flipped = Character.forDigit(Character.digit(c, 16) ^ 1, 16);
        return hex.substring(0, index) + flipped + hex.substring(index + 1);
    }
}
