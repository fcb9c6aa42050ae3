package io.nostrex.store;

import static io.nostrex.store.TestEvents.ALICE;
import static io.nostrex.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Indexed tag keys and normalised addresses. */
class TagIndexTest {

    @Test
    void singleLetterTagsWithAValueAreIndexedOnce() {
        var e = event().tag("e", "x").tag("e", "x").tag("t", "nostr").tag("p").tag("client", "damus")
                .tag("T", "Up").build();
        assertThat(TagIndex.keys(e)).containsExactly("e:x", "t:nostr", "T:Up");
    }

    @Test
    void longOrNulValuesAreKeyedByTheirDigest() {
        String longValue = "v".repeat(TagIndex.MAX_PLAIN_VALUE + 1);
        assertThat(TagIndex.key('t', "v".repeat(TagIndex.MAX_PLAIN_VALUE))).startsWith("t:");
        assertThat(TagIndex.key('t', longValue)).startsWith("#").hasSize(65);
        assertThat(TagIndex.key('t', "a\0b")).startsWith("#").isNotEqualTo(TagIndex.key('t', "ab"));
        assertThat(TagIndex.key('t', longValue)).isNotEqualTo(TagIndex.key('e', longValue));
    }

    @Test
    void addressesAreNormalisedAsEventAddressSpellsThem() {
        assertThat(Addresses.normalize("30023:" + ALICE + ":my:post")).isEqualTo("30023:" + ALICE + ":my:post");
        assertThat(Addresses.normalize("030023:" + ALICE + ":x")).isNull();
        assertThat(Addresses.normalize("0003:" + ALICE + ":")).isEqualTo("3:" + ALICE + ":");
        assertThat(Addresses.normalize("10002:" + ALICE + ":ignored")).isEqualTo("10002:" + ALICE + ":");
        assertThat(Addresses.normalize("1:" + ALICE + ":")).isNull();
        assertThat(Addresses.normalize("20000:" + ALICE + ":")).isNull();
        assertThat(Addresses.normalize("nonsense")).isNull();
    }

    @Test
    void addressOfAnEventAndOfItsATagAgree() {
        var e = event().kind(30023).tag("d", "post").build();
        assertThat(Addresses.normalize(TestEvents.address(30023, ALICE, "post"))).isEqualTo(e.address());
    }
}
