package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Filter matching as a pure function. Filters are written as NIP-01 JSON; {@code <x>} stands for the
 * 64-character hex string {@code xxxx...x}.
 */
class FilterTest {
    /** Given: the one event every case is matched against. */
    private static final Event EVENT = new Event(hex('1'), hex('a'), 1000, 1, List.of(
            List.of("e", hex('e'), "wss://relay.example.com/"),
            List.of("p", hex('b')),
            List.of("t", "nostr"),
            List.of("T", "Upper"),
            List.of("#e", hex('c')),
            List.of("ee", hex('d')),
            List.of("x")), "hello", "0".repeat(128));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}                                    | true
            # ids: [] matches nothing, absent matches all, values ORed
            {"ids":[]}                            | false
            {"ids":["<1>"]}                       | true
            {"ids":["<2>"]}                       | false
            {"ids":["<2>","<1>"]}                 | true
            # authors
            {"authors":["<a>"]}                   | true
            {"authors":["<b>"]}                   | false
            {"authors":["<b>","<a>"]}             | true
            {"authors":[]}                        | false
            # kinds
            {"kinds":[1]}                         | true
            {"kinds":[0]}                         | false
            {"kinds":[0,7,1]}                     | true
            {"kinds":[]}                          | false
            # since and until are inclusive (event created_at = 1000)
            {"since":999}                         | true
            {"since":1000}                        | true
            {"since":1001}                        | false
            {"until":1001}                        | true
            {"until":1000}                        | true
            {"until":999}                         | false
            {"since":1000,"until":1000}           | true
            {"since":1001,"until":999}            | false
            {"since":0,"until":0}                 | false
            # #e matches only tags named "e", never "#e" or "ee"
            {"#e":["<e>"]}                        | true
            {"#e":["<c>"]}                        | false
            {"#e":["<d>"]}                        | false
            {"#e":["<c>","<e>"]}                  | true
            {"#e":[]}                             | false
            {"#p":["<b>"]}                        | true
            {"#p":["<e>"]}                        | false
            # tag letters and values are case-sensitive
            {"#t":["nostr"]}                      | true
            {"#t":["NOSTR"]}                      | false
            {"#t":["Upper"]}                      | false
            {"#T":["Upper"]}                      | true
            {"#T":["nostr"]}                      | false
            # a tag without a value, or an absent tag, matches no value
            {"#x":[""]}                           | false
            {"#z":["anything"]}                   | false
            # fields are ANDed
            {"kinds":[1],"authors":["<b>"]}       | false
            {"kinds":[1],"authors":["<a>"]}       | true
            {"kinds":[1],"#t":["nostr"],"#p":["<a>"]} | false
            {"ids":["<1>"],"authors":["<a>"],"kinds":[1],"#e":["<e>"],"#t":["nostr"],"since":1000,"until":1000} | true
            # limit takes no part in matching; search (NIP-50) needs every word in the content
            {"limit":0}                           | true
            {"search":"no such words"}            | false
            {"search":"HELLO include:spam"}       | true
            {"search":"language:en"}              | true
            """)
    void matchesOneEvent(String filterJson, boolean expected) throws Exception {
        assertThat(filter(filterJson).matches(EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            []                                    | false
            [{"kinds":[1]}]                       | true
            [{"kinds":[0]},{"kinds":[1]}]         | true
            [{"kinds":[0]},{"authors":["<b>"]}]   | false
            [{"ids":[]},{"#t":["nostr"]}]         | true
            [{"since":1001},{"until":999}]        | false
            """)
    void filtersOfOneRequestAreOred(String filtersJson, boolean expected) throws Exception {
        List<Filter> filters = new ArrayList<>();
        for (var node : Json.read(expand(filtersJson))) {
            filters.add(FilterParser.parse(node));
        }
        assertThat(Filter.anyMatches(filters, EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}                                    | false
            {"ids":["<1>"]}                       | false
            {"ids":[]}                            | true
            {"authors":[]}                        | true
            {"kinds":[]}                          | true
            {"#t":[]}                             | true
            {"kinds":[1],"#t":[]}                 | true
            {"since":1000,"until":1000}           | false
            {"since":1001,"until":1000}           | true
            {"limit":0}                           | false
            """)
    void matchesNothing(String filterJson, boolean expected) throws Exception {
        assertThat(filter(filterJson).matchesNothing()).isEqualTo(expected);
    }

    @Test
    void aFilterWithNoConditionsMatchesAnyEvent() {
        assertThat(Filter.any().matches(EVENT)).isTrue();
        assertThat(Filter.any().matchesNothing()).isFalse();
        assertThat(new Filter(null, null, null, null, null, null, null, null)).isEqualTo(Filter.any());
    }

    @Test
    void tagConditionsAreKeyedByTheLetterNotByHashLetter() throws Exception {
        assertThat(filter("{\"#e\":[\"<e>\"]}").tags()).containsOnlyKeys('e');
    }

    @Test
    void withLimitChangesOnlyTheLimit() throws Exception {
        Filter f = filter("{\"kinds\":[1],\"limit\":10}");
        assertThat(f.withLimit(5)).isEqualTo(filter("{\"kinds\":[1],\"limit\":5}"));
    }

    @Test
    void newestFirstOrdersByCreatedAtDescendingThenLowestId() {
        // Given
        Event oldest = at(hex('5'), 100);
        Event newestHighId = at(hex('9'), 300);
        Event newestLowId = at(hex('2'), 300);
        Event middleHighId = at(hex('f'), 200);
        Event middleLowId = at(hex('0'), 200);
        List<Event> events = new ArrayList<>(Arrays.asList(oldest, middleHighId, newestHighId, middleLowId, newestLowId));

        // When
        events.sort(Filter.NEWEST_FIRST);

        // Then
        assertThat(events).containsExactly(newestLowId, newestHighId, middleLowId, middleHighId, oldest);
    }

    @Test
    void newestFirstTieBreakIsLexicographicOnTheWholeId() {
        Event a = at("0".repeat(63) + "1", 5);
        Event b = at("0".repeat(63) + "a", 5);
        Event c = at("1" + "0".repeat(63), 5);

        assertThat(List.of(c, b, a).stream().sorted(Filter.NEWEST_FIRST).toList()).containsExactly(a, b, c);
    }

    private static Event at(String id, long createdAt) {
        return new Event(id, hex('a'), createdAt, 1, List.of(), "", "0".repeat(128));
    }

    static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("<([0-9a-fA-F])>");

    /** Replaces every {@code <x>} with 64 x's. */
    static String expand(String json) {
        Matcher m = PLACEHOLDER.matcher(json);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, hex(m.group(1).charAt(0)));
        }
        return m.appendTail(sb).toString();
    }

    static Filter filter(String json) throws Exception {
        return FilterParser.parse(Json.read(expand(json)));
    }

    @Test
    void theEventUnderTestHasTheTagsTheTableAssumes() {
        assertThat(EVENT.tags()).extracting(tag -> tag.get(0)).containsExactly("e", "p", "t", "T", "#e", "ee", "x");
        assertThat(EVENT.createdAt()).isEqualTo(1000);
        assertThat(EVENT.kind()).isEqualTo(1);
    }
}
