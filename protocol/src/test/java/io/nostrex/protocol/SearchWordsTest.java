package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchWordsTest {
    private static final EventSigner ALICE = EventSigner.random();

    @Test
    void wordsAreLowerCasedRunsOfLettersDigitsAndMarks() {
        assertThat(SearchWords.of("Hello, Nostr-world! GM 2024 #bitcoin @alice: v1.2 caf\u00e9 e\u0301cole \u65e5\u672c\u8a9e"))
                .containsExactly("hello", "nostr", "world", "gm", "2024", "bitcoin", "alice", "v1", "2", "caf\u00e9",
                        "e\u0301cole", "\u65e5\u672c\u8a9e");
        assertThat(SearchWords.of("https://example.com/a?b=c")).containsExactly("https", "example", "com", "a", "b", "c");
        assertThat(SearchWords.of("emoji\uD83D\uDE00between")).containsExactly("emoji", "between");
        assertThat(SearchWords.of("")).isEmpty();
        assertThat(SearchWords.of("x".repeat(SearchWords.MAX_WORD_LENGTH + 1) + " kept")).containsExactly("kept");
    }

    @Test
    void aSearchIsItsWordsWithoutExtensionsOrRepeats() {
        assertThat(SearchWords.ofSearch("Bitcoin bitcoin include:spam language:en domain:x.com nostr"))
                .containsExactly("bitcoin", "nostr");
        assertThat(SearchWords.ofSearch("include:spam")).isEmpty();
    }

    @Test
    void anEventMatchesWhenItHasEveryWordOfTheSearch() {
        Event note = ALICE.sign(1, 1, List.of(), "GM Nostr! Coffee & code.");
        assertThat(SearchWords.matches(note, "gm")).isTrue();
        assertThat(SearchWords.matches(note, "coffee NOSTR include:spam")).isTrue();
        assertThat(SearchWords.matches(note, "coffee tea")).isFalse();
        assertThat(SearchWords.matches(note, "cof")).as("whole words only").isFalse();
        assertThat(SearchWords.matches(note, "language:en")).as("no words: no condition").isTrue();
        Event dm = ALICE.sign(1, 4, List.of(), "gm");
        assertThat(SearchWords.matches(dm, "gm")).as("encrypted content has no words").isFalse();
        Filter filter = new Filter(null, null, java.util.Set.of(1), java.util.Map.of(), null, null, null, "code");
        assertThat(filter.matches(note)).isTrue();
        assertThat(filter.matches(ALICE.sign(1, 1, List.of(), "decode"))).isFalse();
    }
}
