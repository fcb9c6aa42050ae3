package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventTest {
    private static final String PK = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    private static Event event(int kind, List<List<String>> tags) {
        return new Event("0".repeat(64), PK, 1000, kind, tags, "", "0".repeat(128));
    }

    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.of(1, List.of(List.of("d", "x")), null),
                Arguments.of(20001, List.of(), null),
                Arguments.of(0, List.of(), "0:" + PK + ":"),
                Arguments.of(3, List.of(List.of("d", "ignored")), "3:" + PK + ":"),
                Arguments.of(10002, List.of(), "10002:" + PK + ":"),
                Arguments.of(30023, List.of(List.of("d", "my-post")), "30023:" + PK + ":my-post"),
                Arguments.of(30023, List.of(List.of("d", "a:b")), "30023:" + PK + ":a:b"),
                Arguments.of(30023, List.of(), "30023:" + PK + ":"),
                Arguments.of(30023, List.of(List.of("d")), "30023:" + PK + ":"),
                Arguments.of(39999, List.of(List.of("d", "first"), List.of("d", "second")), "39999:" + PK + ":first"));
    }

    @ParameterizedTest(name = "kind {0}, tags {1} -> {2}")
    @MethodSource("addresses")
    void addressOfReplaceableAndAddressableEvents(int kind, List<List<String>> tags, String expected) {
        assertThat(event(kind, tags).address()).isEqualTo(expected);
    }

    @Test
    void dTagIsEmptyWhenAbsent() {
        assertThat(event(30000, List.of()).dTag()).isEmpty();
        assertThat(event(30000, List.of(List.of("d", "slug"), List.of("d", "other"))).dTag()).isEqualTo("slug");
        assertThat(event(30000, List.of(List.of("D", "upper"))).dTag()).isEmpty();
    }

    @ParameterizedTest(name = "expiration \"{0}\" -> {1}")
    @CsvSource(nullValues = "absent", value = {
            "1700000000, 1700000000",
            "0, 0",
            "000123, 123",
            "999999999999999999, 999999999999999999",
            "'', absent",
            "-1, absent",
            "+5, absent",
            "1.5, absent",
            "1e9, absent",
            "abc, absent",
            "' 5', absent",
            "1234567890123456789, absent",
    })
    void expirationIsANonNegativeIntegerOrEmpty(String value, Long expected) {
        OptionalLong exp = event(1, List.of(List.of("expiration", value))).expiration();
        assertThat(exp).isEqualTo(expected == null ? OptionalLong.empty() : OptionalLong.of(expected));
    }

    @Test
    void expirationAbsentOrWithoutValueIsEmpty() {
        assertThat(event(1, List.of()).expiration()).isEmpty();
        assertThat(event(1, List.of(List.of("expiration"))).expiration()).isEmpty();
    }

    @ParameterizedTest(name = "expires 1000, now {0} -> expired {1}")
    @CsvSource({"999, false", "1000, true", "1001, true"})
    void isExpiredAtIsInclusive(long now, boolean expired) {
        assertThat(event(1, List.of(List.of("expiration", "1000"))).isExpiredAt(now)).isEqualTo(expired);
    }

    @Test
    void eventWithoutExpirationNeverExpires() {
        assertThat(event(1, List.of()).isExpiredAt(Long.MAX_VALUE)).isFalse();
        assertThat(event(1, List.of(List.of("expiration", "soon"))).isExpiredAt(Long.MAX_VALUE)).isFalse();
    }

    static Stream<Arguments> protectedTags() {
        return Stream.of(
                Arguments.of(List.of(List.of("-")), true),
                Arguments.of(List.of(List.of("t", "x"), List.of("-")), true),
                Arguments.of(List.of(), false),
                Arguments.of(List.of(List.of("-", "x")), false),
                Arguments.of(List.of(List.of("t", "-")), false),
                Arguments.of(List.of(List.of("--")), false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("protectedTags")
    void protectedWhenItCarriesTheBareDashTag(List<List<String>> tags, boolean expected) {
        assertThat(event(1, tags).isProtected()).isEqualTo(expected);
    }

    @Test
    void tagLookupsReturnSecondElementsInOrder() {
        Event e = event(1, List.of(List.of("e", "1"), List.of("p", "2"), List.of("e", "3", "relay"), List.of("e")));

        assertThat(e.tagValues("e")).containsExactly("1", "3");
        assertThat(e.tagValues("x")).isEmpty();
        assertThat(e.firstTagValue("e")).isEqualTo("1");
        assertThat(e.firstTagValue("x")).isNull();
        assertThat(e.hasTag("e")).isTrue();
        assertThat(e.hasTag("E")).isFalse();
    }

    @Test
    void tagsAreCopiedAndImmutable() {
        // Given
        List<String> tag = new ArrayList<>(List.of("t", "a"));
        List<List<String>> tags = new ArrayList<>(List.of(tag));
        Event e = event(1, tags);

        // When
        tag.set(1, "changed");
        tags.add(List.of("x"));

        // Then
        assertThat(e.tags()).containsExactly(List.of("t", "a"));
        assertThatThrownBy(() -> e.tags().add(List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.tags().get(0).set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void kindClassFollowsTheKind() {
        assertThat(event(30023, List.of()).kindClass()).isEqualTo(KindClass.ADDRESSABLE);
    }
}
