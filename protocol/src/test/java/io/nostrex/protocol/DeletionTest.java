package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeletionTest {
    private static final String PK = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private static final String ID = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";

    private static Event event(int kind, List<List<String>> tags) {
        return new Event("0".repeat(64), PK, 1000, kind, tags, "spam", "0".repeat(128));
    }

    @Test
    void targetsAreReadFromETagsATagsAndKTagsSkippingMalformedOnes() {
        // Given
        Event request = event(5, List.of(
                List.of("e", ID),
                List.of("e", ID.toUpperCase()),
                List.of("e", ID.substring(1)),
                List.of("e"),
                List.of("a", "30023:" + PK + ":my-post"),
                List.of("a", "30023:" + PK),
                List.of("a", "not an address"),
                List.of("a", "10002:" + PK + ":"),
                List.of("k", "1"),
                List.of("k", "65536"),
                List.of("k", "-1"),
                List.of("k", "1.5"),
                List.of("k", "x"),
                List.of("k", "30023"),
                List.of("p", PK)));

        // When
        Deletion deletion = Deletion.of(request);

        // Then
        assertThat(deletion.eventIds()).containsExactly(ID);
        assertThat(deletion.addresses()).containsExactly("30023:" + PK + ":my-post", "10002:" + PK + ":");
        assertThat(deletion.kinds()).containsExactly(1, 30023);
    }

    @Test
    void deletionWithoutTargetsIsEmpty() {
        assertThat(Deletion.of(event(5, List.of()))).isEqualTo(new Deletion(List.of(), List.of(), List.of()));
    }

    @Test
    void onlyKind5IsADeletionRequest() {
        assertThatThrownBy(() -> Deletion.of(event(1, List.of(List.of("e", ID)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a deletion request: kind 1");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
            "30023:$:slug, true",
            "30023:$:, true",
            "0:$:, true",
            "65535:$:d, true",
            "30023:$:a:b:c, true",
            "65536:$:d, false",
            "123456:$:d, false",
            ":$:d, false",
            "x:$:d, false",
            "-1:$:d, false",
            "30023:$, false",
            "30023:$x, false",
            "30023::$, false",
            "'', false",
    })
    void addressIsKindColonPubkeyColonD(String template, boolean expected) {
        assertThat(Deletion.isAddress(template.replace("$", PK))).isEqualTo(expected);
    }

    @Test
    void addressWithUppercaseOrShortPubkeyIsRejected() {
        assertThat(Deletion.isAddress("1:" + PK.toUpperCase() + ":d")).isFalse();
        assertThat(Deletion.isAddress("1:" + PK.substring(2) + ":d")).isFalse();
    }

    @Test
    void addressPubkeyIsTheMiddlePart() {
        assertThat(Deletion.addressPubkey("30023:" + PK + ":a:b")).isEqualTo(PK);
    }
}
